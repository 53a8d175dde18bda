package io.mpsecrets.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A secret in a store: its path (AWS secret name or ARN, Vault path, file name) and, for a JSON secret, the field
 * to take. Written {@code path#field}.
 */
public record SecretId(String path, String field) {

    public SecretId {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("secret path is empty");
        }
        if (field != null && field.isEmpty()) {
            field = null;
        }
    }

    public static SecretId of(String path) {
        return new SecretId(path, null);
    }

    /** Parses {@code path} or {@code path#field}. */
    public static SecretId parse(String text) {
        Objects.requireNonNull(text, "text");
        int hash = text.lastIndexOf('#');
        return hash < 0 ? new SecretId(text, null) : new SecretId(text.substring(0, hash), text.substring(hash + 1));
    }

    public Optional<String> fieldName() {
        return Optional.ofNullable(field);
    }

    /** The same secret, whole. */
    public SecretId withoutField() {
        return field == null ? this : new SecretId(path, null);
    }

    @Override
    public String toString() {
        return field == null ? path : path + "#" + field;
    }
}
