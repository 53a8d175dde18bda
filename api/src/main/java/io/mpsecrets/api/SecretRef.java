package io.mpsecrets.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Names a secret without holding it: which property asked, which backend (the store or KMS) served it, the secret
 * id in the store, the key id that protects it and the version. Every field is an identifier; none is ever a value.
 * Exceptions and audit events carry one of these, so "what failed" is always the same shape.
 */
public record SecretRef(String property, String backend, String secretId, String keyId, String version) {

    public static final SecretRef NONE = new SecretRef(null, null, null, null, null);

    public static SecretRef property(String property) {
        return new SecretRef(property, null, null, null, null);
    }

    public static SecretRef key(String keyId) {
        return new SecretRef(null, null, null, keyId, null);
    }

    public static SecretRef secret(String store, String secretId) {
        return new SecretRef(null, store, secretId, null, null);
    }

    public SecretRef withProperty(String property) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    public SecretRef withBackend(String backend) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    public SecretRef withSecretId(String secretId) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    public SecretRef withKeyId(String keyId) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    public SecretRef withVersion(String version) {
        return new SecretRef(property, backend, secretId, keyId, version);
    }

    /** The fields that are set, in a fixed order, with the names used in audit log lines. */
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
