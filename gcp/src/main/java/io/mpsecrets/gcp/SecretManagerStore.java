package io.mpsecrets.gcp;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.gcp.GcpFailures.Api;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Google Cloud Secret Manager as a secret store, over its REST API (v1). A read is one
 * {@code versions.access} of the version asked for ({@code latest} unless the id pins a number or an alias); its
 * payload's {@code dataCrc32c} is checked (a mismatch is asked again, as Google advises, then is an
 * {@code INVALID_VALUE}), and the value's version is the version number Google answered with. A disabled or destroyed
 * version is not found ({@code FAILED_PRECONDITION}). Rotation is polled through {@code versions.access} of
 * {@code latest} or the alias (the default, {@code rotation-check=access}: the access quota is 150 times the read
 * quota, and no call tells many secrets' versions at once), or, with {@code rotation-check=metadata}, through the
 * version's metadata ({@code versions.get}: no payload is read, but each check spends the read quota, 600 a minute per
 * project; docs/gcp.md, docs/scale.md). As a config source it serves the
 * secrets listed in {@code mpsecrets.gcp.secrets}, or those whose labels match {@code mpsecrets.gcp.labels}, listed
 * page by page up to {@code max-secrets}; a listed secret's property is its id with {@code __} for each dot.
 */
public final class SecretManagerStore implements SecretStore {

    public static final String NAME = GcpSettings.STORE;
    static final String DEFAULT_ENDPOINT = "https://secretmanager.googleapis.com";
    private static final String WORDS = Api.SECRET_MANAGER.words;

    /**
     * The store's own settings besides the connection's.
     *
     * @param endpoint Secret Manager's address for every secret; empty: Google's, global or regional
     *     ({@code https://secretmanager.<location>.rep.googleapis.com}) as the secret is
     * @param location the location of short secret names (regional secrets); empty: global
     * @param labels the labels a secret must have to be served when none are listed
     * @param maxSecrets the most secrets a listing may find
     * @param rotationByAccess whether rotation is polled with {@code versions.access} instead of {@code versions.get}
     */
    record Options(
            Optional<URI> endpoint,
            Optional<String> location,
            Map<String, String> labels,
            int maxSecrets,
            boolean rotationByAccess) {}

    private final GcpHttp http;
    private final GoogleCredentials credentials;
    private final GcpSettings settings;
    private final Options options;
    private volatile String project;

    SecretManagerStore(GcpSettings settings, Options options, GcpHttp http, GoogleCredentials credentials) {
        this.settings = settings;
        this.options = options;
        this.credentials = credentials;
        this.http = http.authenticated(credentials);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretId whole = id.withoutField();
        SecretRef ref = ref(whole);
        SecretName name = name(whole, ref);
        URI uri = uri(name.location(), name.versionPath() + ":access");
        for (int attempt = 1; ; attempt++) {
            JsonObject answer = http.get(uri, Api.SECRET_MANAGER, ref);
            Optional<SecretValue> value = value(answer, name, ref);
            if (value.isPresent()) {
                return value.get();
            }
            if (attempt >= settings.maxAttempts()) {
                throw new InvalidSecretValueException(
                        ref,
                        "the payload does not match its dataCrc32c (" + attempt + " reads): corrupted on the way or"
                                + " at rest");
            }
        }
    }

