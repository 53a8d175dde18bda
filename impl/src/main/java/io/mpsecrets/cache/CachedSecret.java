package io.mpsecrets.cache;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import java.util.Map;
import java.util.Optional;

/**
 * One fetched version of a secret, with its text and JSON fields decoded once and kept (reads are frequent,
 * versions are not). A value the store said expires ({@link SecretValue#expiresAt()}) is fresh no longer than until
 * then, and unusable after it: the cache serves it neither fresh nor stale.
 */
public final class CachedSecret {

    private final SecretValue value;
    private final long freshUntil;
    private final boolean expires;
    private final long expiresAt;
    private volatile String text;
    private volatile Optional<Map<String, String>> fields;

    /** A value that does not expire. */
    CachedSecret(SecretValue value, long freshUntil) {
        this(value, freshUntil, false, 0);
    }

    /**
     * @param freshUntil the end of its TTL, on the cache's {@link Ticker} scale
     * @param expires whether it expires at {@code expiresAt} (same scale); its freshness is capped there
     */
    CachedSecret(SecretValue value, long freshUntil, boolean expires, long expiresAt) {
        this.value = value;
        this.freshUntil = expires && freshUntil - expiresAt > 0 ? expiresAt : freshUntil;
        this.expires = expires;
        this.expiresAt = expiresAt;
    }

    public SecretValue value() {
        return value;
    }

    long freshUntil() {
        return freshUntil;
    }

    /** Whether this value is within its TTL at {@code now} (the cache's {@link Ticker} time); past it, it is stale. */
    public boolean freshAt(long now) {
        return freshUntil - now > 0;
    }

    /**
     * Whether the value may be served at all at {@code now}: false once the store's expiry has passed, stale or not.
     */
    boolean usableAt(long now) {
        return !expires || expiresAt - now > 0;
    }

    /** The same value (and its decoded text and fields), fresh until {@code until} but never past its expiry. */
    CachedSecret freshUntil(long until) {
        CachedSecret renewed = new CachedSecret(value, until, expires, expiresAt);
        renewed.text = text;
        renewed.fields = fields;
        return renewed;
    }

    public Optional<String> version() {
        return value.version();
    }

    /** The whole secret as text. */
    public String text(SecretRef ref) {
        String out = text;
        if (out == null) {
            out = SecretFields.text(value, ref);
            text = out;
        }
        return out;
    }

    /** The fields, when the secret is a JSON object. */
    public Optional<Map<String, String>> fields() {
        Optional<Map<String, String>> out = fields;
        if (out == null) {
            out = SecretFields.fields(value);
            fields = out;
        }
        return out;
    }

    /** One field of a JSON-object secret. */
    public String field(String name, SecretRef ref) {
        Map<String, String> all = fields().orElseThrow(() -> new io.mpsecrets.api.exception.InvalidSecretValueException(
                ref, "the secret is not a JSON object, so it has no field '" + name + "'"));
        String field = all.get(name);
        if (field == null) {
            throw new io.mpsecrets.api.exception.SecretNotFoundException(
                    ref, "the secret has no field '" + name + "'; " + fieldNames(all));
        }
        return field;
    }

    /** The names of a secret's fields (never their values), the first few, for an error that says which exist. */
    private static String fieldNames(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return "it has no fields";
        }
        java.util.List<String> names =
                fields.keySet().stream().sorted().limit(MAX_NAMES).toList();
        return "its fields are " + String.join(", ", names)
                + (fields.size() > MAX_NAMES ? " and " + (fields.size() - MAX_NAMES) + " more" : "");
    }

    private static final int MAX_NAMES = 20;

    @Override
    public String toString() {
        return "CachedSecret[" + value + "]";
    }
}
