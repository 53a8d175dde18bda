/**
 * The backend kit: what every backend needs and should not write again, used by the core and the shipped backends
 * alike, so a backend written outside the project behaves as they do. Typed reads of settings ({@link Settings},
 * {@link CommonSettings}), reads of what a service or file answers bounded in size and nesting ({@link BoundedReads},
 * {@link JsonLimits}), jittered retry waits ({@link Backoff}), when to renew a lifetime ({@link Renewal}), one named
 * daemon thread ({@link DaemonScheduler}), version ids for stores without versions ({@link ContentVersion}) and byte
 * counts for messages ({@link Sizes}).
 *
 * <p>API: for backends; it keeps the API promise of docs/architecture.md ("What is API").
 */
package io.mpsecrets.api.backend;
