package io.mpsecrets.api;

import java.util.Objects;

/**
 * What {@link KeyManagementService#generateDataKey} returns: the plaintext data key to encrypt with, the same key
 * wrapped by the KMS (stored next to the ciphertext), and the key id that wrapped it, resolved (an alias becomes
 * the key ARN, a local keyring name gets its version) so the value names the exact key.
 */
public final class GeneratedDataKey {

    private final String keyId;
    private final byte[] wrappedKey;
    private final DataKey dataKey;

    /**
     * What a KMS's {@link KeyManagementService#generateDataKey} answers.
     *
     * @param keyId the id of the key that wrapped the data key, resolved so that it names the exact key (version)
     * @param wrappedKey the data key as the KMS wrapped it; copied
     * @param dataKey the plaintext data key; held as given, not copied
     * @throws NullPointerException when any of them is null
     */
    public GeneratedDataKey(String keyId, byte[] wrappedKey, DataKey dataKey) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.wrappedKey = wrappedKey.clone();
        this.dataKey = Objects.requireNonNull(dataKey, "dataKey");
    }

    /**
     * The resolved id of the key that wrapped the data key: what an {@code ENC(...)} value records, so that decryption
     * asks the KMS for the very key (version) that wrapped it even after an alias moves on.
     *
     * @return the key id, e.g. a key ARN for an AWS alias
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The data key wrapped by the KMS, stored next to the ciphertext; only the KMS can unwrap it, so it is not secret.
     *
     * @return a new copy on each call
     */
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /**
     * The plaintext data key to encrypt with.
     *
     * @return the instance this holds, not a copy: whoever asked for the data key destroys it once done encrypting
     */
    public DataKey dataKey() {
        return dataKey;
    }

    @Override
    public String toString() {
        return "GeneratedDataKey[keyId=" + keyId + ", wrapped=" + wrappedKey.length + " bytes, key=" + dataKey + "]";
    }
}
