package io.mpsecrets.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.Destroyable;

/**
 * A secret's bytes with the store's version id and creation time, and, for a value that stops being valid at a known
 * time (a lease's end, a credential's next rotation), that time. It never prints itself, compares in constant time,
 * and {@link #destroy()} zeroes the bytes it holds. Accessors hand out copies, so destroying this value does not reach
 * strings the application already made from it (Java strings cannot be zeroed).
 *
 * <p>Safe to share between threads: {@link #bytes()}, {@link #asString()} and {@link #destroy()} hold this value's
 * lock, so a reader gets the whole value or {@link IllegalStateException}, never a half-zeroed copy.
 */
public final class SecretValue implements Destroyable {

    private final byte[] bytes;
    private final String version;
    private final Instant created;
    private final Instant expiresAt;
    private volatile boolean destroyed;

    private SecretValue(byte[] bytes, String version, Instant created, Instant expiresAt) {
        this.bytes = bytes;
        this.version = version;
        this.created = created;
        this.expiresAt = expiresAt;
    }

    /**
     * Copies {@code bytes}; the caller may zero its own array afterwards.
     *
     * @param bytes the secret's bytes
     * @param version the store's version id, or null when the store has no versions
     * @param created when the store created this version, or null when it does not say
     * @return a value without an expiry
     * @throws NullPointerException when {@code bytes} is null
     */
    public static SecretValue of(byte[] bytes, String version, Instant created) {
        return new SecretValue(bytes.clone(), version, created, null);
    }

    /**
     * A value that stops being valid at {@code expiresAt} (null: it does not); copies {@code bytes}.
     *
     * @param bytes the secret's bytes
     * @param version the store's version id, or null when the store has no versions
     * @param created when the store created this version, or null when it does not say
     * @param expiresAt when the value stops being valid (a lease's end), or null when it stays valid until replaced
     * @return the value
     * @throws NullPointerException when {@code bytes} is null
     * @see #expiresAt()
     */
    public static SecretValue of(byte[] bytes, String version, Instant created, Instant expiresAt) {
        return new SecretValue(bytes.clone(), version, created, expiresAt);
    }

    /**
     * A value from text, as UTF-8 bytes, for a store whose answer is a string. The string itself cannot be zeroed: a
     * store that can get the bytes without making one uses {@link #of(byte[], String, Instant)}.
     *
     * @param text the secret
     * @param version the store's version id, or null when the store has no versions
     * @param created when the store created this version, or null when it does not say
     * @return a value without an expiry
     * @throws NullPointerException when {@code text} is null
     */
    public static SecretValue ofUtf8(String text, String version, Instant created) {
        return new SecretValue(text.getBytes(StandardCharsets.UTF_8), version, created, null);
    }

    /**
     * A copy of the bytes. A copy and {@link #destroy()} never overlap (both hold this value's lock), so a copy is
     * whole or refused, never partly zeroed.
     *
     * @return a new array on each call, which the caller zeroes when done
     * @throws IllegalStateException when the value was destroyed
     */
    public synchronized byte[] bytes() {
        checkNotDestroyed();
        return bytes.clone();
    }

    /**
     * The bytes as UTF-8 text.
     *
     * @return the text, any byte sequence that is not UTF-8 as {@code U+FFFD}; a string that {@link #destroy()} does
     *         not reach
     * @throws IllegalStateException when the value was destroyed
     */
    public synchronized String asString() {
        checkNotDestroyed();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The store's version id, when the store has versions; the file and environment stores, which have none, give a
     * {@link io.mpsecrets.api.backend.ContentVersion} instead.
     *
     * @return the version id, never the value; empty when the store gave none
     */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * When the store created this version, when it says; rotation-age validation measures from it.
     *
     * @return the creation time; empty when the store does not say
     */
    public Optional<Instant> created() {
        return Optional.ofNullable(created);
    }

    /**
     * When the store says this value stops being valid: a leased credential's lease ends, a static credential is
     * rotated. A cache never serves the value after it, neither as fresh nor as a stale value while the store fails.
     *
     * @return the end of validity; empty for a value that stays valid until the store changes it
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * Constant-time comparison of the bytes; versions are not compared.
     *
     * @param other the value to compare with
     * @return whether both hold the same bytes
     * @throws IllegalStateException when either value was destroyed
     */
    public boolean contentEquals(SecretValue other) {
        byte[] mine = bytes();
        byte[] theirs = other.bytes();
        try {
            return MessageDigest.isEqual(mine, theirs);
        } finally {
            Arrays.fill(mine, (byte) 0);
            Arrays.fill(theirs, (byte) 0);
        }
    }

    @Override
    public synchronized void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("secret value was destroyed");
        }
    }

    @Override
    public String toString() {
        return "SecretValue[" + (version == null ? "" : "version=" + version + ", ")
                + (destroyed ? "destroyed" : "redacted") + "]";
    }
}
