package io.mpsecrets.testkit.gcp;

import io.mpsecrets.testkit.gcp.GoogleRest.Call;
import io.mpsecrets.testkit.gcp.GoogleRest.GoogleError;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud Secret Manager's REST API (v1, {@code https://secretmanager.googleapis.com/v1/...}) as its reference
 * describes it, global and regional ({@code projects/<p>/locations/<l>/secrets}): secrets ({@code create} with
 * {@code secretId}, {@code get}, {@code list} with {@code pageSize}, {@code pageToken} and a {@code filter} on
 * {@code labels.<key>=<value>} and {@code name:<text>} joined by {@code AND}, {@code patch} of {@code labels} and
 * {@code versionAliases}, {@code delete}) and versions ({@code addVersion} with {@code dataCrc32c} checked,
 * {@code get}, {@code list}, {@code access}, {@code disable}, {@code enable}, {@code destroy}); a version is named by
 * its number, {@code latest} (the newest, whatever its state) or an alias. Answers name projects by number, as Google
 * does; requests may name them by id or number. An access to a disabled or destroyed version is
 * {@code FAILED_PRECONDITION}, a missing one {@code NOT_FOUND}; a caller a secret's {@link Policy} does not allow the
 * IAM permission ({@code secretmanager.versions.access}, {@code secretmanager.versions.get}, ...) is
 * {@code PERMISSION_DENIED}. Google's Java client ({@code google-cloud-secretmanager} over HTTP/JSON) is what the
 * testkit's own tests check it with. Payloads are never logged.
 */
public final class MockSecretManager {

    /** The permission each operation needs on the secret, as IAM names it. */
    public static final String ACCESS = "secretmanager.versions.access";

    public static final String GET_VERSION = "secretmanager.versions.get";

    private static final Pattern NAME = Pattern.compile(
            "projects/([^/]+)(?:/locations/([^/]+))?/secrets(?:/([^/:]+)(/versions(?:/([^/:]+))?)?)?(?::([a-zA-Z]+))?");
    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");
    private static final int MAX_PAYLOAD = 64 * 1024;

    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private final Map<String, Secret> secrets = new TreeMap<>();
    private final AtomicInteger corruptNext = new AtomicInteger();

    /** A version's state, with its number in the API's enum. */
    enum State {
        ENABLED(1),
        DISABLED(2),
        DESTROYED(3);

        final int number;

        State(int number) {
            this.number = number;
        }
    }

    private static final class Version {
        final long number;
        final Instant created = Instant.now();
        final boolean clientChecksum;
        byte[] data;
        State state = State.ENABLED;
        Instant destroyed;

        Version(long number, byte[] data, boolean clientChecksum) {
            this.number = number;
            this.data = data.clone();
            this.clientChecksum = clientChecksum;
        }
    }

    private static final class Secret {
        final String project;
        final String location;
        final String id;
        final Instant created = Instant.now();
        final Map<String, String> labels = new TreeMap<>();
        final Map<String, Long> aliases = new TreeMap<>();
        final List<Version> versions = new ArrayList<>();
        Policy policy = Policy.OPEN;

        Secret(String project, String location, String id) {
            this.project = project;
            this.location = location;
            this.id = id;
        }

        /** The key it is kept under and named by in the Java API: {@code projects/<id>[/locations/<l>]/secrets/<s>}. */
        String key() {
            return key(project, location, id);
        }

        static String key(String project, String location, String id) {
            return "projects/" + project + (location == null ? "" : "/locations/" + location) + "/secrets/" + id;
        }

        /** As Google answers: the project by number. */
        String name() {
            return "projects/" + MockGoogleCloud.projectNumber(project)
                    + (location == null ? "" : "/locations/" + location) + "/secrets/" + id;
        }

        String etag() {
            return "\""
                    + HexFormat.of()
                            .formatHex(Long.toString(created.toEpochMilli() + versions.size())
                                    .getBytes(StandardCharsets.US_ASCII))
                    + "\"";
        }
    }

    MockSecretManager() {}

    public Faults faults() {
        return faults;
    }

    /** Calls per operation, by the API's method names: {@code AccessSecretVersion}, {@code GetSecretVersion}, ... */
    public CallCounter counter() {
        return counter;
    }

    public long calls(String operation) {
        return counter.calls(operation);
    }

    // ---- Java API for tests: secrets are named projects/<project id>[/locations/<l>]/secrets/<id> ----

