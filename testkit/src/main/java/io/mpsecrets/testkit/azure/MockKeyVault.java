package io.mpsecrets.testkit.azure;

import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azure Key Vault's REST API (any {@code api-version}) as far as mp-secrets and its tests use it, spoken well enough
 * for Azure's own Java clients ({@code SecretClient}, {@code KeyClient}, {@code CryptographyClient}). Secrets: set, get
 * (current or a version), list with {@code nextLink} paging (25 a page, {@code maxresults}), list versions, update
 * properties (enabled, {@code nbf}, {@code exp}, content type, tags), soft delete, get deleted, recover and purge.
 * Keys: create ({@code RSA}, {@code RSA-HSM}, {@code oct-HSM}), get, rotate (a new version), update, and Wrap
 * Key / Unwrap Key with RSA-OAEP-256, RSA-OAEP and AES key wrap; an older version keeps unwrapping. Like Key Vault, it
 * refuses a disabled secret (403 {@code SecretDisabled}) and a disabled key, refuses wrapping under an expired or
 * not-yet-valid key, and hands out expired and not-yet-valid secrets (their attributes say so).
 *
 * <p>Who may do what is a {@link Policy} per secret, per key and for the vault (listing), over the principal a token
 * was issued to ({@link MockAzure}); no statements allow everyone, as an unrestricted vault. Operations are Key
 * Vault's permission names: {@code get}, {@code list}, {@code set}, {@code update}, {@code delete}, {@code recover},
 * {@code purge} for secrets; {@code get}, {@code create}, {@code update}, {@code rotate}, {@code wrapKey},
 * {@code unwrapKey} for keys. Faults and call counts are per operation ({@code GetSecret}, {@code WrapKey}, ...).
 * Nothing here logs a value or a key.
 */
public final class MockKeyVault {

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final int PAGE = 25;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Secret> secrets = new TreeMap<>();
    private final Map<String, Deleted> deleted = new TreeMap<>();
    private final Map<String, Key> keys = new TreeMap<>();
    private final Map<String, Policy> secretPolicies = new TreeMap<>();
    private final Map<String, Policy> keyPolicies = new TreeMap<>();
    private volatile Policy vaultPolicy = Policy.OPEN;
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private volatile int pageSize = PAGE;
    private volatile java.time.Clock clock = java.time.Clock.systemUTC();
    private final String vaultUrl;

    MockKeyVault(String vaultUrl) {
        this.vaultUrl = vaultUrl;
    }

    /** The vault's URL, e.g. {@code https://127.0.0.1:8443}: what ids start with. */
    public String vaultUrl() {
        return vaultUrl;
    }

    private static final class Secret {
        final String name;
        final List<SecretVersion> versions = new ArrayList<>();

        Secret(String name) {
            this.name = name;
        }

        SecretVersion latest() {
            return versions.get(versions.size() - 1);
        }
    }

    private static final class SecretVersion {
        final String version;
        final String value;
        final long created;
        long updated;
        String contentType;
        boolean enabled = true;
        Long notBefore;
        Long expires;
        Map<String, String> tags = new TreeMap<>();

        SecretVersion(String version, String value, long created) {
            this.version = version;
            this.value = value;
            this.created = created;
            this.updated = created;
        }
    }

    private record Deleted(Secret secret, long deletedDate) {}

    private static final class Key {
        final String name;
        final List<KeyVersion> versions = new ArrayList<>();

        Key(String name) {
            this.name = name;
        }

        KeyVersion latest() {
            return versions.get(versions.size() - 1);
        }
    }

    private static final class KeyVersion {
        final String version;
        final String kty;
        final int size;
        final KeyPair rsa;
        final SecretKey aes;
        final long created;
        long updated;
        boolean enabled = true;
        Long notBefore;
        Long expires;
        List<String> operations;

        KeyVersion(String version, String kty, int size, KeyPair rsa, SecretKey aes, long created) {
            this.version = version;
            this.kty = kty;
            this.size = size;
            this.rsa = rsa;
            this.aes = aes;
            this.created = created;
            this.updated = created;
        }
    }

    // ---- what tests set up directly ----

