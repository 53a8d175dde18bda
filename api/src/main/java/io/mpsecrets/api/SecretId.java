package io.mpsecrets.api;

import java.util.Objects;
import java.util.Optional;

/**
 * A secret in a store: its path (AWS secret name or ARN, Vault path, file name, environment variable), optionally
 * a version (a store's version id, or an AWS staging label such as {@code AWSPREVIOUS}) and, for a JSON secret, the
 * field to take. Written {@code path[?version=ID|?stage=LABEL][#field]}, e.g. {@code prod/db#password} or
 * {@code prod/db?stage=AWSPREVIOUS#password}. Without a version the store's current one is meant.
 *
 * @param path where the secret is in its store; not blank
 * @param field the JSON field to take, or null for the whole secret
 * @param versionId the store's version id to read, or null
 * @param stage the staging label to read (Parameter Store: the label), or null; an id has a version id or a stage,
 *        not both
 */
public record SecretId(String path, String field, String versionId, String stage) {

    /**
     * Checks the parts and takes an empty field, version id or stage as none (null), so that {@code prod/db#} and
     * {@code prod/db} are the same id.
     *
     * @param path where the secret is in its store
     * @param field the JSON field, or null or empty for the whole secret
     * @param versionId the version id, or null or empty for none
     * @param stage the staging label, or null or empty for none
     * @throws NullPointerException when {@code path} is null
     * @throws IllegalArgumentException when {@code path} is blank, or both a version id and a stage are given
     */
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

    /**
     * The current version of the secret at {@code path}, or of one field of it.
     *
     * @param path where the secret is in its store; not blank
     * @param field the JSON field, or null or empty for the whole secret
     * @throws NullPointerException when {@code path} is null
     * @throws IllegalArgumentException when {@code path} is blank
     */
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

    /**
     * The current version of the whole secret at {@code path}. Unlike {@link #parse} it takes {@code path} as it is,
     * reading no {@code ?} or {@code #} in it: how a store's listed names become ids.
     *
     * @param path where the secret is in its store; not blank
     * @return the id
     * @throws NullPointerException when {@code path} is null
     * @throws IllegalArgumentException when {@code path} is blank
     */
    public static SecretId of(String path) {
        return new SecretId(path, null, null, null);
    }

    /**
     * Parses {@code path[?version=ID|?stage=LABEL][#field]}; {@code ?label=LABEL} is the same selector as
     * {@code ?stage=} (Parameter Store calls its stages labels). The field is what follows the last {@code #}, and the
     * selector what follows the first {@code ?} before it, so a path may hold a {@code #} but a field may not.
     *
     * @param text an id as written after {@code ::} in a reference, e.g. {@code prod/db?stage=AWSPREVIOUS#password}
     * @return the id; {@link #toString()} writes it back, with {@code ?stage=} for {@code ?label=}
     * @throws NullPointerException when {@code text} is null
     * @throws IllegalArgumentException when the path is blank, or a selector is not {@code version=},
     *         {@code stage=} or {@code label=}
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

    /**
     * The field to take, as an {@link Optional}: {@link #field()} without the null.
     *
     * @return the field's name; empty for the whole secret
     */
    public Optional<String> fieldName() {
        return Optional.ofNullable(field);
    }

    /**
     * Whether a particular version or stage is asked for, rather than the current one.
     *
     * @return true when a version id or a stage is set
     */
    public boolean pinned() {
        return versionId != null || stage != null;
    }

    /**
     * The same secret and version, whole (no field): what a store is asked for, since fields are taken by the caller.
     *
     * @return this id when it has no field, otherwise a new one
     */
    public SecretId withoutField() {
        return field == null ? this : new SecretId(path, null, versionId, stage);
    }

    /**
     * The same secret, current version.
     *
     * @return this id when it is not pinned, otherwise a new one without version id or stage; the field is kept
     */
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
