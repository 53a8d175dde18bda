package io.mpsecrets.testkit.secretsmanager;

import io.mpsecrets.testkit.aws.AwsError;
import io.mpsecrets.testkit.aws.AwsJson;
import io.mpsecrets.testkit.aws.AwsJsonService;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * AWS Secrets Manager over AWS JSON 1.1 ({@code secretsmanager.*}): CreateSecret, PutSecretValue, GetSecretValue
 * (by stage or version id), BatchGetSecretValue (at most 20 ids, per-id errors), DescribeSecret
 * (VersionIdsToStages), UpdateSecretVersionStage, ListSecrets, DeleteSecret. Staging labels move as AWS documents:
 * a new AWSCURRENT version makes the old one AWSPREVIOUS. Per-secret policies by principal, as for the mock KMS.
 */
public final class MockSecretsManager extends AwsJsonService {

    public static final String CURRENT = "AWSCURRENT";
    public static final String PREVIOUS = "AWSPREVIOUS";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final String region;
    private final String account;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Set<String> listingDenied = ConcurrentHashMap.newKeySet();
    private volatile Map<String, JsonObject> frozenListing;

    static final class Version {
        final String id;
        final String string;
        final byte[] binary;
        final Instant created = Instant.now();
        final Set<String> stages = new LinkedHashSet<>();

        Version(String id, String string, byte[] binary) {
            this.id = id;
            this.string = string;
            this.binary = binary;
        }
    }

    static final class Secret {
        final String name;
        final String arn;
        final String description;
        final Instant created = Instant.now();
        volatile Instant lastChanged = created;
        volatile Instant deleted;
        volatile Policy policy = Policy.OPEN;
        final Map<String, Version> versions = new LinkedHashMap<>();

        Secret(String name, String arn, String description) {
            this.name = name;
            this.arn = arn;
            this.description = description;
        }

        synchronized Optional<Version> staged(String stage) {
            return versions.values().stream()
                    .filter(v -> v.stages.contains(stage))
                    .findFirst();
        }
    }

    public MockSecretsManager(String region, String account) {
        super("secretsmanager.");
        this.region = region;
        this.account = account;
    }

    @Override
    protected String internalErrorType() {
        return "InternalServiceError";
    }

    // ---- Java API for tests ----

    /** Creates a secret with a string value; returns the version id. */
    public String createSecret(String name, String value) {
        return create(name, value, null);
    }

    /** Creates a secret with a binary value; returns the version id. */
    public String createBinarySecret(String name, byte[] value) {
        return create(name, null, value);
    }