    /** Faults for Key Vault's operations ({@code GetSecret}, {@code WrapKey}, ...): throttling is a 429. */
    public Faults faults() {
        return faults;
    }

    /** Calls per operation. */
    public CallCounter counter() {
        return counter;
    }

    /** What a throttled call's {@code Retry-After} says (1 second unless set). */
    public MockKeyVault retryAfter(Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    /** The most secrets a page of a listing holds when the request asks for more (25, as Key Vault). */
    public MockKeyVault pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /**
     * The clock of the times the vault records ({@code created}, {@code updated}, deletions): a test sets it back to
     * have versions made in the past, as a vault's are when an application starts.
     */
    public MockKeyVault clock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Sets a secret (a new version if it exists); returns the new version id. */
    public synchronized String setSecret(String name, String value) {
        return put(name, value, null).version;
    }

    /** Sets a secret's attributes: enabled, not-before and expiry (null: unset), on its current version. */
    public synchronized void secretAttributes(String name, boolean enabled, Instant notBefore, Instant expires) {
        Secret secret = secrets.get(key(name));
        if (secret == null) {
            throw new IllegalArgumentException("no secret " + name);
        }
        SecretVersion latest = secret.latest();
        latest.enabled = enabled;
        latest.notBefore = notBefore == null ? null : notBefore.getEpochSecond();
        latest.expires = expires == null ? null : expires.getEpochSecond();
        latest.updated = now();
    }

    /** Who may do what with one secret. */
    public synchronized MockKeyVault secretPolicy(String name, Policy policy) {
        secretPolicies.put(key(name), policy);
        return this;
    }

    /** Who may do what with one key. */
    public synchronized MockKeyVault keyPolicy(String name, Policy policy) {
        keyPolicies.put(key(name), policy);
        return this;
    }

    /** Who may list the vault's secrets. */
    public MockKeyVault vaultPolicy(Policy policy) {
        this.vaultPolicy = policy;
        return this;
    }

    /** Creates an RSA key (2048 bits); returns its key id, with the version. */
    public synchronized String createRsaKey(String name) {
        Key key = keys.computeIfAbsent(key(name), k -> new Key(name));
        key.versions.add(newKeyVersion("RSA", 2048));
        return keyId(key, key.latest());
    }

    /** Creates a Managed HSM's AES key ({@code oct-HSM}, 256 bits); returns its key id, with the version. */
    public synchronized String createOctKey(String name) {
        Key key = keys.computeIfAbsent(key(name), k -> new Key(name));
        key.versions.add(newKeyVersion("oct-HSM", 256));
        return keyId(key, key.latest());
    }

    /** A new version of the key; returns its key id. */
    public synchronized String rotateKey(String name) {
        Key key = keys.get(key(name));
        if (key == null) {
            throw new IllegalArgumentException("no key " + name);
        }
        key.versions.add(newKeyVersion(key.latest().kty, key.latest().size));
        return keyId(key, key.latest());
    }

    /** Enables or disables every version of a key. */
    public synchronized void keyEnabled(String name, boolean enabled) {
        Key key = keys.get(key(name));
        if (key == null) {
            throw new IllegalArgumentException("no key " + name);
        }
        key.versions.forEach(v -> v.enabled = enabled);
    }

    // ---- the REST API ----

    /** Answers one authenticated request; {@code path} is split on '/', without the leading empty segment. */
    synchronized KeyVaultAnswer handle(
            String method, List<String> path, Map<String, String> query, JsonObject body, String principal)
            throws InterruptedException {
        if (query.get("api-version") == null) {
            return KeyVaultAnswer.badParameter("The request URI contains an invalid or missing api-version.");
        }
        String collection = path.isEmpty() ? "" : path.get(0);
        String operation = operation(method, collection, path);
        counter.count(operation);
        Faults.Action action = faults.apply(operation);
        if (action == Faults.Action.THROTTLE) {
            return KeyVaultAnswer.error(
                            429,
                            "Throttled",
                            null,
                            "Request was not processed because too many requests were received. Reason:"
                                    + " VaultRequestTypeLimitReached")
                    .withHeader("Retry-After", String.valueOf(retryAfter.toSeconds()));
        }
        if (action == Faults.Action.INTERNAL_ERROR) {
            return KeyVaultAnswer.error(500, "InternalServerError", null, "An internal server error occurred.");
        }
        return switch (operation) {
            case "SetSecret" -> setSecret(path.get(1), body, principal);
            case "GetSecret" -> getSecret(path.get(1), version(path), principal);
            case "GetSecrets" -> listSecrets(query, principal);
            case "GetSecretVersions" -> listVersions(path.get(1), query, principal);
            case "UpdateSecret" -> updateSecret(path.get(1), version(path), body, principal);
            case "DeleteSecret" -> deleteSecret(path.get(1), principal);
            case "GetDeletedSecret" -> getDeleted(path.get(1), principal);
            case "RecoverDeletedSecret" -> recover(path.get(1), principal);
            case "PurgeDeletedSecret" -> purge(path.get(1), principal);
            case "CreateKey" -> createKey(path.get(1), body, principal);
            case "RotateKey" -> rotate(path.get(1), principal);
            case "GetKey" -> getKey(path.get(1), version(path), principal);
            case "UpdateKey" -> updateKey(path.get(1), version(path), body, principal);
            case "WrapKey" -> wrap(path.get(1), operationVersion(path), body, principal, true);
            case "UnwrapKey" -> wrap(path.get(1), operationVersion(path), body, principal, false);
            default ->
                KeyVaultAnswer.error(
                        400, "BadParameter", null, "The request is not one this mock Key Vault answers: " + method);
        };
    }

    private static String operation(String method, String collection, List<String> path) {
        int n = path.size();
        String last = n == 0 ? "" : path.get(n - 1);
        switch (collection) {
            case "secrets":
                if (n == 1) {
                    return method.equals("GET") ? "GetSecrets" : "?";
                }
                if (n == 3 && last.equals("versions") && method.equals("GET")) {
                    return "GetSecretVersions";
                }
                return switch (method) {
                    case "PUT" -> n == 2 ? "SetSecret" : "?";
                    case "GET" -> n <= 3 ? "GetSecret" : "?";
                    case "PATCH" -> n <= 3 ? "UpdateSecret" : "?";
                    case "DELETE" -> n == 2 ? "DeleteSecret" : "?";
                    default -> "?";
                };
            case "deletedsecrets":
                if (n == 2) {
                    return method.equals("GET")
                            ? "GetDeletedSecret"
                            : method.equals("DELETE") ? "PurgeDeletedSecret" : "?";
                }
                return n == 3 && last.equals("recover") && method.equals("POST") ? "RecoverDeletedSecret" : "?";
            case "keys":
                if (method.equals("POST") && n == 3 && last.equals("create")) {
                    return "CreateKey";
                }
                if (method.equals("POST") && n == 3 && last.equals("rotate")) {
                    return "RotateKey";
                }
                if (method.equals("POST") && (n == 3 || n == 4) && last.equalsIgnoreCase("wrapkey")) {
                    return "WrapKey";
                }
                if (method.equals("POST") && (n == 3 || n == 4) && last.equalsIgnoreCase("unwrapkey")) {
                    return "UnwrapKey";
                }
                if (method.equals("GET") && (n == 2 || n == 3)) {
                    return "GetKey";
                }
                if (method.equals("PATCH") && (n == 2 || n == 3)) {
                    return "UpdateKey";
                }
                return "?";
            default:
                return "?";
        }
    }

    /** {@code /<collection>/<name>/<version>}: the version, null when absent or empty. */
    private static String version(List<String> path) {
        return path.size() >= 3 && !path.get(2).isEmpty() ? path.get(2) : null;
    }

    /** {@code /keys/<name>[/<version>]/wrapkey}: the version, null when absent or empty. */
    private static String operationVersion(List<String> path) {
        return path.size() == 4 && !path.get(2).isEmpty() ? path.get(2) : null;
    }

    private boolean allowed(Map<String, Policy> policies, String name, String principal, String operation) {
        return policies.getOrDefault(key(name), Policy.OPEN).allows(principal, operation, null);
    }

    private KeyVaultAnswer setSecret(String name, JsonObject body, String principal) {
        if (!NAME.matcher(name).matches()) {
            return KeyVaultAnswer.badParameter("The request URI contains an invalid name: " + name);
        }
        if (!allowed(secretPolicies, name, principal, "set")) {
            return KeyVaultAnswer.forbidden(principal, "secrets/setSecret/action", name);
        }
        if (deleted.containsKey(key(name))) {
            return KeyVaultAnswer.error(
                    409,
                    "Conflict",
                    "ObjectIsDeletedButRecoverable",
                    "Secret " + name + " is currently in a deleted but recoverable state, and its name cannot be"
                            + " reused; in this state, the secret can only be recovered or purged.");
        }
        if (body == null || !(body.get("value") instanceof JsonString value)) {
            return KeyVaultAnswer.badParameter("Property value is required.");
        }
        SecretVersion version = put(name, value.getString(), body);
        return KeyVaultAnswer.ok(bundle(secrets.get(key(name)), version, true));
    }

    private SecretVersion put(String name, String value, JsonObject body) {
        Secret secret = secrets.computeIfAbsent(key(name), k -> new Secret(name));
        SecretVersion version = new SecretVersion(newVersion(), value, now());
        if (body != null) {
            applyProperties(version, body);
        }
        secret.versions.add(version);
        return version;
    }

    private static void applyProperties(SecretVersion version, JsonObject body) {
        if (body.get("contentType") instanceof JsonString type) {
            version.contentType = type.getString();
        }
        if (body.get("tags") instanceof JsonObject tags) {
            version.tags = new TreeMap<>();
            tags.forEach((k, v) -> version.tags.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        }
        if (body.get("attributes") instanceof JsonObject attributes) {
            if (attributes.get("enabled") != null) {
                version.enabled = attributes.get("enabled") != JsonValue.FALSE;
            }
            if (attributes.containsKey("nbf")) {
                version.notBefore = seconds(attributes.get("nbf"));
            }
            if (attributes.containsKey("exp")) {
                version.expires = seconds(attributes.get("exp"));
            }
        }
    }

    private static Long seconds(JsonValue value) {
        return value instanceof JsonNumber number ? number.longValue() : null;
    }

    private KeyVaultAnswer getSecret(String name, String versionId, String principal) {
        if (!allowed(secretPolicies, name, principal, "get")) {
            return KeyVaultAnswer.forbidden(principal, "secrets/getSecret/action", name);
        }
        Secret secret = secrets.get(key(name));
        if (secret == null) {
            return KeyVaultAnswer.notFound("Secret", name);
        }
        Optional<SecretVersion> version = find(secret, versionId);
        if (version.isEmpty()) {
            return KeyVaultAnswer.notFound("Secret", name + "/" + versionId);
        }
        if (!version.get().enabled) {
            return KeyVaultAnswer.error(
                    403, "Forbidden", "SecretDisabled", "Operation get is not allowed on a disabled secret.");
        }
        return KeyVaultAnswer.ok(bundle(secret, version.get(), true));
    }

    private static Optional<SecretVersion> find(Secret secret, String versionId) {
        if (versionId == null) {
            return Optional.of(secret.latest());
        }
        return secret.versions.stream()
                .filter(v -> v.version.equalsIgnoreCase(versionId))
                .findFirst();
    }

    private KeyVaultAnswer listSecrets(Map<String, String> query, String principal) {
        if (!vaultPolicy.allows(principal, "list", null)) {
            return KeyVaultAnswer.forbidden(principal, "secrets/readMetadata/action", "secrets");
        }
        List<JsonObject> items = new ArrayList<>();
        for (Secret secret : secrets.values()) {
            SecretVersion latest = secret.latest();
            JsonObjectBuilder item = Json.createObjectBuilder()
                    .add("id", vaultUrl + "/secrets/" + secret.name)
                    .add(
                            "attributes",
                            attributes(
                                    latest.enabled, latest.notBefore, latest.expires, latest.created, latest.updated));
            if (latest.contentType != null) {
                item.add("contentType", latest.contentType);
            }
            item.add("tags", tags(latest.tags));
            items.add(item.build());
        }
        return KeyVaultAnswer.ok(page(items, query, "/secrets"));
    }

    private KeyVaultAnswer listVersions(String name, Map<String, String> query, String principal) {
        if (!allowed(secretPolicies, name, principal, "list")) {
            return KeyVaultAnswer.forbidden(principal, "secrets/readMetadata/action", name);
        }
        Secret secret = secrets.get(key(name));
        if (secret == null) {
            return KeyVaultAnswer.notFound("Secret", name);
        }
        List<JsonObject> items = new ArrayList<>();
        for (SecretVersion version : secret.versions) {
            items.add(Json.createObjectBuilder()
                    .add("id", vaultUrl + "/secrets/" + secret.name + "/" + version.version)
                    .add(
                            "attributes",
                            attributes(
                                    version.enabled,
                                    version.notBefore,
                                    version.expires,
                                    version.created,
                                    version.updated))
                    .add("tags", tags(version.tags))
                    .build());
        }
        return KeyVaultAnswer.ok(page(items, query, "/secrets/" + secret.name + "/versions"));
    }

    /** One page of {@code items} from {@code $skiptoken} (an offset here), with a {@code nextLink} if more follow. */
    private JsonObject page(List<JsonObject> items, Map<String, String> query, String path) {
        int size = pageSize;
        if (query.get("maxresults") != null) {
            try {
                size = Math.max(1, Math.min(pageSize, Integer.parseInt(query.get("maxresults"))));
            } catch (NumberFormatException e) {
                size = pageSize;
            }
        }
        int from = 0;
        if (query.get("$skiptoken") != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("$skiptoken"))));
            } catch (IllegalArgumentException e) {
                from = items.size();
            }
        }
        JsonArrayBuilder value = Json.createArrayBuilder();
        int to = Math.min(items.size(), from + size);
        for (int i = from; i < to; i++) {
            value.add(items.get(i));
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("value", value);
        if (to < items.size()) {
            String token = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(String.valueOf(to).getBytes());
            out.add("nextLink", vaultUrl + path + "?api-version=7.4&$skiptoken=" + token + "&maxresults=" + size);
        } else {
            out.addNull("nextLink");
        }
        return out.build();
    }

    private KeyVaultAnswer updateSecret(String name, String versionId, JsonObject body, String principal) {
        if (!allowed(secretPolicies, name, principal, "update")) {
            return KeyVaultAnswer.forbidden(principal, "secrets/write/action", name);
        }
        Secret secret = secrets.get(key(name));
        Optional<SecretVersion> version = secret == null ? Optional.empty() : find(secret, versionId);
        if (version.isEmpty()) {
            return KeyVaultAnswer.notFound("Secret", name);
        }
        if (body != null) {
            applyProperties(version.get(), body);
        }
        version.get().updated = now();
        return KeyVaultAnswer.ok(bundle(secret, version.get(), false));
    }

    private KeyVaultAnswer deleteSecret(String name, String principal) {
        if (!allowed(secretPolicies, name, principal, "delete")) {
            return KeyVaultAnswer.forbidden(principal, "secrets/delete", name);
        }
        Secret secret = secrets.remove(key(name));
        if (secret == null) {
            return KeyVaultAnswer.notFound("Secret", name);
        }
        Deleted gone = new Deleted(secret, now());
        deleted.put(key(name), gone);
        return KeyVaultAnswer.ok(deletedBundle(gone));
    }

    private KeyVaultAnswer getDeleted(String name, String principal) {
        if (!allowed(secretPolicies, name, principal, "get")) {
            return KeyVaultAnswer.forbidden(principal, "deletedsecrets/read", name);
        }
        Deleted gone = deleted.get(key(name));
        return gone == null
                ? KeyVaultAnswer.error(404, "SecretNotFound", null, "Deleted Secret not found")
                : KeyVaultAnswer.ok(deletedBundle(gone));
    }

    private KeyVaultAnswer recover(String name, String principal) {
        if (!allowed(secretPolicies, name, principal, "recover")) {
            return KeyVaultAnswer.forbidden(principal, "deletedsecrets/recover/action", name);
        }
        Deleted gone = deleted.remove(key(name));
        if (gone == null) {
            return KeyVaultAnswer.error(404, "SecretNotFound", null, "Deleted Secret not found");
        }
        secrets.put(key(name), gone.secret());
        return KeyVaultAnswer.ok(bundle(gone.secret(), gone.secret().latest(), false));
    }

    private KeyVaultAnswer purge(String name, String principal) {
        if (!allowed(secretPolicies, name, principal, "purge")) {
            return KeyVaultAnswer.forbidden(principal, "deletedsecrets/delete", name);
        }
        return deleted.remove(key(name)) == null
                ? KeyVaultAnswer.error(404, "SecretNotFound", null, "Deleted Secret not found")
                : KeyVaultAnswer.noContent();
    }

    private JsonObject deletedBundle(Deleted gone) {
        JsonObjectBuilder out =
                Json.createObjectBuilder(bundle(gone.secret(), gone.secret().latest(), false));
        return out.add("recoveryId", vaultUrl + "/deletedsecrets/" + gone.secret().name)
                .add("deletedDate", gone.deletedDate())
                .add(
                        "scheduledPurgeDate",
                        gone.deletedDate() + Duration.ofDays(90).toSeconds())
                .build();
    }

    private JsonObject bundle(Secret secret, SecretVersion version, boolean withValue) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        if (withValue) {
            out.add("value", version.value);
        }
        out.add("id", vaultUrl + "/secrets/" + secret.name + "/" + version.version);
        if (version.contentType != null) {
            out.add("contentType", version.contentType);
        }
        return out.add(
                        "attributes",
                        attributes(
                                version.enabled, version.notBefore, version.expires, version.created, version.updated))
                .add("tags", tags(version.tags))
                .build();
    }

    private static JsonObject attributes(boolean enabled, Long notBefore, Long expires, long created, long updated) {
        JsonObjectBuilder out = Json.createObjectBuilder().add("enabled", enabled);
        if (notBefore != null) {
            out.add("nbf", notBefore);
        }
        if (expires != null) {
            out.add("exp", expires);
        }
        return out.add("created", created)
                .add("updated", updated)
                .add("recoveryLevel", "Recoverable+Purgeable")
                .add("recoverableDays", 90)
                .build();
    }

    private static JsonObject tags(Map<String, String> tags) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        tags.forEach(out::add);
        return out.build();
    }

    // ---- keys ----

    private KeyVaultAnswer createKey(String name, JsonObject body, String principal) {
        if (!NAME.matcher(name).matches()) {
            return KeyVaultAnswer.badParameter("The request URI contains an invalid name: " + name);
        }
        if (!allowed(keyPolicies, name, principal, "create")) {
            return KeyVaultAnswer.forbidden(principal, "keys/create/action", name);
        }
        String kty = body != null && body.get("kty") instanceof JsonString s ? s.getString() : "";
        int size = body != null && body.get("key_size") instanceof JsonNumber n ? n.intValue() : 0;
        if (!(kty.equals("RSA") || kty.equals("RSA-HSM") || kty.equals("oct-HSM") || kty.equals("oct"))) {
            return KeyVaultAnswer.badParameter("The mock Key Vault creates RSA, RSA-HSM and oct-HSM keys, not " + kty);
        }
        boolean rsa = kty.startsWith("RSA");
        if (size == 0) {
            size = rsa ? 2048 : 256;
        }
        if (rsa ? size < 2048 || size > 4096 : size != 128 && size != 192 && size != 256) {
            return KeyVaultAnswer.badParameter("Invalid key size " + size + " for " + kty);
        }
        Key key = keys.computeIfAbsent(key(name), k -> new Key(name));
        KeyVersion version = newKeyVersion(kty, size);
        if (body.get("key_ops") instanceof JsonArray ops) {
            version.operations = ops.getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString)
                    .toList();
        }
        if (body.get("attributes") instanceof JsonObject attributes) {
            keyAttributes(version, attributes);
        }
        key.versions.add(version);
        return KeyVaultAnswer.ok(keyBundle(key, version));
    }

    private KeyVaultAnswer rotate(String name, String principal) {
        if (!allowed(keyPolicies, name, principal, "rotate")) {
            return KeyVaultAnswer.forbidden(principal, "keys/rotate/action", name);
        }
        Key key = keys.get(key(name));
        if (key == null) {
            return KeyVaultAnswer.notFound("Key", name);
        }
        KeyVersion version = newKeyVersion(key.latest().kty, key.latest().size);
        version.operations = key.latest().operations;
        key.versions.add(version);
        return KeyVaultAnswer.ok(keyBundle(key, version));
    }

    private KeyVaultAnswer getKey(String name, String versionId, String principal) {
        if (!allowed(keyPolicies, name, principal, "get")) {
            return KeyVaultAnswer.forbidden(principal, "keys/read", name);
        }
        Key key = keys.get(key(name));
        Optional<KeyVersion> version = key == null ? Optional.empty() : findKey(key, versionId);
        return version.isEmpty()
                ? KeyVaultAnswer.notFound("Key", name)
                : KeyVaultAnswer.ok(keyBundle(key, version.get()));
    }

    private KeyVaultAnswer updateKey(String name, String versionId, JsonObject body, String principal) {
        if (!allowed(keyPolicies, name, principal, "update")) {
            return KeyVaultAnswer.forbidden(principal, "keys/write/action", name);
        }
        Key key = keys.get(key(name));
        Optional<KeyVersion> version = key == null ? Optional.empty() : findKey(key, versionId);
        if (version.isEmpty()) {
            return KeyVaultAnswer.notFound("Key", name);
        }
        if (body != null && body.get("attributes") instanceof JsonObject attributes) {
            keyAttributes(version.get(), attributes);
        }
        version.get().updated = now();
        return KeyVaultAnswer.ok(keyBundle(key, version.get()));
    }

    private static void keyAttributes(KeyVersion version, JsonObject attributes) {
        if (attributes.get("enabled") != null) {
            version.enabled = attributes.get("enabled") != JsonValue.FALSE;
        }
        if (attributes.containsKey("nbf")) {
            version.notBefore = seconds(attributes.get("nbf"));
        }
        if (attributes.containsKey("exp")) {
            version.expires = seconds(attributes.get("exp"));
        }
    }

    private static Optional<KeyVersion> findKey(Key key, String versionId) {
        if (versionId == null) {
            return Optional.of(key.latest());
        }
        return key.versions.stream()
                .filter(v -> v.version.equalsIgnoreCase(versionId))
                .findFirst();
    }

    private KeyVaultAnswer wrap(String name, String versionId, JsonObject body, String principal, boolean wrapping) {
        String operation = wrapping ? "wrapKey" : "unwrapKey";
        if (!allowed(keyPolicies, name, principal, operation)) {
            return KeyVaultAnswer.forbidden(principal, "keys/" + operation + "/action", name);
        }
        Key key = keys.get(key(name));
        Optional<KeyVersion> found = key == null ? Optional.empty() : findKey(key, versionId);
        if (found.isEmpty()) {
            return KeyVaultAnswer.notFound("Key", name + (versionId == null ? "" : "/" + versionId));
        }
        KeyVersion version = found.get();
        if (!version.enabled) {
            return KeyVaultAnswer.error(
                    403, "Forbidden", "KeyDisabled", "Operation " + operation + " is not allowed on a disabled key.");
        }
        long now = now();
        if (wrapping && version.expires != null && now >= version.expires) {
            return KeyVaultAnswer.error(
                    403, "Forbidden", "KeyExpired", "Operation wrapKey is not allowed on an expired key.");
        }
        if (wrapping && version.notBefore != null && now < version.notBefore) {
            return KeyVaultAnswer.error(
                    403, "Forbidden", "KeyNotYetValid", "Operation wrapKey is not allowed on a key not yet valid.");
        }
        if (version.operations != null && !version.operations.contains(operation)) {
            return KeyVaultAnswer.error(
                    403, "Forbidden", null, "Operation " + operation + " is not permitted on this key.");
        }
        String alg = body != null && body.get("alg") instanceof JsonString s ? s.getString() : "";
        byte[] input;
        try {
            input = Base64.getUrlDecoder()
                    .decode(
                            body != null && body.get("value") instanceof JsonString v
                                    ? v.getString().replace("=", "")
                                    : "");
        } catch (IllegalArgumentException e) {
            return KeyVaultAnswer.badParameter("The value is not base64url.");
        }
        try {
            Cipher cipher = cipher(version, alg, wrapping);
            if (cipher == null) {
                return KeyVaultAnswer.badParameter("Algorithm " + alg + " is not valid for a " + version.kty + " key.");
            }
            byte[] output = cipher.doFinal(input);
            return KeyVaultAnswer.ok(Json.createObjectBuilder()
                    .add("kid", keyId(key, version))
                    .add("value", Base64.getUrlEncoder().withoutPadding().encodeToString(output))
                    .build());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return KeyVaultAnswer.badParameter("The parameter is incorrect.");
        }
    }

    private static Cipher cipher(KeyVersion version, String alg, boolean wrapping) throws GeneralSecurityException {
        int mode = wrapping ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        if (version.rsa != null) {
            java.security.Key key = wrapping ? version.rsa.getPublic() : version.rsa.getPrivate();
            Cipher cipher;
            switch (alg) {
                case "RSA-OAEP-256" -> {
                    cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    cipher.init(
                            mode,
                            key,
                            new OAEPParameterSpec(
                                    "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
                }
                case "RSA-OAEP" -> {
                    cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    cipher.init(
                            mode,
                            key,
                            new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
                }
                case "RSA1_5" -> {
                    cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                    cipher.init(mode, key);
                }
                default -> cipher = null;
            }
            return cipher;
        }
        if (!alg.equals("A" + version.size + "KW")) {
            return null;
        }
        Cipher cipher = Cipher.getInstance("AESWrap");
        // AESWrap in the JDK wraps and unwraps through ENCRYPT/DECRYPT on raw bytes as RFC 3394 key wrap.
        cipher.init(mode, version.aes);
        return cipher;
    }

    private JsonObject keyBundle(Key key, KeyVersion version) {
        JsonObjectBuilder jwk =
                Json.createObjectBuilder().add("kid", keyId(key, version)).add("kty", version.kty);
        List<String> ops = version.operations != null
                ? version.operations
                : version.rsa != null
                        ? List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey")
                        : List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");
        JsonArrayBuilder opsArray = Json.createArrayBuilder();
        ops.forEach(opsArray::add);
        jwk.add("key_ops", opsArray);
        if (version.rsa != null) {
            RSAPublicKey publicKey = (RSAPublicKey) version.rsa.getPublic();
            jwk.add("n", unsigned(publicKey.getModulus())).add("e", unsigned(publicKey.getPublicExponent()));
        }
        return Json.createObjectBuilder()
                .add("key", jwk)
                .add(
                        "attributes",
                        attributes(
                                version.enabled, version.notBefore, version.expires, version.created, version.updated))
                .add("tags", JsonValue.EMPTY_JSON_OBJECT)
                .build();
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private KeyVersion newKeyVersion(String kty, int size) {
        try {
            if (kty.startsWith("RSA")) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(size, random);
                return new KeyVersion(newVersion(), kty, size, generator.generateKeyPair(), null, now());
            }
            byte[] material = new byte[size / 8];
            random.nextBytes(material);
            return new KeyVersion(newVersion(), kty, size, null, new SecretKeySpec(material, "AES"), now());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + kty + " key", e);
        }
    }

    private String keyId(Key key, KeyVersion version) {
        return vaultUrl + "/keys/" + key.name + "/" + version.version;
    }

    private String newVersion() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Key Vault's names are case-insensitive. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The names of the secrets the vault holds (not deleted), for tests. */
    public synchronized List<String> secretNames() {
        List<String> names = new ArrayList<>();
        secrets.values().forEach(s -> names.add(s.name));
        return names;
    }

    /** Query parameters of a request's raw query, decoded. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            out.put(
                    java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
