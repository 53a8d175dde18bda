package io.mpsecrets.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Non-secret key/value pairs bound to a wrapped data key (AWS KMS encryption context). A KMS unwraps a data key
 * only when it is given the same context it was wrapped with, and key policies can condition on it: that is how
 * a KMS decides whether the asking worker may unwrap. Kept sorted so its encoding is canonical.
 *
 * @param entries the pairs, sorted by key and unmodifiable; neither a key nor a value is null
 */
public record EncryptionContext(Map<String, String> entries) {

    /** The context key that names the application (the worker) that may unwrap. */
    public static final String APPLICATION_KEY = "mpsecrets:app";

    private static final EncryptionContext EMPTY = new EncryptionContext(Map.of());

    /**
     * Copies {@code entries} into an unmodifiable map sorted by key, so that two contexts with the same pairs are equal
     * and encode the same whatever order the pairs were given in.
     *
     * @param entries the pairs, in any order
     * @throws NullPointerException when {@code entries}, a key or a value is null
     */
    public EncryptionContext {
        TreeMap<String, String> sorted = new TreeMap<>();
        entries.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        entries = Collections.unmodifiableSortedMap(sorted);
    }

    /**
     * The context with no pairs: a wrapped key bound to nothing, which unwraps for any worker the KMS lets use the key.
     *
     * @return one shared instance, for which {@link #isEmpty()} is true
     */
    public static EncryptionContext empty() {
        return EMPTY;
    }

    /**
     * A context of one pair.
     *
     * @param key the pair's key, e.g. {@link #APPLICATION_KEY}
     * @param value the pair's value; not secret, since a KMS may log it
     * @return the context
     * @throws NullPointerException when {@code key} or {@code value} is null
     */
    public static EncryptionContext of(String key, String value) {
        return new EncryptionContext(Map.of(key, value));
    }

    /**
     * The context mp-secrets binds every data key to, {@code {"mpsecrets:app": application}}: a data key wrapped for
     * one application does not unwrap for another ({@link FailureReason#WRONG_KEY}), and a key policy can allow each
     * application its own.
     *
     * @param application the application (worker) name, {@code mpsecrets.app}; the CLI's {@code --app} must match
     * @return the context
     * @throws NullPointerException when {@code application} is null
     */
    public static EncryptionContext forApplication(String application) {
        return of(APPLICATION_KEY, application);
    }

    /**
     * Whether the context has no pairs.
     *
     * @return true for {@link #empty()} and any other context without pairs
     */
    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
