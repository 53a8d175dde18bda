package io.mpsecrets.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Names a secret without holding it: which property asked, which backend (the store or KMS) served it, the secret
 * id in the store, the key id that protects it and the version. Every field is an identifier; none is ever a value.
 * Exceptions and audit events carry one of these, so "what failed" is always the same shape. Any field may be null:
 * each layer names what it knows (a KMS the key id, the store the secret id) and an outer layer adds the rest.
 *
 * @param property the configuration property that was read, e.g. {@code db.password}, or null
 * @param backend the name of the store or KMS that served it or failed, e.g. {@code aws}, or null
 * @param secretId the secret's id in the store as written ({@link SecretId#toString()}), or null
 * @param keyId the id of the key that protects the value, or null
 * @param version the version served, or the one that failed, or null
 */
public record SecretRef(String property, String backend, String secretId, String keyId, String version) {

    /**
     * The ref that names nothing, for a failure about no secret in particular (most configuration errors): an exception
     * message with it has no {@code [...]} suffix, and it prints as {@code (unnamed)}.
     */
    public static final SecretRef NONE = new SecretRef(null, null, null, null, null);

    /**
     * A ref naming only the property that was read.
     *
     * @param property the property's name
     * @return the ref
     */
    public static SecretRef property(String property) {
        return new SecretRef(property, null, null, null, null);
    }

    /**
     * A ref naming only a key, as a KMS names its failures: it does not know the property, which the caller adds with
     * {@link io.mpsecrets.api.exception.SecretException#withProperty}.
     *
     * @param keyId the key id
     * @return the ref
     */
    public static SecretRef key(String keyId) {
        return new SecretRef(null, null, null, keyId, null);
    }

    /**
     * A ref naming a store and a secret in it, as a store names its failures.
     *
     * @param store the store's name, e.g. {@code vault}
     * @param secretId the secret's id as written ({@link SecretId#toString()})
     * @return the ref
     */
    public static SecretRef secret(String store, String secretId) {
        return new SecretRef(null, store, secretId, null, null);
    }

    /**
     * This ref with the property set, the other fields kept.
     *
     * @param property the new value; null clears it
     * @return a new ref
     */
    public SecretRef withProperty(String property) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /**
     * This ref with the backend set, the other fields kept.
     *
     * @param backend the new value; null clears it
     * @return a new ref
     */
    public SecretRef withBackend(String backend) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /**
     * This ref with the secret id set, the other fields kept.
     *
     * @param secretId the new value; null clears it
     * @return a new ref
     */
    public SecretRef withSecretId(String secretId) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /**
     * This ref with the key id set, the other fields kept.
     *
     * @param keyId the new value; null clears it
     * @return a new ref
     */
    public SecretRef withKeyId(String keyId) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /**
     * This ref with the version set, the other fields kept.
     *
     * @param version the new value; null clears it
     * @return a new ref
     */
    public SecretRef withVersion(String version) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /**
     * The fields that are set, in a fixed order, with the names used in audit log lines.
     *
     * @return a new map of the set fields as {@code property}, {@code backend}, {@code secret}, {@code key} and
     *         {@code version}, in that order; empty for {@link #NONE}. The values are as given, not escaped: print
     *         them with {@link LogSafe#token}, as {@link #toString()} does
     */
    public Map<String, String> attributes() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "property", property);
        put(out, "backend", backend);
        put(out, "secret", secretId);
        put(out, "key", keyId);
        put(out, "version", version);
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    /**
     * The set fields as {@code name=value}, each value one {@link LogSafe#token token}: a plain name as it is
     * ({@code property=db.password key=local:dev-1}), any other quoted and escaped ({@code property="a key=b"}), so
     * that a name can neither forge another field nor pass for a name it only looks like.
     */
    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(" ");
        attributes().forEach((name, value) -> joiner.add(name + "=" + LogSafe.token(value)));
        return joiner.length() == 0 ? "(unnamed)" : joiner.toString();
    }
}
