package io.mpsecrets.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Non-secret key/value pairs bound to a wrapped data key (AWS KMS encryption context). A KMS unwraps a data key
 * only when it is given the same context it was wrapped with, and key policies can condition on it: that is how
 * a KMS decides whether the asking worker may unwrap. Kept sorted so its encoding is canonical.
 */
public record EncryptionContext(Map<String, String> entries) {

    /** The context key that names the application (the worker) that may unwrap. */
    public static final String APPLICATION_KEY = "mpsecrets:app";

    private static final EncryptionContext EMPTY = new EncryptionContext(Map.of());

    public EncryptionContext {
        TreeMap<String, String> sorted = new TreeMap<>();
        entries.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        entries = Collections.unmodifiableSortedMap(sorted);
    }

    public static EncryptionContext empty() {
        return EMPTY;
    }

    public static EncryptionContext of(String key, String value) {
        return new EncryptionContext(Map.of(key, value));
    }

    /** {@code {"mpsecrets:app": application}} */
    public static EncryptionContext forApplication(String application) {
        return of(APPLICATION_KEY, application);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
