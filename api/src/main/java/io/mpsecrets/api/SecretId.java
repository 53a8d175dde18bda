package io.mpsecrets.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A secret in a store: its path (AWS secret name or ARN, Vault path, file name, environment variable), optionally
 * a version (a store's version id, or an AWS staging label such as {@code AWSPREVIOUS}) and, for a JSON secret, the
 * field to take. Written {@code path[?version=ID|?stage=LABEL][#field]}, e.g. {@code prod/db#password} or
 * {@code prod/db?stage=AWSPREVIOUS#password}. Without a version the store's current one is meant.
 */
public record SecretId(String path, String field, String versionId, String stage) {

    public SecretId {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("secret path is empty");
        }
        field = emptyToNull(field);
        versionId = emptyToNull(versionId);
        stage = emptyToNull(stage);
        if (versionId != null && stage != null) {
            throw new IllegalArgumentException("a secret id names a version or a stage, not both");
        }
    }

    public SecretId(String path, String field) {
        this(path, field, null, null);
    }

    // equals and hashCode written out: a record's generated ones bootstrap method handles on first use, tens of
    // milliseconds of an application's start, and secret ids are map keys from the first fetch on.
    @Override
    public boolean equals(Object o) {
        return o instanceof SecretId other
                && path.equals(other.path)
                && Objects.equals(field, other.field)
                && Objects.equals(versionId, other.versionId)
                && Objects.equals(stage, other.stage);
    }

    @Override
    public int hashCode() {
        return ((path.hashCode() * 31 + Objects.hashCode(field)) * 31 + Objects.hashCode(versionId)) * 31
                + Objects.hashCode(stage);
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    public static SecretId of(String path) {
        return new SecretId(path, null, null, null);
    }

    /**
     * Parses {@code path[?version=ID|?stage=LABEL][#field]}; {@code ?label=LABEL} is the same selector as
     * {@code ?stage=} (Parameter Store calls its stages labels).
     */
    public static SecretId parse(String text) {
        Objects.requireNonNull(text, "text");
        String rest = text;
        String field = null;
        int hash = rest.lastIndexOf('#');
        if (hash >= 0) {
            field = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String versionId = null;
        String stage = null;
        int query = rest.indexOf('?');
        if (query >= 0) {
            String selector = rest.substring(query + 1);
            rest = rest.substring(0, query);
            if (selector.startsWith("version=")) {
                versionId = selector.substring("version=".length());
            } else if (selector.startsWith("stage=")) {
                stage = selector.substring("stage=".length());
            } else if (selector.startsWith("label=")) {
                stage = selector.substring("label=".length());
            } else {
                throw new IllegalArgumentException(
                        "after '?' a secret id takes version=<id>, stage=<label> or label=<label>");
            }
        }
        return new SecretId(rest, field, versionId, stage);
    }

    public Optional<String> fieldName() {
        return Optional.ofNullable(field);
    }

    /** Whether a particular version or stage is asked for, rather than the current one. */
    public boolean pinned() {
        return versionId != null || stage != null;
    }

    /** The same secret and version, whole (no field). */
    public SecretId withoutField() {
        return field == null ? this : new SecretId(path, null, versionId, stage);
    }

    /** The same secret, current version. */
    public SecretId current() {
        return pinned() ? new SecretId(path, field, null, null) : this;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(path);
        if (versionId != null) {
            out.append("?version=").append(versionId);
        } else if (stage != null) {
            out.append("?stage=").append(stage);
        }
        if (field != null) {
            out.append('#').append(field);
        }
        return out.toString();
    }
}
