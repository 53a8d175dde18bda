/**
 * What every mock service has: fault injection ({@link Faults}: latency, 500s, throttling, deterministic for a seed),
 * counts of calls per operation ({@link CallCounter}), and policies that say which principals may call what on a
 * resource ({@link Policy}, also as JSON for {@code java -jar ... --policies}).
 *
 * <p>API: applications' tests use them (docs/testing.md); they keep the API promise of docs/architecture.md ("What is
 * API"); what the mocks answer follows the real services and may grow in any release (more operations, errors closer to
 * the real ones).
 */
package io.mpsecrets.testkit.mock;
