/**
 * The local keyring, the embedded default KMS for development and small deployments: the keyring file
 * ({@link LocalKeyring}: versioned AES-256 master keys, owner-only, written atomically under a writer lock), the KMS
 * over it ({@link LocalKeyringKms}: key ids {@code local} and {@code local:...}) and its factory
 * ({@link LocalKeyringKmsFactory}). Operators make and rotate keyrings with {@code mpsecrets keygen} (docs/runbook.md).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.kms.local;
