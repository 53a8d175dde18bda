package io.mpsecrets.api;

/**
 * Holds master keys and wraps and unwraps data keys with them; a master key never leaves it. Implementations:
 * the local keyring (development default) and AWS KMS.
 *
 * <p>The encryption context is bound to every wrapped key: a KMS unwraps only with the same context, and it is
 * where a KMS decides whether the asking worker may unwrap (AWS key policy conditions on
 * {@code kms:EncryptionContext:mpsecrets:app}). Failures are {@link io.mpsecrets.api.exception.SecretException}s
 * naming the key id and a {@link FailureReason}.
 */
public interface KeyManagementService extends AutoCloseable {

    /** Short name used in configuration and audit, e.g. {@code local} or {@code aws}. */
    String name();

    /** Whether key ids of this form (e.g. {@code local:dev-1}, {@code arn:aws:kms:...}) belong to this KMS. */
    boolean handles(String keyId);

    /** A fresh AES-256 data key, in plaintext and wrapped under {@code keyId}. */
    GeneratedDataKey generateDataKey(String keyId, EncryptionContext context);

    /** Unwraps a data key that {@link #generateDataKey} wrapped under {@code keyId} with the same context. */
    DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context);

    @Override
    default void close() {
    }
}
