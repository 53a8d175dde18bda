/**
 * The types applications and backends share, with nothing but the JDK: the two backend interfaces ({@link SecretStore},
 * {@link KeyManagementService}), the values that pass through them ({@link SecretId}, {@link SecretValue},
 * {@link DataKey}, {@link GeneratedDataKey}, {@link EncryptionContext}), the names that say what failed
 * ({@link SecretRef}, {@link FailureReason}) and what audit hands around ({@link AuditSink}, {@link WorkerContext},
 * {@link LogSafe}). Nothing here prints a value.
 *
 * <p>API: applications compile against the values and reasons, backends written outside the project against all of it;
 * it keeps the API promise of docs/architecture.md ("What is API"). Within a major version an interface gains default
 * methods only, and a record may gain components, and an enum ({@link FailureReason}, {@link SecretStore.Capability})
 * constants: a switch over one needs a default branch.
 */
package io.mpsecrets.api;