    private String create(String name, String string, byte[] binary) {
        try {
            Secret secret = newSecret(name, "");
            return secret == null
                    ? null
                    : putValue(secret, UUID.randomUUID().toString(), string, binary, List.of(CURRENT)).id;
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A new AWSCURRENT version (rotation); the old current becomes AWSPREVIOUS. Returns the new version id. */
    public String putSecretValue(String name, String value) {
        try {
            return putValue(secret(name), UUID.randomUUID().toString(), value, null, List.of(CURRENT)).id;
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public void policy(String name, Policy policy) {
        secrets.get(name).policy = policy;
    }

    /** Whether a secret of this name exists (deleted or not). */
    public boolean exists(String name) {
        return secrets.containsKey(name);
    }

    /** Version id to staging labels. */
    public Map<String, Set<String>> versionIdsToStages(String name) {
        Secret secret = secrets.get(name);
        Map<String, Set<String>> out = new LinkedHashMap<>();
        synchronized (secret) {
            secret.versions.values().stream()
                    .filter(v -> !v.stages.isEmpty())
                    .forEach(v -> out.put(v.id, Set.copyOf(v.stages)));
        }
        return out;
    }

    public String arn(String name) {
        return secrets.get(name).arn;
    }

    /**
     * ListSecrets answers as of now until {@link #thawListing()}: versions moved since are not listed, secrets created
     * since are left out (AWS: "ListSecrets might not reflect changes from the last five minutes").
     */
    public void freezeListing() {
        Map<String, JsonObject> snapshot = new LinkedHashMap<>();
        for (Secret secret : secrets.values()) {
            snapshot.put(secret.name, listEntry(secret));
        }
        frozenListing = snapshot;
    }

    /** ListSecrets answers with the secrets as they are again. */
    public void thawListing() {
        frozenListing = null;
    }

    /** ListSecrets refuses {@code principal} ({@code AccessDeniedException}), as IAM does without the permission. */
    public void denyListing(String principal, boolean denied) {
        if (denied) {
            listingDenied.add(principal);
        } else {
            listingDenied.remove(principal);
        }
    }

    // ---- the wire API ----

    @Override
    public JsonObject call(String operation, JsonObject request, String principal) throws AwsError {
        switch (operation) {
            case "CreateSecret":
                return createSecretOp(request);
            case "PutSecretValue":
                return putSecretValueOp(request, principal);
            case "GetSecretValue":
                return getSecretValueOp(request, principal);
            case "BatchGetSecretValue":
                return batchGet(request, principal);
            case "DescribeSecret":
                return describe(request, principal);
            case "UpdateSecretVersionStage":
                return updateStage(request, principal);
            case "ListSecrets":
                return list(request, principal);
            case "DeleteSecret":
                return delete(request, principal);
            default:
                throw AwsError.badRequest("UnknownOperationException", "Unknown operation " + operation);
        }
    }

    private Secret newSecret(String name, String description) throws AwsError {
        if (!NAME.matcher(name).matches()) {
            throw AwsError.badRequest(
                    "InvalidParameterException",
                    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
                            + "following: -/_+=.@!");
        }
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        Secret secret = new Secret(
                name,
                "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix,
                description);
        if (secrets.putIfAbsent(name, secret) != null) {
            throw AwsError.badRequest(
                    "ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        return secret;
    }

    private JsonObject createSecretOp(JsonObject request) throws AwsError {
        String name = AwsJson.required(request, "Name");
        String string = AwsJson.string(request, "SecretString");
        byte[] binary = AwsJson.blob(request, "SecretBinary");
        if (string != null && binary != null) {
            throw AwsError.badRequest(
                    "InvalidParameterException",
                    "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        Secret secret = newSecret(
                name,
                Optional.ofNullable(AwsJson.string(request, "Description")).orElse(""));
        JsonObjectBuilder out =
                Json.createObjectBuilder().add("ARN", secret.arn).add("Name", secret.name);
        if (string != null || binary != null) {
            String token = Optional.ofNullable(AwsJson.string(request, "ClientRequestToken"))
                    .orElse(UUID.randomUUID().toString());
            out.add("VersionId", putValue(secret, token, string, binary, List.of(CURRENT)).id);
        }
        return out.build();
    }

    private JsonObject putSecretValueOp(JsonObject request, String principal) throws AwsError {
        Secret secret = allowed(request, "PutSecretValue", principal);
        String string = AwsJson.string(request, "SecretString");
        byte[] binary = AwsJson.blob(request, "SecretBinary");
        if ((string == null) == (binary == null)) {
            throw AwsError.badRequest(
                    "InvalidParameterException", "You must provide either SecretString or SecretBinary.");
        }
        List<String> stages = new ArrayList<>(AwsJson.stringList(request, "VersionStages"));
        if (stages.isEmpty()) {
            stages.add(CURRENT);
        }
        String token = Optional.ofNullable(AwsJson.string(request, "ClientRequestToken"))
                .orElse(UUID.randomUUID().toString());
        Version version = putValue(secret, token, string, binary, stages);
        JsonArrayBuilder labels = Json.createArrayBuilder();
        version.stages.forEach(labels::add);
        return Json.createObjectBuilder()
                .add("ARN", secret.arn)
                .add("Name", secret.name)
                .add("VersionId", version.id)
                .add("VersionStages", labels)
                .build();
    }

    private Version putValue(Secret secret, String versionId, String string, byte[] binary, List<String> stages)
            throws AwsError {
        synchronized (secret) {
            Version existing = secret.versions.get(versionId);
            if (existing != null) {
                boolean same = string != null ? string.equals(existing.string) : Arrays.equals(binary, existing.binary);
                if (!same) {
                    throw AwsError.badRequest(
                            "ResourceExistsException",
                            "You can't modify an existing version, you can only create a new version.");
                }
                return existing;
            }
            Version version = new Version(versionId, string, binary == null ? null : binary.clone());
            secret.versions.put(versionId, version);
            for (String stage : stages) {
                moveStage(secret, stage, version);
            }
            secret.lastChanged = Instant.now();
            return version;
        }
    }

    /** Attaches a label to a version, taking it from whichever had it; AWSCURRENT leaves AWSPREVIOUS behind. */
    private static void moveStage(Secret secret, String stage, Version to) {
        Optional<Version> from = secret.staged(stage);
        if (from.isPresent() && from.get() == to) {
            return;
        }
        from.ifPresent(v -> v.stages.remove(stage));
        to.stages.add(stage);
        if (stage.equals(CURRENT) && from.isPresent()) {
            secret.staged(PREVIOUS).ifPresent(v -> v.stages.remove(PREVIOUS));
            from.get().stages.add(PREVIOUS);
        }
    }

    private JsonObject getSecretValueOp(JsonObject request, String principal) throws AwsError {
        Secret secret = allowed(request, "GetSecretValue", principal);
        return value(secret, AwsJson.string(request, "VersionId"), AwsJson.string(request, "VersionStage"))
                .build();
    }

    private JsonObjectBuilder value(Secret secret, String versionId, String stage) throws AwsError {
        if (secret.deleted != null) {
            throw AwsError.badRequest(
                    "InvalidRequestException",
                    "You can't perform this operation on the secret because it was marked for deletion.");
        }
        Version version;
        synchronized (secret) {
            if (versionId != null) {
                version = secret.versions.get(versionId);
                if (version == null || (stage != null && !version.stages.contains(stage))) {
                    throw AwsError.badRequest(
                            "ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
                }
            } else {
                String label = stage == null ? CURRENT : stage;
                version = secret.staged(label)
                        .orElseThrow(() -> AwsError.badRequest(
                                "ResourceNotFoundException",
                                "Secrets Manager can't find the specified secret value for staging label: " + label));
            }
        }
        JsonArrayBuilder stages = Json.createArrayBuilder();
        synchronized (secret) {
            version.stages.forEach(stages::add);
        }
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("ARN", secret.arn)
                .add("Name", secret.name)
                .add("VersionId", version.id)
                .add("VersionStages", stages)
                .add("CreatedDate", AwsJson.timestamp(version.created));
        if (version.string != null) {
            out.add("SecretString", version.string);
        } else {
            out.add("SecretBinary", AwsJson.base64(version.binary));
        }
        return out;
    }

    private JsonObject batchGet(JsonObject request, String principal) throws AwsError {
        JsonArray ids = request.getJsonArray("SecretIdList");
        if (ids == null && request.get("Filters") != null) {
            throw AwsError.badRequest("InvalidParameterException", "The mock supports SecretIdList only");
        }
        if (ids == null || ids.isEmpty()) {
            throw AwsError.badRequest(
                    "InvalidParameterException", "Either 'SecretIdList' or 'Filters' must be provided.");
        }
        if (ids.size() > 20) {
            throw AwsError.validation(
                    "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: Member must "
                            + "have length less than or equal to 20");
        }
        JsonArrayBuilder values = Json.createArrayBuilder();
        JsonArrayBuilder errors = Json.createArrayBuilder();
        for (JsonValue id : ids) {
            String secretId = ((JsonString) id).getString();
            try {
                Secret secret = find(secretId);
                check(secret, "GetSecretValue", principal);
                values.add(value(secret, null, null));
            } catch (AwsError e) {
                errors.add(Json.createObjectBuilder()
                        .add("SecretId", secretId)
                        .add("ErrorCode", e.type())
                        .add("Message", e.getMessage() == null ? "" : e.getMessage()));
            }
        }
        return Json.createObjectBuilder()
                .add("SecretValues", values)
                .add("Errors", errors)
                .build();
    }

    private JsonObject describe(JsonObject request, String principal) throws AwsError {
        Secret secret = allowed(request, "DescribeSecret", principal);
        JsonObjectBuilder out = summary(secret);
        if (secret.deleted != null) {
            out.add("DeletedDate", AwsJson.timestamp(secret.deleted));
        }
        return out.build();
    }

    private JsonObjectBuilder summary(Secret secret) {
        JsonObjectBuilder stages = Json.createObjectBuilder();
        synchronized (secret) {
            secret.versions.values().stream().filter(v -> !v.stages.isEmpty()).forEach(v -> {
                JsonArrayBuilder labels = Json.createArrayBuilder();
                v.stages.forEach(labels::add);
                stages.add(v.id, labels);
            });
        }
        return Json.createObjectBuilder()
                .add("ARN", secret.arn)
                .add("Name", secret.name)
                .add("Description", secret.description)
                .add("CreatedDate", AwsJson.timestamp(secret.created))
                .add("LastChangedDate", AwsJson.timestamp(secret.lastChanged))
                .add("RotationEnabled", false)
                .add("VersionIdsToStages", stages);
    }

    private JsonObject updateStage(JsonObject request, String principal) throws AwsError {
        Secret secret = allowed(request, "UpdateSecretVersionStage", principal);
        String stage = AwsJson.required(request, "VersionStage");
        String moveTo = AwsJson.string(request, "MoveToVersionId");
        String removeFrom = AwsJson.string(request, "RemoveFromVersionId");
        synchronized (secret) {
            Optional<Version> holder = secret.staged(stage);
            if (moveTo != null) {
                Version target = secret.versions.get(moveTo);
                if (target == null) {
                    throw AwsError.badRequest(
                            "ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret version: " + moveTo);
                }
                if (holder.isPresent()
                        && holder.get() != target
                        && !holder.get().id.equals(removeFrom)) {
                    throw AwsError.badRequest(
                            "InvalidParameterException",
                            "The staging label " + stage + " is currently attached to version " + holder.get().id
                                    + ", so you must explicitly reference that version in RemoveFromVersionId.");
                }
                moveStage(secret, stage, target);
            } else if (removeFrom != null) {
                Version from = secret.versions.get(removeFrom);
                if (from == null || !from.stages.contains(stage)) {
                    throw AwsError.badRequest(
                            "InvalidParameterException",
                            "The staging label " + stage + " is not attached to version " + removeFrom);
                }
                if (stage.equals(CURRENT)) {
                    throw AwsError.badRequest(
                            "InvalidParameterException",
                            "You can't remove the staging label AWSCURRENT; move it to another version.");
                }
                from.stages.remove(stage);
            }
            secret.lastChanged = Instant.now();
        }
        return Json.createObjectBuilder()
                .add("ARN", secret.arn)
                .add("Name", secret.name)
                .build();
    }

    /**
     * ListSecrets as AWS answers it: secrets in name order, {@code MaxResults} 1 to 100 (100 when unset), a
     * {@code NextToken} while more match, each entry with its {@code SecretVersionsToStages} (DescribeSecret names the
     * same map {@code VersionIdsToStages}). {@code Filters}: a key ({@code name} is a case-sensitive prefix match;
     * {@code description} a prefix match not case-sensitive) with 1 to 10 values of at most 512 characters of the
     * documented pattern; a value matches when any of its filter's values does, a {@code !value} excludes; several
     * filters must all match. While {@link #freezeListing()} holds, the versions listed are those of that moment,
     * and secrets created since are not listed: AWS documents that ListSecrets might not reflect changes from the
     * last five minutes.
     */
    private JsonObject list(JsonObject request, String principal) throws AwsError {
        if (listingDenied.contains(principal)) {
            throw AwsError.badRequest(
                    "AccessDeniedException",
                    "User: arn:aws:iam::" + account + ":user/" + principal
                            + " is not authorized to perform: secretsmanager:ListSecrets");
        }
        Integer max = AwsJson.integer(request, "MaxResults");
        int limit = max == null ? 100 : max;
        if (limit < 1 || limit > 100) {
            throw AwsError.validation("MaxResults must be between 1 and 100");
        }
        List<Filter> filters = filters(request);
        String next = AwsJson.string(request, "NextToken");
        Map<String, JsonObject> frozen = frozenListing;
        List<JsonObject> all = new ArrayList<>();
        for (Secret secret : new TreeMap<>(secrets).values()) {
            if (secret.deleted != null
                    || (frozen != null && !frozen.containsKey(secret.name))
                    || !filters.stream().allMatch(f -> f.matches(secret))) {
                continue;
            }
            all.add(frozen != null ? frozen.get(secret.name) : listEntry(secret));
        }
        int from;
        try {
            from = next == null ? 0 : Integer.parseInt(next);
        } catch (NumberFormatException e) {
            throw AwsError.badRequest("InvalidNextTokenException", "The NextToken value is invalid.");
        }
        JsonArrayBuilder page = Json.createArrayBuilder();
        for (int i = from; i < Math.min(all.size(), from + limit); i++) {
            page.add(all.get(i));
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("SecretList", page);
        if (from + limit < all.size()) {
            out.add("NextToken", Integer.toString(from + limit));
        }
        return out.build();
    }

    /** A ListSecrets entry: DescribeSecret's summary, its versions map under the name ListSecrets gives it. */
    private JsonObject listEntry(Secret secret) {
        JsonObject summary = summary(secret).build();
        JsonObjectBuilder entry = Json.createObjectBuilder();
        summary.forEach((member, value) ->
                entry.add("VersionIdsToStages".equals(member) ? "SecretVersionsToStages" : member, value));
        return entry.build();
    }

    private static final Pattern FILTER_VALUE = Pattern.compile("!?[a-zA-Z0-9 :_@/+=.\\-!]*");
    private static final Set<String> FILTER_KEYS =
            Set.of("description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all");

    /** One ListSecrets filter: a secret matches when a positive value does (or none is given) and no negated one. */
    private record Filter(String key, List<String> values) {
        boolean matches(Secret secret) {
            String field = "name".equals(key) ? secret.name : "description".equals(key) ? secret.description : "";
            boolean ignoreCase = !"name".equals(key);
            boolean anyPositive = false;
            boolean positiveMatched = false;
            for (String value : values) {
                boolean negated = value.startsWith("!");
                String prefix = negated ? value.substring(1) : value;
                boolean match = ignoreCase
                        ? field.regionMatches(true, 0, prefix, 0, prefix.length())
                        : field.startsWith(prefix);
                if (negated && match) {
                    return false;
                }
                if (!negated) {
                    anyPositive = true;
                    positiveMatched |= match;
                }
            }
            return !anyPositive || positiveMatched;
        }
    }

    private static List<Filter> filters(JsonObject request) throws AwsError {
        JsonValue given = request.get("Filters");
        if (given == null || given.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (given.getValueType() != JsonValue.ValueType.ARRAY) {
            throw AwsError.validation("Filters must be a list");
        }
        List<Filter> out = new ArrayList<>();
        for (JsonValue item : given.asJsonArray()) {
            if (item.getValueType() != JsonValue.ValueType.OBJECT) {
                throw AwsError.validation("Filters must be a list of structures");
            }
            JsonObject filter = item.asJsonObject();
            String key = AwsJson.string(filter, "Key");
            if (key == null || !FILTER_KEYS.contains(key)) {
                throw AwsError.validation("1 validation error detected: Value '" + key
                        + "' at 'filters.member.key' failed to satisfy constraint: Member must satisfy enum value set: "
                        + FILTER_KEYS);
            }
            List<String> values = AwsJson.stringList(filter, "Values");
            if (values == null || values.isEmpty() || values.size() > 10) {
                throw AwsError.validation("1 validation error detected: Value at 'filters.member.values' failed to"
                        + " satisfy constraint: Member must have length less than or equal to 10 and greater than or"
                        + " equal to 1");
            }
            for (String value : values) {
                if (value.length() > 512 || !FILTER_VALUE.matcher(value).matches()) {
                    throw AwsError.validation("1 validation error detected: Value at 'filters.member.values' failed"
                            + " to satisfy constraint: Member must satisfy constraint: [Member must have length less"
                            + " than or equal to 512, Member must satisfy regular expression pattern:"
                            + " ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$]");
                }
            }
            out.add(new Filter(key, values));
        }
        return out;
    }

    private JsonObject delete(JsonObject request, String principal) throws AwsError {
        Secret secret = allowed(request, "DeleteSecret", principal);
        Integer window = AwsJson.integer(request, "RecoveryWindowInDays");
        boolean force = request.getBoolean("ForceDeleteWithoutRecovery", false);
        if (force && window != null) {
            throw AwsError.badRequest(
                    "InvalidParameterException",
                    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (window != null && (window < 7 || window > 30)) {
            throw AwsError.badRequest(
                    "InvalidParameterException",
                    "RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        Instant deletion = force ? Instant.now() : Instant.now().plus(Duration.ofDays(window == null ? 30 : window));
        if (force) {
            secrets.remove(secret.name);
        } else {
            secret.deleted = Instant.now();
        }
        return Json.createObjectBuilder()
                .add("ARN", secret.arn)
                .add("Name", secret.name)
                .add("DeletionDate", AwsJson.timestamp(deletion))
                .build();
    }

    // ---- lookups and checks ----

    private Secret secret(String name) throws AwsError {
        return find(name);
    }

    private Secret find(String secretId) throws AwsError {
        Secret secret = secrets.get(secretId);
        if (secret == null && secretId.startsWith("arn:")) {
            secret = secrets.values().stream()
                    .filter(s -> s.arn.equals(secretId))
                    .findFirst()
                    .orElse(null);
        }
        if (secret == null) {
            throw AwsError.badRequest("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return secret;
    }

    private Secret allowed(JsonObject request, String operation, String principal) throws AwsError {
        Secret secret = find(AwsJson.required(request, "SecretId"));
        check(secret, operation, principal);
        return secret;
    }

    private void check(Secret secret, String operation, String principal) throws AwsError {
        if (!secret.policy.allows(principal, operation, Map.of())) {
            throw AwsError.badRequest(
                    "AccessDeniedException",
                    "User: arn:aws:iam::" + account + ":user/" + principal
                            + " is not authorized to perform: secretsmanager:" + operation + " on resource: "
                            + secret.name
                            + " because no resource-based policy allows the secretsmanager:" + operation + " action");
        }
    }

    /** For logs: a secret's name and versions, never values. */
    @Override
    public String toString() {
        return "MockSecretsManager" + secrets.keySet();
    }
}
