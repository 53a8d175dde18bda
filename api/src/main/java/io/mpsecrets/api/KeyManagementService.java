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
 *
 * <p>One instance serves the whole application, so its methods are called from several threads at once: an
 * implementation is thread-safe.
 */
public interface KeyManagementService extends AutoCloseable {

    /**
     * Short name used in configuration and audit, e.g. {@code local} or {@code aws}.
     *
     * @return the name of the factory that built it ({@link io.mpsecrets.api.spi.KeyManagementServiceFactory#name()})
     */
    String name();

    /**
     * A fresh AES-256 data key, in plaintext and wrapped under {@code keyId}.
     *
     * @param keyId the key to wrap under, as configured; an alias or a keyring name is resolved (see
     *         {@link GeneratedDataKey#keyId()})
     * @param context bound to the wrapped key: {@link #decrypt} unwraps it only with an equal context
     * @return the plaintext data key, the wrapped key and the resolved key id; the caller destroys the data key when
     *         done
     * @throws io.mpsecrets.api.exception.UnknownKeyException when the KMS has no such key
     * @throws io.mpsecrets.api.exception.SecretAccessDeniedException when the KMS refuses this worker
     * @throws io.mpsecrets.api.exception.KeyDisabledException when the key may not be used now
     * @throws io.mpsecrets.api.exception.ServiceUnavailableException when the KMS is down, throttling or slow
     */
    GeneratedDataKey generateDataKey(String keyId, EncryptionContext context);

    /**
     * Unwraps a data key that {@link #generateDataKey} wrapped under {@code keyId} with the same context.
     *
     * @param keyId the resolved key id the value records ({@link GeneratedDataKey#keyId()})
     * @param wrappedKey the wrapped key as {@link GeneratedDataKey#wrappedKey()} gave it; not changed
     * @param context the context the key was wrapped with
     * @return a new plaintext data key that the caller owns and destroys
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
     *
     * @param keyId a resolved key id, as a value records it
     * @return the creation time; empty when the KMS cannot tell without a remote call or does not know the key, which
     *         the default answers always
     */
    default Optional<Instant> keyCreated(String keyId) {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