    /**
     * An {@code AccessSecretVersionResponse}: the payload with the version number Google named, or empty when the
     * payload does not match its {@code dataCrc32c}.
     */
    static Optional<SecretValue> value(JsonObject answer, SecretName name, SecretRef ref) {
        String version = version(answer, name, ref);
        JsonObject payload = GcpJson.object(answer, "payload", WORDS, ref)
                .orElseThrow(() -> new InvalidSecretValueException(ref, WORDS + " answered without a payload"));
        byte[] data = GcpJson.bytes(payload, "data", WORDS, ref).orElseGet(() -> new byte[0]);
        try {
            Optional<Long> crc = GcpJson.crc32c(payload, "dataCrc32c", WORDS, ref);
            if (crc.isPresent() && crc.get() != GcpJson.crc32c(data)) {
                return Optional.empty();
            }
            return Optional.of(SecretValue.of(data, version, null));
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** The version number in an answer's {@code name}, which must be a version of the secret asked for. */
    private static String version(JsonObject answer, SecretName name, SecretRef ref) {
        String answered = GcpJson.required(answer, "name", WORDS, ref);
        return name.versionNumberIn(answered)
                .orElseThrow(() -> new InvalidSecretValueException(
                        ref, WORDS + " answered with a version of another secret, or with no version number"));
    }

    /**
     * A number pinned in the id as it is; otherwise the version {@code latest} (or the alias) names now: from
     * reading it ({@code rotation-check=access}, the default), or from its metadata ({@code versions.get}, with
     * {@code rotation-check=metadata}), which must say it is {@code ENABLED}.
     */
    @Override
    public Optional<String> currentVersion(SecretId id) {
        SecretId whole = id.withoutField();
        SecretRef ref = ref(whole);
        SecretName name = name(whole, ref);
        if (name.pinnedToNumber()) {
            return Optional.of(name.version());
        }
        if (options.rotationByAccess()) {
            return SecretStore.super.currentVersion(whole);
        }
        JsonObject metadata = http.get(uri(name.location(), name.versionPath()), Api.SECRET_MANAGER, ref);
        String version = version(metadata, name, ref);
        String state = state(metadata.get("state"));
        if (!state.equals("ENABLED")) {
            throw new SecretNotFoundException(
                    ref, "the version is " + state + " (" + WORDS + " answered for version " + version + ")");
        }
        return Optional.of(version);
    }

    /** A SecretVersion's state, written as its name or, when asked for {@code enum-encoding=int}, its number. */
    private static String state(JsonValue value) {
        if (value instanceof JsonString text && text.getString().matches("[A-Z_]{1,40}")) {
            return text.getString();
        }
        if (value instanceof JsonNumber number) {
            switch (number.toString()) {
                case "1":
                    return "ENABLED";
                case "2":
                    return "DISABLED";
                case "3":
                    return "DESTROYED";
                default:
                    break;
            }
        }
        return value == null ? "STATE_UNSPECIFIED" : "in an unknown state";
    }

    /**
     * The ids of the secrets whose labels match {@code mpsecrets.gcp.labels} in the default project and location
     * ({@code secrets.list} with {@code filter=labels.<k>=<v> AND ...}), page by page: at most {@code max-secrets}
     * secrets (more is a configuration error: narrow the labels or raise the bound), and at most as many pages as that
     * allows and one more (a service that keeps answering with a page token is cut off).
     */
    @Override
    public List<String> list() {
        if (options.labels().isEmpty()) {
            throw new ConfigurationException(settings.prefix() + "labels is not set: it names the labels of the"
                    + " secrets the gcp store serves when " + settings.prefix() + "secrets lists none, e.g."
                    + " app=orders,env=prod");
        }
        SecretRef ref = SecretRef.secret(NAME, "labels " + options.labels());
        StringJoiner filter = new StringJoiner(" AND ");
        options.labels().forEach((key, value) -> filter.add("labels." + key + "=" + value));
        int pageSize = Math.min(100, options.maxSecrets() + 1);
        int maxPages = options.maxSecrets() / pageSize + 2;
        String parent = "projects/" + project(ref)
                + options.location().map(l -> "/locations/" + l).orElse("") + "/secrets";
        List<String> names = new ArrayList<>();
        String next = null;
        for (int page = 1; ; page++) {
            if (page > maxPages) {
                throw new InvalidSecretValueException(
                        ref,
                        WORDS + " answered more than " + maxPages + " pages for at most " + options.maxSecrets()
                                + " secrets");
            }
            String query = "?pageSize=" + pageSize + "&filter=" + encode(filter.toString())
                    + (next == null ? "" : "&pageToken=" + encode(next));
            JsonObject answer = http.get(uri(options.location().orElse(null), parent + query), Api.SECRET_MANAGER, ref);
            if (answer.get("secrets") instanceof JsonArray secrets) {
                for (JsonValue secret : secrets) {
                    if (!(secret instanceof JsonObject object)) {
                        throw new InvalidSecretValueException(ref, WORDS + " listed something that is not a secret");
                    }
                    names.add(listedId(GcpJson.required(object, "name", WORDS, ref), ref));
                }
            } else if (answer.containsKey("secrets") && answer.get("secrets") != JsonValue.NULL) {
                throw new InvalidSecretValueException(ref, WORDS + " listed secrets that are not an array");
            }
            if (names.size() > options.maxSecrets()) {
                throw new ConfigurationException(
                        ref,
                        "more than " + options.maxSecrets() + " secrets have the labels " + options.labels()
                                + ": narrow " + settings.prefix() + "labels or raise " + settings.prefix()
                                + "max-secrets",
                        null);
            }
            String token = GcpJson.string(answer, "nextPageToken", WORDS, ref).orElse("");
            if (token.isEmpty()) {
                return names;
            }
            if (token.equals(next)) {
                throw new InvalidSecretValueException(ref, WORDS + " answered the same page token twice");
            }
            next = token;
        }
    }

    /** A listed secret's id: the last segment of its name, which must be a secret id. */
    private static String listedId(String name, SecretRef ref) {
        int at = name.lastIndexOf("/secrets/");
        String id = at < 0 ? "" : name.substring(at + "/secrets/".length());
        if (!SecretName.SECRET_ID.matcher(id).matches()) {
            throw new InvalidSecretValueException(ref, WORDS + " listed a secret whose name is not a secret's");
        }
        return id;
    }

    /**
     * A listed secret's property: its id, with a dot for each {@code __} (secret ids have no dots): {@code
     * orders__db-password} serves {@code orders.db-password}.
     */
    @Override
    public String propertyName(String secretId) {
        int at = secretId.lastIndexOf("/secrets/");
        String id = at < 0 ? secretId : secretId.substring(at + "/secrets/".length());
        int version = id.indexOf('/');
        return (version < 0 ? id : id.substring(0, version)).replace("__", ".");
    }

    private SecretName name(SecretId id, SecretRef ref) {
        return SecretName.parse(id, () -> project(ref), options.location(), ref);
    }

    /**
     * The project of short names: {@code mpsecrets.gcp.project} (or {@code GOOGLE_CLOUD_PROJECT}), else the
     * credentials' own (a key file's {@code project_id}, the metadata server's project), asked once.
     */
    private String project(SecretRef ref) {
        String known = project;
        if (known == null) {
            known = settings.project()
                    .or(() -> credentials.project(ref))
                    .orElseThrow(() -> new ConfigurationException(
                            ref,
                            settings.prefix() + "project is not set (nor GOOGLE_CLOUD_PROJECT) and the credentials"
                                    + " name no project: set it, or name secrets in full (projects/<p>/secrets/<id>)",
                            null));
            project = known;
        }
        return known;
    }

    /** {@code <endpoint>/v1/<path>}: the configured endpoint, else Google's for the location. */
    private URI uri(String location, String path) {
        String endpoint = options.endpoint()
                .map(URI::toString)
                .orElse(
                        location == null
                                ? DEFAULT_ENDPOINT
                                : "https://secretmanager." + location + ".rep.googleapis.com");
        return URI.create(endpoint + "/v1/" + path);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static SecretRef ref(SecretId id) {
        return SecretRef.secret(NAME, id.toString());
    }

    @Override
    public String toString() {
        return "SecretManagerStore[" + options.endpoint().map(URI::toString).orElse(DEFAULT_ENDPOINT) + ", "
                + credentials + "]";
    }
}
