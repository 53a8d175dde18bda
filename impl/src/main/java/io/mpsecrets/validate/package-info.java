/**
 * Checks of an application's secrets against the operators' runbook ({@link SecretValidator}): required ones present,
 * stored as secrets rather than plaintext, long and varied enough for their class ({@link SecretClass}), not
 * placeholders, rotated in time. Run at start-up with {@code mpsecrets.validate} ({@link StartupValidation}) and by
 * {@code mpsecrets validate}; each problem is a {@link Finding} that carries nothing of the value.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.validate;
