/**
 * What mp-secrets holds for one application's config ({@link SecretsRuntime}): its audit ({@link Auditor}), its
 * {@code ENC(...)} values ({@link EncryptedValues}), its store secrets with their cache and rotation watcher
 * ({@link StoreSecrets}), what its backends were last seen doing ({@link BackendStates}) and its counts for metrics
 * ({@link SecretCounts}); with mp-secrets' settings ({@link MpSecretsSettings}, {@link StoreSettings}) and a parsed
 * {@code ${store::id}} reference ({@link SecretReference}). Closing it zeroes what it holds once the reads under way
 * have finished.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.runtime;
