/**
 * Read-only decryptors for the encrypted values of the tools applications move from, jasypt ({@link JasyptDecryptor})
 * and SmallRye Config's {@code aes-gcm-nopadding} handler ({@link SmallRyeAesGcmDecryptor}), for
 * {@code mpsecrets reencrypt}, which turns them into {@code ENC(...)} values (docs/runbook.md). They never write those
 * formats.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.envelope.legacy;