    /** Creates a secret with a first version holding {@code value}; returns the version's number ({@code 1}). */
    public String createSecret(String name, String value) {
        return createSecret(name, value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Creates a secret with these labels and a first version holding {@code value}; returns {@code 1}. */
    public synchronized String createSecret(String name, byte[] value, Map<String, String> labels) {
        Matcher m = parse(name);
        if (m.group(3) == null || !SECRET_ID.matcher(m.group(3)).matches() || secrets.containsKey(name)) {
            throw new IllegalArgumentException("not a new secret's name: " + name);
        }
        Secret secret = new Secret(m.group(1), m.group(2), m.group(3));
        secret.labels.putAll(labels);
        secrets.put(secret.key(), secret);
        return addVersion(name, value);
    }

    /** A new version (a rotation); returns its number. */
    public String addVersion(String name, String value) {
        return addVersion(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized String addVersion(String name, byte[] value) {
        Secret secret = existing(name);
        Version version = new Version(secret.versions.size() + 1L, value, false);
        secret.versions.add(version);
        return String.valueOf(version.number);
    }

    public synchronized void disable(String name, String version) {
        version(existing(name), version).state = State.DISABLED;
    }

    public synchronized void enable(String name, String version) {
        version(existing(name), version).state = State.ENABLED;
    }

    /** Destroys a version: its payload is gone, for good. */
    public synchronized void destroy(String name, String version) {
        Version v = version(existing(name), version);
        v.state = State.DESTROYED;
        v.data = new byte[0];
        v.destroyed = Instant.now();
    }

    /** Points the alias at a version number. */
    public synchronized void alias(String name, String alias, String version) {
        existing(name).aliases.put(alias, Long.parseLong(version));
    }

    public synchronized void labels(String name, Map<String, String> labels) {
        Secret secret = existing(name);
        secret.labels.clear();
        secret.labels.putAll(labels);
    }

    /** Who may do what on the secret (IAM permissions as operations); without statements, everyone may. */
    public synchronized void policy(String name, Policy policy) {
        existing(name).policy = policy;
    }

    public synchronized boolean exists(String name) {
        return secrets.containsKey(name);
    }

    public synchronized void delete(String name) {
        secrets.remove(name);
    }

    /** The next {@code accesses} answers to {@code access} carry a {@code dataCrc32c} that does not match. */
    public void corruptNextAccess(int accesses) {
        corruptNext.set(accesses);
    }

    private Matcher parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a secret's name: " + name);
        }
        return m;
    }

    private Secret existing(String name) {
        Secret secret = secrets.get(name);
        if (secret == null) {
            throw new IllegalArgumentException("no such secret: " + name);
        }
        return secret;
    }

    private static Version version(Secret secret, String number) {
        long n = Long.parseLong(number);
        if (n < 1 || n > secret.versions.size()) {
            throw new IllegalArgumentException("no version " + number + " of " + secret.key());
        }
        return secret.versions.get((int) n - 1);
    }

    // ---- the wire API ----

    boolean serves(String path) {
        return path.startsWith("/v1/projects/") && !path.contains("/keyRings") && path.contains("/secrets");
    }

    JsonObject handle(Call call) throws GoogleError {
        Matcher m = NAME.matcher(call.path().substring("/v1/".length()));
        if (!m.matches()) {
            throw GoogleRest.notFound("The requested URL " + call.path() + " was not found on this server.");
        }
        String project = MockGoogleCloud.projectId(m.group(1));
        String location = m.group(2);
        String secretId = m.group(3);
        boolean versions = m.group(4) != null;
        String version = m.group(5);
        String verb = m.group(6);
        String operation = operation(call.method(), secretId, versions, version, verb);
        counter.count(operation);
        fault(operation); // outside the lock: a test's latency delays this call only
        synchronized (this) {
            return serve(call, operation, project, location, secretId, version);
        }
    }

    private JsonObject serve(
            Call call, String operation, String project, String location, String secretId, String version)
            throws GoogleError {
        if (secretId == null) {
            return operation.equals("CreateSecret") ? create(call, project, location) : list(call, project, location);
        }
        Secret secret = secrets.get(Secret.key(project, location, secretId));
        if (secret == null) {
            if (operation.equals("AccessSecretVersion") || operation.equals("GetSecretVersion")) {
                throw GoogleRest.notFound(
                        "Secret [" + Secret.key(MockGoogleCloud.projectNumber(project) + "", location, secretId)
                                + "] not found or has no versions.");
            }
            throw GoogleRest.notFound("Secret ["
                    + Secret.key(MockGoogleCloud.projectNumber(project) + "", location, secretId) + "] not found.");
        }
        String permission = permission(operation);
        if (!secret.policy.allows(call.principal(), permission, Map.of())) {
            throw GoogleRest.denied(permission, secret.name() + (version == null ? "" : "/versions/" + version));
        }
        switch (operation) {
            case "GetSecret":
                return secretJson(secret);
            case "UpdateSecret":
                return update(call, secret);
            case "DeleteSecret":
                secrets.remove(secret.key());
                return JsonValue.EMPTY_JSON_OBJECT;
            case "AddSecretVersion":
                return add(call, secret);
            case "ListSecretVersions":
                return listVersions(call, secret);
            default:
                break;
        }
        Version found = resolve(secret, version);
        switch (operation) {
            case "GetSecretVersion":
                return versionJson(call, secret, found);
            case "AccessSecretVersion":
                return access(secret, found);
            case "DisableSecretVersion":
                requireNotDestroyed(secret, found);
                found.state = State.DISABLED;
                return versionJson(call, secret, found);
            case "EnableSecretVersion":
                requireNotDestroyed(secret, found);
                found.state = State.ENABLED;
                return versionJson(call, secret, found);
            case "DestroySecretVersion":
                found.state = State.DESTROYED;
                found.data = new byte[0];
                found.destroyed = Instant.now();
                return versionJson(call, secret, found);
            default:
                throw GoogleRest.notFound("Unknown operation " + operation);
        }
    }

    private static String operation(String method, String secretId, boolean versions, String version, String verb)
            throws GoogleError {
        String key = method + " "
                + (secretId == null ? "secrets" : versions ? version == null ? "versions" : "version" : "secret")
                + (verb == null ? "" : ":" + verb);
        return switch (key) {
            case "POST secrets" -> "CreateSecret";
            case "GET secrets" -> "ListSecrets";
            case "GET secret" -> "GetSecret";
            case "PATCH secret" -> "UpdateSecret";
            case "DELETE secret" -> "DeleteSecret";
            case "POST secret:addVersion" -> "AddSecretVersion";
            case "GET versions" -> "ListSecretVersions";
            case "GET version" -> "GetSecretVersion";
            case "GET version:access" -> "AccessSecretVersion";
            case "POST version:disable" -> "DisableSecretVersion";
            case "POST version:enable" -> "EnableSecretVersion";
            case "POST version:destroy" -> "DestroySecretVersion";
            default -> throw GoogleRest.notFound("No such method: " + key);
        };
    }

    private static String permission(String operation) {
        return switch (operation) {
            case "AccessSecretVersion" -> ACCESS;
            case "GetSecretVersion" -> GET_VERSION;
            case "ListSecretVersions" -> "secretmanager.versions.list";
            case "AddSecretVersion" -> "secretmanager.versions.add";
            case "DisableSecretVersion" -> "secretmanager.versions.disable";
            case "EnableSecretVersion" -> "secretmanager.versions.enable";
            case "DestroySecretVersion" -> "secretmanager.versions.destroy";
            case "UpdateSecret" -> "secretmanager.secrets.update";
            case "DeleteSecret" -> "secretmanager.secrets.delete";
            default -> "secretmanager.secrets.get";
        };
    }

    private void fault(String operation) throws GoogleError {
        Faults.Action action;
        try {
            action = faults.apply(operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GoogleRest.unavailable();
        }
        if (action == Faults.Action.THROTTLE) {
            throw GoogleRest.throttled(
                    operation.equals("AccessSecretVersion")
                            ? "secretmanager.googleapis.com/access_requests"
                            : "secretmanager.googleapis.com/read_requests");
        }
        if (action == Faults.Action.INTERNAL_ERROR) {
            throw GoogleRest.unavailable();
        }
    }

    private JsonObject create(Call call, String project, String location) throws GoogleError {
        String id = call.query().getOrDefault("secretId", "");
        if (!SECRET_ID.matcher(id).matches()) {
            throw GoogleRest.invalid("Secret ID must be 1 to 255 letters, digits, hyphens and underscores.");
        }
        if (secrets.containsKey(Secret.key(project, location, id))) {
            throw GoogleRest.exists("Secret [" + Secret.key(MockGoogleCloud.projectNumber(project) + "", location, id)
                    + "] already exists.");
        }
        if (location == null && !(call.body().get("replication") instanceof JsonObject)) {
            throw GoogleRest.invalid("Secret.replication is required.");
        }
        Secret secret = new Secret(project, location, id);
        labels(call.body(), secret);
        secrets.put(secret.key(), secret);
        return secretJson(secret);
    }

    private static void labels(JsonObject body, Secret secret) throws GoogleError {
        if (body.get("labels") instanceof JsonObject labels) {
            secret.labels.clear();
            for (Map.Entry<String, JsonValue> label : labels.entrySet()) {
                if (!(label.getValue() instanceof JsonString value)) {
                    throw GoogleRest.invalid("Invalid value at 'secret.labels'.");
                }
                secret.labels.put(label.getKey(), value.getString());
            }
        }
    }

    private JsonObject update(Call call, Secret secret) throws GoogleError {
        String mask = call.query().getOrDefault("updateMask", "");
        for (String field : mask.split(",")) {
            switch (field.trim()) {
                case "labels":
                    labels(call.body(), secret);
                    break;
                case "versionAliases":
                case "version_aliases": {
                    secret.aliases.clear();
                    if (call.body().get("versionAliases") instanceof JsonObject aliases) {
                        for (String alias : aliases.keySet()) {
                            if (!ALIAS.matcher(alias).matches()) {
                                throw GoogleRest.invalid("Invalid alias: " + alias);
                            }
                            long number = GoogleRest.int64(aliases, alias).orElse(0L);
                            if (number < 1 || number > secret.versions.size()) {
                                throw GoogleRest.invalid(
                                        "Alias " + alias + " points to a version that does not" + " exist.");
                            }
                            secret.aliases.put(alias, number);
                        }
                    }
                    break;
                }
                default:
                    throw GoogleRest.invalid("Invalid update mask: " + mask);
            }
        }
        return secretJson(secret);
    }

    private JsonObject add(Call call, Secret secret) throws GoogleError {
        JsonObject payload =
                call.body().get("payload") instanceof JsonObject given ? given : JsonValue.EMPTY_JSON_OBJECT;
        byte[] data = GoogleRest.bytes(payload, "data").orElse(new byte[0]);
        if (data.length > MAX_PAYLOAD) {
            throw GoogleRest.invalid("Secret Version payload exceeds the maximum size of 65536 bytes.");
        }
        Optional<Long> crc = GoogleRest.int64(payload, "dataCrc32c");
        if (crc.isPresent() && crc.get() != GoogleRest.crc32c(data)) {
            throw GoogleRest.invalid("Checksum mismatch: the data_crc32c does not match the payload.");
        }
        Version version = new Version(secret.versions.size() + 1L, data, crc.isPresent());
        secret.versions.add(version);
        return versionJson(call, secret, version);
    }

    private Version resolve(Secret secret, String version) throws GoogleError {
        String name = secret.name() + "/versions/" + version;
        if (version.equals("latest")) {
            if (secret.versions.isEmpty()) {
                throw GoogleRest.notFound("Secret [" + secret.name() + "] not found or has no versions.");
            }
            return secret.versions.get(secret.versions.size() - 1);
        }
        long number;
        if (version.chars().allMatch(Character::isDigit) && version.length() < 19) {
            number = Long.parseLong(version);
        } else if (secret.aliases.containsKey(version)) {
            number = secret.aliases.get(version);
        } else {
            throw GoogleRest.notFound("Secret Version [" + name + "] not found.");
        }
        if (number < 1 || number > secret.versions.size()) {
            throw GoogleRest.notFound("Secret Version [" + name + "] not found.");
        }
        return secret.versions.get((int) number - 1);
    }

    private JsonObject access(Secret secret, Version version) throws GoogleError {
        String name = secret.name() + "/versions/" + version.number;
        if (version.state != State.ENABLED) {
            throw GoogleRest.precondition("Secret Version [" + name + "] is in " + version.state + " state.");
        }
        long crc = GoogleRest.crc32c(version.data);
        if (corruptNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            crc ^= 1;
        }
        return Json.createObjectBuilder()
                .add("name", name)
                .add(
                        "payload",
                        Json.createObjectBuilder()
                                .add("data", GoogleRest.base64(version.data))
                                .add("dataCrc32c", String.valueOf(crc)))
                .build();
    }

    private static void requireNotDestroyed(Secret secret, Version version) throws GoogleError {
        if (version.state == State.DESTROYED) {
            throw GoogleRest.precondition(
                    "Secret Version [" + secret.name() + "/versions/" + version.number + "] is in DESTROYED state.");
        }
    }

    private JsonObject list(Call call, String project, String location) throws GoogleError {
        List<Filter> filter = filter(call.query().getOrDefault("filter", ""));
        List<Secret> matching = new ArrayList<>();
        for (Secret secret : secrets.values()) {
            if (secret.project.equals(project)
                    && java.util.Objects.equals(secret.location, location)
                    && filter.stream().allMatch(f -> f.test(secret))) {
                matching.add(secret);
            }
        }
        JsonArrayBuilder page = Json.createArrayBuilder();
        String next = page(call, matching, secret -> page.add(secretJson(secret)));
        JsonObjectBuilder out = Json.createObjectBuilder();
        if (!matching.isEmpty()) {
            out.add("secrets", page);
        }
        if (next != null) {
            out.add("nextPageToken", next);
        }
        return out.add("totalSize", matching.size()).build();
    }

    private JsonObject listVersions(Call call, Secret secret) throws GoogleError {
        List<Version> newestFirst = new ArrayList<>(secret.versions);
        java.util.Collections.reverse(newestFirst);
        JsonArrayBuilder page = Json.createArrayBuilder();
        String next = page(call, newestFirst, version -> page.add(versionJson(call, secret, version)));
        JsonObjectBuilder out = Json.createObjectBuilder();
        if (!newestFirst.isEmpty()) {
            out.add("versions", page);
        }
        if (next != null) {
            out.add("nextPageToken", next);
        }
        return out.add("totalSize", newestFirst.size()).build();
    }

    /** Adds one page of {@code items} to the answer; the next page's token, or null after the last. */
    private static <T> String page(Call call, List<T> items, java.util.function.Consumer<T> add) throws GoogleError {
        int size = call.intParameter("pageSize", 25000, 25000);
        if (size == 0) {
            size = 25000;
        }
        int from = GoogleRest.offset(call.query().get("pageToken"));
        int to = Math.min(items.size(), from + size);
        for (int i = from; i < to; i++) {
            add.accept(items.get(i));
        }
        return to < items.size() ? GoogleRest.pageToken(to) : null;
    }

    /** A filter's term: {@code labels.<k>=<v>}, {@code labels.<k>:<v>}, {@code labels.<k>:*} or {@code name:<s>}. */
    private interface Filter {
        boolean test(Secret secret);
    }

    private static List<Filter> filter(String text) throws GoogleError {
        List<Filter> terms = new ArrayList<>();
        if (text.isBlank()) {
            return terms;
        }
        for (String term : text.trim().split("\\s+AND\\s+")) {
            Matcher label = Pattern.compile("labels\\.([a-z][a-z0-9_-]*)\\s*([=:])\\s*\"?([^\"\\s]*)\"?")
                    .matcher(term);
            Matcher name = Pattern.compile("name\\s*:\\s*\"?([^\"\\s]+)\"?").matcher(term);
            if (label.matches()) {
                String key = label.group(1);
                String value = label.group(3);
                boolean any = label.group(2).equals(":") && value.equals("*");
                terms.add(secret -> secret.labels.containsKey(key)
                        && (any || secret.labels.get(key).equals(value)));
            } else if (name.matches()) {
                String part = name.group(1);
                terms.add(secret -> secret.id.contains(part));
            } else {
                throw GoogleRest.invalid("Invalid filter: " + term);
            }
        }
        return terms;
    }

    private static JsonObject secretJson(Secret secret) {
        JsonObjectBuilder labels = Json.createObjectBuilder();
        secret.labels.forEach(labels::add);
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("name", secret.name())
                .add("createTime", GoogleRest.time(secret.created))
                .add("labels", labels)
                .add("etag", secret.etag());
        if (secret.location == null) {
            out.add("replication", Json.createObjectBuilder().add("automatic", JsonValue.EMPTY_JSON_OBJECT));
        }
        if (!secret.aliases.isEmpty()) {
            JsonObjectBuilder aliases = Json.createObjectBuilder();
            secret.aliases.forEach((alias, number) -> aliases.add(alias, String.valueOf(number)));
            out.add("versionAliases", aliases);
        }
        return out.build();
    }

    private static JsonObject versionJson(Call call, Secret secret, Version version) {
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("name", secret.name() + "/versions/" + version.number)
                .add("createTime", GoogleRest.time(version.created))
                .add("state", call.enumValue(version.state.name(), version.state.number))
                .add("etag", "\"" + Long.toHexString(version.created.toEpochMilli() * 31 + version.state.number) + "\"")
                .add("clientSpecifiedPayloadChecksum", version.clientChecksum);
        if (secret.location == null) {
            out.add("replicationStatus", Json.createObjectBuilder().add("automatic", JsonValue.EMPTY_JSON_OBJECT));
        }
        if (version.destroyed != null) {
            out.add("destroyTime", GoogleRest.time(version.destroyed));
        }
        return out.build();
    }

    @Override
    public synchronized String toString() {
        return "MockSecretManager[" + secrets.size() + " secrets]";
    }
}
