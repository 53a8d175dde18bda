package io.mpsecrets.api;

import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * A plaintext AES-256 data key. It never prints itself and {@link #destroy()} zeroes it. Each call to
 * {@link #secretKey()} makes a short-lived JCA key for one cipher operation.
 *
 * <p>Unlike {@link SecretValue} it takes no lock: a caller that shares one data key between threads makes sure that
 * {@link #destroy()} cannot run while another thread is in {@link #secretKey()} (mp-secrets' data key cache calls
 * both under its own lock), or a key could be copied half zeroed.
 */
public final class DataKey implements Destroyable {

    /** The length of a data key in bytes: 32, for AES-256. */
    public static final int LENGTH = 32;

    private final byte[] key;
    private volatile boolean destroyed;

    private DataKey(byte[] key) {
        this.key = key;
    }

    /**
     * Copies {@code key}, which must be 32 bytes; the caller should zero its own array afterwards.
     *
     * @param key the key's {@value #LENGTH} bytes, as a KMS unwrapped or generated them
     * @return a data key holding its own copy of the bytes
     * @throws IllegalArgumentException when {@code key} is null or not {@value #LENGTH} bytes long
     */
    public static DataKey copyOf(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("a data key is " + LENGTH + " bytes");
        }
        return new DataKey(key.clone());
    }

    /**
     * A new JCA {@code AES} key with this data key's bytes, for one cipher operation. The JCA key holds its own copy,
     * which {@link #destroy()} does not reach: use it for the operation at hand and drop it, never keep it.
     *
     * @return a new key on each call
     * @throws IllegalStateException when this data key was destroyed
     */
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
