/**
 * mp-secrets' MicroProfile Health readiness checks: each store and KMS as the application last saw it
 * ({@link SecretsReadinessCheck}) and the secrets due for rotation ({@link SecretsRotationCheck}), both over
 * {@link SecretsHealth}, which calls no backend; {@link HealthRegistration} adds them only where the Health API is
 * present. What the checks answer is for operators (docs/health.md); the classes are not.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.health;
