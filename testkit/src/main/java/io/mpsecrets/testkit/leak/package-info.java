/**
 * The leak guard: {@link LeakGuard} fails a test when {@link LeakGuard#CANARY} or a watched secret appears, raw or
 * base64- or hex-encoded, in what the test printed or logged, the exception it threw, or text it hands over;
 * {@link LeakGuardExtension} runs it around every JUnit 5 test.
 *
 * <p>API: applications' tests use it (docs/testing.md); it keeps the API promise of docs/architecture.md ("What is
 * API"). The guard may learn to look in more places or for more encodings in any release: a test it then fails has a
 * leak it did not see before.
 */
package io.mpsecrets.testkit.leak;
