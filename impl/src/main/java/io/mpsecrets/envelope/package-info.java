/**
 * The {@code ENC(...)} envelope: the value format v1 ({@link EncryptedValue}, described in docs/format.md),
 * {@link EnvelopeEncryptor}, which makes values under a data key a KMS generated, and {@link EnvelopeDecryptor}, which
 * opens them, with unwrapped data keys cached and zeroed on eviction ({@link DataKeyCache}). Values are made with the
 * {@code mpsecrets} CLI, not with these classes.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.envelope;
