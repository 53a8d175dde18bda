/**
 * AES-256-GCM as mp-secrets uses it ({@link AesGcm}: a random 96-bit nonce and a 128-bit tag), the one cipher of
 * {@code ENC(...)} values and of the local keyring's wrapped data keys.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.crypto;
