package io.mpsecrets.api;

import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * A plaintext AES-256 data key. It never prints itself and {@link #destroy()} zeroes it. Each call to
 * {@link #secretKey()} makes a short-lived JCA key for one cipher operation.
 */
public final class DataKey implements Destroyable {

    public static final int LENGTH = 32;

    private final byte[] key;
    private volatile boolean destroyed;

    private DataKey(byte[] key) {
        this.key = key;
    }

    /** Copies {@code key}, which must be 32 bytes; the caller should zero its own array afterwards. */
    public static DataKey copyOf(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("a data key is " + LENGTH + " bytes");
        }
        return new DataKey(key.clone());
    }

    public SecretKey secretKey() {
        if (destroyed) {
            throw new IllegalStateException("data key was destroyed");
        }
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return destroyed ? "DataKey[destroyed]" : "DataKey[redacted]";
    }
}
