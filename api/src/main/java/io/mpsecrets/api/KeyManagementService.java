package io.mpsecrets.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Holds master keys and wraps and unwraps data keys with them; a master key never leaves it. Built by its
 * {@link io.mpsecrets.api.spi.KeyManagementServiceFactory}, which also says which key ids are its own.
 * Implementations: the local keyring (development default), AWS KMS and Vault Transit.
 *
 * <p>The encryption context is bound to every wrapped key: a KMS unwraps only with the same context, and it is
 * where a KMS decides whether the asking worker may unwrap (AWS key policy conditions on
 * {@code kms:EncryptionContext:mpsecrets:app}). Every method fails with a
 * {@link io.mpsecrets.api.exception.SecretException} naming the key id and a {@link FailureReason}; no other
 * exception may escape, and what a remote KMS answers is bounded in size and time.
 */
public interface KeyManagementService extends AutoCloseable {

    /** Short name used in configuration and audit, e.g. {@code local} or {@code aws}. */
    String name();

    /**
     * A fresh AES-256 data key, in plaintext and wrapped under {@code keyId}.
     *
     * @throws io.mpsecrets.api.exception.UnknownKeyException when the KMS has no such key
     * @throws io.mpsecrets.api.exception.SecretAccessDeniedException when the KMS refuses this worker
     * @throws io.mpsecrets.api.exception.KeyDisabledException when the key may not be used now
     * @throws io.mpsecrets.api.exception.ServiceUnavailableException when the KMS is down, throttling or slow
     */
    GeneratedDataKey generateDataKey(String keyId, EncryptionContext context);

    /**
     * Unwraps a data key that {@link #generateDataKey} wrapped under {@code keyId} with the same context.
     *
     * @throws io.mpsecrets.api.exception.DecryptionFailedException ({@link FailureReason#WRONG_KEY}) when the
     *         wrapped key does not unwrap: another key, tampered, or another encryption context
     * @throws io.mpsecrets.api.exception.UnknownKeyException when the KMS has no such key
     * @throws io.mpsecrets.api.exception.SecretAccessDeniedException when the KMS refuses this worker
     * @throws io.mpsecrets.api.exception.KeyDisabledException when the key may not be used now
     * @throws io.mpsecrets.api.exception.ServiceUnavailableException when the KMS is down, throttling or slow
     */
    DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context);

    /**
     * When the key (version) a key id names was created, if the KMS can tell without a remote call; validation
     * measures an {@code ENC(...)} value's rotation age by it. Never throws.
     */
    default Optional<Instant> keyCreated(String keyId) {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
