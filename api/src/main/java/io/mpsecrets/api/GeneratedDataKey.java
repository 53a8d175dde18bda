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

    public GeneratedDataKey(String keyId, byte[] wrappedKey, DataKey dataKey) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.wrappedKey = wrappedKey.clone();
        this.dataKey = Objects.requireNonNull(dataKey, "dataKey");
    }

    public String keyId() {
        return keyId;
    }

    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    public DataKey dataKey() {
        return dataKey;
    }

    @Override
    public String toString() {
        return "GeneratedDataKey[keyId=" + keyId + ", wrapped=" + wrappedKey.length + " bytes, key=" + dataKey + "]";
    }
}
