package io.mpsecrets.testkit.vault;

import com.sun.net.httpserver.HttpExchange;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HashiCorp Vault's HTTP API as {@code vault server -dev} gives it, for what mp-secrets uses: KV v2 mounted at
 * {@code secret/} (data, metadata, versions), a KV v1 mount at {@code kv/}, Transit at {@code transit/}
 * ({@link MockTransit}), the database engine at {@code database/} with leases and static roles ({@link MockDatabase}),
 * a root token, AppRole and Kubernetes logins, token renewal and lookup, path policies (403 with Vault's error JSON),
 * the sealed state (503) and namespaces ({@code X-Vault-Namespace}). Faults and counters as for the AWS mocks.
 */
public final class MockVault {

    private final String rootToken;
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private final Set<String> kv2Mounts = ConcurrentHashMap.newKeySet();
    private final MockTransit transit = new MockTransit();
    private final MockDatabase database = new MockDatabase();
    private final Set<String> kv1Mounts = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, List<Version>> kv2 = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, String>> kv1 = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<Rule>> policies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AppRole> appRoles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KubernetesRole> kubernetesRoles = new ConcurrentHashMap<>();
    private final List<String> namespacesSeen = new CopyOnWriteArrayList<>();
    private volatile boolean sealed;
    private volatile String requiredNamespace;

    record Version(Map<String, String> data, Instant created, Instant deleted) {}

    record Rule(String path, Set<String> capabilities) {
        boolean matches(String requestPath) {
            return path.endsWith("*")
                    ? requestPath.startsWith(path.substring(0, path.length() - 1))
                    : requestPath.equals(path);
        }
    }

    record Token(String id, List<String> policies, Duration ttl, Expiry expires, boolean renewable) {}

    /** A token's expiry, which renewal moves. */
    static final class Expiry {
        volatile Instant value;

        Expiry(Instant value) {
            this.value = value;
        }
    }

    record AppRole(String roleId, String secretId, List<String> policies, Duration ttl) {}

    record KubernetesRole(String role, String jwt, List<String> policies, Duration ttl) {}

    public MockVault(String rootToken) {
        this.rootToken = rootToken;
        kv2Mounts.add("secret");
        kv1Mounts.add("kv");
        tokens.put(rootToken, new Token(rootToken, List.of("root"), Duration.ZERO, new Expiry(null), false));
    }

    // ---- Java API for tests ----

    public String rootToken() {
        return rootToken;
    }

    /** The database secrets engine at {@code database/}. */
    public MockDatabase database() {
        return database;
    }

    /** Stops the database engine's expiry timer. */
    public void close() {
        database.close();
    }

    public Faults faults() {
        return faults;
    }

    public CallCounter counter() {
        return counter;
    }

    public long calls(String operation) {
        return counter.calls(operation);
    }

    /** Writes a new KV v2 version at {@code mount/path} (e.g. {@code secret/orders}); returns its version number. */
    public int putV2(String path, Map<String, String> data) {
        List<Version> versions = kv2.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
        synchronized (versions) {
            versions.add(new Version(Map.copyOf(data), Instant.now(), null));
            return versions.size();
        }
    }

    /** Writes a KV v1 secret at {@code mount/path} (e.g. {@code kv/orders}). */
    /** Creates a derived Transit key at {@code transit/keys/<name>}, as {@code derived=true} does in Vault. */
    public void transitKey(String name) {
        transit.create(name);
    }

    /** Rotates a Transit key: new data keys are wrapped under its next version, old ones still unwrap. */
    public void rotateTransitKey(String name) {
        try {
            transit.rotate(name);
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The Transit key's {@code min_decryption_version}: older versions no longer unwrap. */
    public void minDecryptionVersion(String name, int version) {
        try {
            transit.minDecryptionVersion(name, version);
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public void putV1(String path, Map<String, String> data) {
        kv1.put(path, Map.copyOf(data));
    }

    /**
     * A policy: capabilities ({@code read}, {@code create}, {@code update}, {@code delete}, {@code list}) on a path
     * glob ({@code secret/data/orders*}).
     */
    public void policy(String name, String path, String... capabilities) {
        policies.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(new Rule(path, Set.of(capabilities)));
    }

    /** A token with policies and a TTL (zero: never expires). */
    public String token(Duration ttl, String... policyNames) {
        String id = "hvs." + UUID.randomUUID().toString().replace("-", "");
        tokens.put(
                id,
                new Token(
                        id,
                        List.of(policyNames),
                        ttl,
                        new Expiry(ttl.isZero() ? null : Instant.now().plus(ttl)),
                        !ttl.isZero()));
        return id;
    }

    public void appRole(String roleId, String secretId, Duration ttl, String... policyNames) {
        appRoles.put(roleId, new AppRole(roleId, secretId, List.of(policyNames), ttl));
    }

    public void kubernetesRole(String role, String jwt, Duration ttl, String... policyNames) {
        kubernetesRoles.put(role, new KubernetesRole(role, jwt, List.of(policyNames), ttl));
    }

    public void seal() {
        sealed = true;
    }

    public void unseal() {
        sealed = false;
    }

    /** Requests must carry this {@code X-Vault-Namespace} (null: any). */
    public void requireNamespace(String namespace) {
        this.requiredNamespace = namespace;
    }

    public List<String> namespacesSeen() {
        return List.copyOf(namespacesSeen);
    }

    /** Seconds until a token expires; -1 if it never does or does not exist. */
    public long secondsLeft(String token) {
        Token t = tokens.get(token);
        return t == null || t.expires().value == null
                ? -1
                : Duration.between(Instant.now(), t.expires().value).getSeconds();
    }

    // ---- HTTP ----

    static final class VaultError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        VaultError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Serves one request under {@code /v1/}. */
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/v1/".length());
        String method = exchange.getRequestMethod();
        String operation = operation(path, method);
        counter.count(operation);
        String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
        if (namespace != null) {
            namespacesSeen.add(namespace);
        }
        try {
            switch (faults.apply(operation)) {
                case THROTTLE:
                    throw new VaultError(429, "request path \"" + path + "\": rate limit quota exceeded");
                case INTERNAL_ERROR:
                    throw new VaultError(500, "internal error");
                default:
                    break;
            }
            if (sealed) {
                throw new VaultError(503, "Vault is sealed");
            }
            if (requiredNamespace != null && !requiredNamespace.equals(namespace)) {
                throw new VaultError(403, "permission denied");
            }
            JsonObject body = readBody(exchange);
            respond(
                    exchange,
                    route(
                            path,
                            method,
                            body,
                            exchange.getRequestHeaders().getFirst("X-Vault-Token"),
                            exchange.getRequestURI().getRawQuery()));
        } catch (VaultError e) {
            JsonArrayBuilder errors = Json.createArrayBuilder();
            if (e.getMessage() != null) {
                errors.add(e.getMessage());
            }
            send(
                    exchange,
                    e.status,
                    Json.createObjectBuilder().add("errors", errors).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(
                    exchange,
                    500,
                    Json.createObjectBuilder()
                            .add("errors", Json.createArrayBuilder().add("interrupted"))
                            .build());
        }
    }

    private String operation(String path, String method) {
        if (path.startsWith("auth/approle/login")) {
            return "login:approle";
        }
        if (path.startsWith("auth/kubernetes/login")) {
            return "login:kubernetes";
        }
        if (path.startsWith("auth/token/")) {
            return path.substring("auth/token/".length());
        }
        if (path.contains("/metadata/")) {
            return "metadata";
        }
        if (path.startsWith("sys/leases/")) {
            return "lease:" + path.substring("sys/leases/".length());
        }
        if (path.startsWith("sys/")) {
            return "sys";
        }
        if (path.startsWith(MockDatabase.MOUNT + "/creds/")) {
            return "database:creds";
        }
        if (path.startsWith(MockDatabase.MOUNT + "/static-creds/")) {
            return "database:static-creds";
        }
        if (path.startsWith(MockTransit.MOUNT + "/")) {
            String rest = path.substring(MockTransit.MOUNT.length() + 1);
            return "transit:" + (rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
        }
        return method.equals("GET") ? "read" : method.equals("DELETE") ? "delete" : "write";
    }

    private JsonObject route(String path, String method, JsonObject body, String token, String query)
            throws VaultError {
        if (path.equals("sys/health")) {
            return Json.createObjectBuilder()
                    .add("initialized", true)
                    .add("sealed", false)
                    .add("standby", false)
                    .build();
        }
        if (path.equals("auth/approle/login") && method.equals("POST")) {
            AppRole role = appRoles.get(string(body, "role_id"));
            if (role == null || !role.secretId().equals(string(body, "secret_id"))) {
                throw new VaultError(400, "invalid role or secret ID");
            }
            return login(role.policies(), role.ttl());
        }
        if (path.equals("auth/kubernetes/login") && method.equals("POST")) {
            KubernetesRole role = kubernetesRoles.get(string(body, "role"));
            if (role == null || !role.jwt().equals(string(body, "jwt"))) {
                throw new VaultError(403, "permission denied");
            }
            return login(role.policies(), role.ttl());
        }
        Token caller = authenticate(token);
        if (path.equals("auth/token/renew-self") && (method.equals("POST") || method.equals("PUT"))) {
            if (!caller.renewable()) {
                throw new VaultError(400, "lease is not renewable");
            }
            caller.expires().value = Instant.now().plus(caller.ttl());
            return Json.createObjectBuilder().add("auth", auth(caller)).build();
        }
        if (path.equals("auth/token/lookup-self") && method.equals("GET")) {
            return envelope(Json.createObjectBuilder()
                    .add("id", caller.id())
                    .add("ttl", ttlSeconds(caller))
                    .add("renewable", caller.renewable())
                    .add("policies", array(caller.policies()))
                    .build());
        }
        if (path.startsWith("sys/leases/") && (method.equals("POST") || method.equals("PUT"))) {
            authorize(caller, path, "update");
            return database.leases(path.substring("sys/leases/".length()), body);
        }
        int slash = path.indexOf('/');
        String mount = slash < 0 ? path : path.substring(0, slash);
        if (mount.equals(MockDatabase.MOUNT) && slash > 0) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            return database.route(path.substring(slash + 1), method, body);
        }
        if (mount.equals(MockTransit.MOUNT) && slash > 0) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            return transit.route(path.substring(slash + 1), method, body);
        }
        if (kv2Mounts.contains(mount)) {
            return kv2(path, mount, method, body, caller, query);
        }
        if (kv1Mounts.contains(mount)) {
            return kv1(path, method, body, caller);
        }
        throw new VaultError(404, "no handler for route \"" + path + "\". route entry not found.");
    }

    private JsonObject kv2(String path, String mount, String method, JsonObject body, Token caller, String query)
            throws VaultError {
        String rest = path.substring(mount.length() + 1);
        boolean data = rest.startsWith("data/");
        boolean metadata = rest.startsWith("metadata/");
        if (!data && !metadata) {
            throw new VaultError(404, null);
        }
        String secretPath = mount + "/" + rest.substring(rest.indexOf('/') + 1);
        List<Version> versions = kv2.get(secretPath);
        if (metadata) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            if (versions == null) {
                throw new VaultError(404, null);
            }
            JsonObjectBuilder all = Json.createObjectBuilder();
            for (int i = 0; i < versions.size(); i++) {
                Version v = versions.get(i);
                all.add(
                        Integer.toString(i + 1),
                        Json.createObjectBuilder()
                                .add("created_time", v.created().toString())
                                .add(
                                        "deletion_time",
                                        v.deleted() == null ? "" : v.deleted().toString())
                                .add("destroyed", false));
            }
            return envelope(Json.createObjectBuilder()
                    .add("current_version", versions.size())
                    .add("oldest_version", 1)
                    .add("created_time", versions.get(0).created().toString())
                    .add(
                            "updated_time",
                            versions.get(versions.size() - 1).created().toString())
                    .add("max_versions", 0)
                    .add("cas_required", false)
                    .add("versions", all)
                    .build());
        }
        switch (method) {
            case "GET": {
                authorize(caller, path, "read");
                if (versions == null || versions.isEmpty()) {
                    throw new VaultError(404, null);
                }
                int number = versions.size();
                if (query != null && query.startsWith("version=")) {
                    try {
                        number = Integer.parseInt(query.substring("version=".length()));
                    } catch (NumberFormatException e) {
                        throw new VaultError(400, "invalid version");
                    }
                    if (number == 0) {
                        number = versions.size();
                    }
                }
                if (number < 1 || number > versions.size()) {
                    throw new VaultError(404, null);
                }
                Version version = versions.get(number - 1);
                JsonObjectBuilder metadataOut = Json.createObjectBuilder()
                        .add("created_time", version.created().toString())
                        .add("custom_metadata", JsonValue.NULL)
                        .add(
                                "deletion_time",
                                version.deleted() == null
                                        ? ""
                                        : version.deleted().toString())
                        .add("destroyed", false)
                        .add("version", number);
                if (version.deleted() != null) {
                    // Vault answers a deleted version with 404 and its metadata.
                    throw new VaultError(404, null);
                }
                return envelope(Json.createObjectBuilder()
                        .add("data", object(version.data()))
                        .add("metadata", metadataOut)
                        .build());
            }
            case "POST":
            case "PUT": {
                authorize(caller, path, versions == null ? "create" : "update");
                JsonObject payload = body.getJsonObject("data");
                if (payload == null) {
                    throw new VaultError(400, "no data provided");
                }
                int number = putV2(secretPath, strings(payload));
                return envelope(Json.createObjectBuilder()
                        .add("created_time", Instant.now().toString())
                        .add("deletion_time", "")
                        .add("destroyed", false)
                        .add("version", number)
                        .build());
            }
            case "DELETE": {
                authorize(caller, path, "delete");
                if (versions != null && !versions.isEmpty()) {
                    synchronized (versions) {
                        Version last = versions.get(versions.size() - 1);
                        versions.set(versions.size() - 1, new Version(last.data(), last.created(), Instant.now()));
                    }
                }
                return null;
            }
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    private JsonObject kv1(String path, String method, JsonObject body, Token caller) throws VaultError {
        switch (method) {
            case "GET": {
                authorize(caller, path, "read");
                Map<String, String> data = kv1.get(path);
                if (data == null) {
                    throw new VaultError(404, null);
                }
                return Json.createObjectBuilder()
                        .add("request_id", UUID.randomUUID().toString())
                        .add("lease_id", "")
                        .add("renewable", false)
                        .add("lease_duration", 2764800)
                        .add("data", object(data))
                        .add("wrap_info", JsonValue.NULL)
                        .add("warnings", JsonValue.NULL)
                        .add("auth", JsonValue.NULL)
                        .build();
            }
            case "POST":
            case "PUT":
                authorize(caller, path, kv1.containsKey(path) ? "update" : "create");
                putV1(path, strings(body));
                return null;
            case "DELETE":
                authorize(caller, path, "delete");
                kv1.remove(path);
                return null;
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    private JsonObject login(List<String> policyNames, Duration ttl) {
        String id = token(ttl, policyNames.toArray(String[]::new));
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", JsonValue.NULL)
                .add("auth", auth(tokens.get(id)))
                .build();
    }

    private JsonObjectBuilder auth(Token token) {
        List<String> policyNames = new ArrayList<>(token.policies());
        policyNames.add(0, "default");
        return Json.createObjectBuilder()
                .add("client_token", token.id())
                .add("accessor", UUID.randomUUID().toString())
                .add("policies", array(policyNames))
                .add("token_policies", array(policyNames))
                .add("lease_duration", ttlSeconds(token))
                .add("renewable", token.renewable())
                .add("entity_id", "")
                .add("token_type", "service")
                .add("orphan", true);
    }

    private static long ttlSeconds(Token token) {
        return token.expires().value == null
                ? 0
                : Math.max(
                        0,
                        Duration.between(Instant.now(), token.expires().value).getSeconds());
    }

    private Token authenticate(String token) throws VaultError {
        Token caller = token == null ? null : tokens.get(token);
        if (caller == null || (caller.expires().value != null && Instant.now().isAfter(caller.expires().value))) {
            throw new VaultError(403, "permission denied");
        }
        return caller;
    }

    private void authorize(Token caller, String path, String capability) throws VaultError {
        if (caller.policies().contains("root")) {
            return;
        }
        for (String name : caller.policies()) {
            for (Rule rule : policies.getOrDefault(name, List.of())) {
                if (rule.matches(path)
                        && (rule.capabilities().contains(capability)
                                || (capability.equals("update")
                                        && rule.capabilities().contains("create")))) {
                    return;
                }
            }
        }
        throw new VaultError(403, "1 error occurred:\n\t* permission denied\n\n");
    }

    static JsonObject envelope(JsonObject data) {
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", data)
                .add("wrap_info", JsonValue.NULL)
                .add("warnings", JsonValue.NULL)
                .add("auth", JsonValue.NULL)
                .build();
    }

    private static JsonObjectBuilder object(Map<String, String> data) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        new LinkedHashMap<>(data).forEach(out::add);
        return out;
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        values.forEach(out::add);
        return out;
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.forEach((k, v) -> out.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        return out;
    }

    static String string(JsonObject body, String member) {
        JsonValue value = body.get(member);
        return value instanceof JsonString s ? s.getString() : null;
    }

    private static JsonObject readBody(HttpExchange exchange) throws VaultError, IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            try (JsonReader reader = Json.createReader(new java.io.ByteArrayInputStream(bytes))) {
                return reader.readObject();
            } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
                throw new VaultError(400, "failed to parse JSON input");
            }
        }
    }

    private static void respond(HttpExchange exchange, JsonObject body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        send(exchange, 200, body);
    }

    private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
