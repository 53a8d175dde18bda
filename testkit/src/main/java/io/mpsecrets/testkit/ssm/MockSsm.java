package io.mpsecrets.testkit.ssm;

import io.mpsecrets.testkit.aws.AwsError;
import io.mpsecrets.testkit.aws.AwsJson;
import io.mpsecrets.testkit.aws.AwsJsonService;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * AWS Systems Manager Parameter Store over AWS JSON 1.1 ({@code AmazonSSM.*}): PutParameter (versions, overwrite),
 * GetParameter and GetParameters (at most 10 names; {@code name:version} and {@code name:label} selectors; a
 * SecureString's value in the clear only with {@code WithDecryption}), GetParametersByPath (recursive or one level,
 * 10 a page with {@code NextToken}), LabelParameterVersion (a label moves to the version it is put on),
 * DescribeParameters (metadata without values, filtered by name), the service's errors ({@code ParameterNotFound},
 * {@code ParameterVersionNotFound}, {@code ParameterAlreadyExists}, {@code ValidationException}) and per-principal
 * policies on name prefixes, as for the other mocks.
 */
public final class MockSsm extends AwsJsonService {

    private static final Pattern NAME = Pattern.compile("/?[A-Za-z0-9_.\\-/]{1,1011}");
    private static final int GET_PARAMETERS_LIMIT = 10;
    private static final int PAGE = 10;

    private final String region;
    private final String account;
    /** By name, in order: listings page through it as AWS does, without sorting every parameter for each page. */
    private final ConcurrentSkipListMap<String, Parameter> parameters = new ConcurrentSkipListMap<>();

    private final ConcurrentHashMap<String, Policy> policies = new ConcurrentHashMap<>();

    private record Version(int number, String value, Instant modified, Set<String> labels) {}

    private static final class Parameter {
        final String name;
        final String type;
        final List<Version> versions = new ArrayList<>();

        Parameter(String name, String type) {
            this.name = name;
            this.type = type;
        }

        synchronized Version latest() {
            return versions.get(versions.size() - 1);
        }

        synchronized Optional<Version> version(int number) {
            return number >= 1 && number <= versions.size() ? Optional.of(versions.get(number - 1)) : Optional.empty();
        }

        synchronized Optional<Version> labelled(String label) {
            return versions.stream().filter(v -> v.labels().contains(label)).findFirst();
        }
    }

    public MockSsm(String region, String account) {
        super("AmazonSSM.");
        this.region = region;
        this.account = account;
    }

    @Override
    protected String internalErrorType() {
        return "InternalServerError";
    }

    // ---- Java API for tests ----

    /**
     * A new version of a parameter ({@code String}, or {@code SecureString} when {@code secure}); returns its number.
     */
    public int putParameter(String name, String value, boolean secure) {
        try {
            return put(name, value, secure ? "SecureString" : "String", true);
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Puts {@code label} on a version (taking it off any other). */
    public void label(String name, int version, String label) {
        try {
            label(parameter(name), version, List.of(label));
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The policy for parameters whose names start with {@code prefix} (the longest matching prefix decides). */
    public void policy(String prefix, Policy policy) {
        policies.put(prefix, policy);
    }

    public boolean exists(String name) {
        return parameters.containsKey(name);
    }

    // ---- the wire API ----

    @Override
    public JsonObject call(String operation, JsonObject request, String principal) throws AwsError {
        switch (operation) {
            case "PutParameter": {
                String name = AwsJson.required(request, "Name");
                check(name, operation, principal);
                String type =
                        Optional.ofNullable(AwsJson.string(request, "Type")).orElse("String");
                if (!Set.of("String", "StringList", "SecureString").contains(type)) {
                    throw AwsError.validation("1 validation error detected: Value '" + type
                            + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set");
                }
                boolean overwrite = request.getBoolean("Overwrite", false);
                int version = put(name, AwsJson.required(request, "Value"), type, overwrite);
                return Json.createObjectBuilder()
                        .add("Version", version)
                        .add("Tier", "Standard")
                        .build();
            }
            case "GetParameter": {
                String selector = AwsJson.required(request, "Name");
                Resolved found = resolve(selector).orElseThrow(() -> missing(selector));
                check(found.parameter.name, operation, principal);
                return Json.createObjectBuilder()
                        .add("Parameter", describe(found, selector, request.getBoolean("WithDecryption", false)))
                        .build();
            }
            case "GetParameters": {
                List<String> names = AwsJson.stringList(request, "Names");
                if (names.isEmpty() || names.size() > GET_PARAMETERS_LIMIT) {
                    throw AwsError.validation("1 validation error detected: Value '" + names
                            + "' at 'names' failed to satisfy constraint: Member must have length less than or equal"
                            + " to " + GET_PARAMETERS_LIMIT);
                }
                boolean decrypt = request.getBoolean("WithDecryption", false);
                JsonArrayBuilder found = Json.createArrayBuilder();
                JsonArrayBuilder invalid = Json.createArrayBuilder();
                for (String selector : new LinkedHashSet<>(names)) {
                    Optional<Resolved> resolved = resolve(selector);
                    if (resolved.isEmpty()) {
                        invalid.add(selector);
                        continue;
                    }
                    check(resolved.get().parameter.name, operation, principal);
                    found.add(describe(resolved.get(), selector, decrypt));
                }
                return Json.createObjectBuilder()
                        .add("Parameters", found)
                        .add("InvalidParameters", invalid)
                        .build();
            }
            case "GetParametersByPath":
                return byPath(request, principal);
            case "LabelParameterVersion": {
                String name = AwsJson.required(request, "Name");
                check(name, operation, principal);
                Parameter parameter = parameter(name);
                Integer version = AwsJson.integer(request, "ParameterVersion");
                List<String> labels = AwsJson.stringList(request, "Labels");
                int labelled =
                        label(parameter, version == null ? parameter.latest().number() : version, labels);
                return Json.createObjectBuilder()
                        .add("InvalidLabels", Json.createArrayBuilder())
                        .add("ParameterVersion", labelled)
                        .build();
            }
            case "DescribeParameters":
                return describeParameters(request, principal);
            default:
                throw AwsError.badRequest("UnknownOperationException", null);
        }
    }

    private int put(String name, String value, String type, boolean overwrite) throws AwsError {
        if (!NAME.matcher(name).matches() || name.contains("//") || name.endsWith("/")) {
            throw AwsError.validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)."
                    + " It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _"
                    + " (underscore). Special characters are not allowed. All sub-paths, if specified, must use the"
                    + " forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
        }
        Parameter created = new Parameter(name, type);
        Parameter parameter = parameters.putIfAbsent(name, created);
        if (parameter == null) {
            parameter = created;
        } else if (!overwrite) {
            throw AwsError.badRequest(
                    "ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to"
                            + " true.");
        }
        synchronized (parameter) {
            int number = parameter.versions.size() + 1;
            parameter.versions.add(new Version(number, value, Instant.now(), ConcurrentHashMap.newKeySet()));
            return number;
        }
    }

    private static int label(Parameter parameter, int version, List<String> labels) throws AwsError {
        synchronized (parameter) {
            Version target = parameter
                    .version(version)
                    .orElseThrow(() -> AwsError.badRequest(
                            "ParameterVersionNotFound",
                            "Systems Manager could not find version " + version + " of " + parameter.name
                                    + ". Verify the version and try again."));
            for (String label : labels) {
                if (label.isEmpty()
                        || label.chars().allMatch(Character::isDigit)
                        || label.startsWith("aws")
                        || label.startsWith("ssm")) {
                    throw AwsError.validation("Invalid label: " + label);
                }
                parameter.versions.forEach(v -> v.labels().remove(label));
                target.labels().add(label);
            }
            return target.number();
        }
    }

    private record Resolved(Parameter parameter, Version version) {}

    /** {@code name}, {@code name:3} or {@code name:label}. */
    private Optional<Resolved> resolve(String selector) throws AwsError {
        int colon = selector.lastIndexOf(':');
        String name = colon > 0 ? selector.substring(0, colon) : selector;
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            return Optional.empty();
        }
        if (colon <= 0) {
            return Optional.of(new Resolved(parameter, parameter.latest()));
        }
        String suffix = selector.substring(colon + 1);
        Optional<Version> version = suffix.chars().allMatch(Character::isDigit) && !suffix.isEmpty()
                ? parameter.version(Integer.parseInt(suffix))
                : parameter.labelled(suffix);
        return version.map(v -> new Resolved(parameter, v));
    }

    private AwsError missing(String selector) {
        int colon = selector.lastIndexOf(':');
        if (colon > 0 && parameters.containsKey(selector.substring(0, colon))) {
            return AwsError.badRequest(
                    "ParameterVersionNotFound",
                    "Systems Manager could not find version " + selector.substring(colon + 1) + " of "
                            + selector.substring(0, colon) + ". Verify the version and try again.");
        }
        return AwsError.badRequest("ParameterNotFound", "Parameter " + selector + " not found.");
    }

    private JsonObjectBuilder describe(Resolved found, String selector, boolean decrypt) {
        Parameter parameter = found.parameter;
        Version version = found.version;
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("Name", parameter.name)
                .add("Type", parameter.type)
                .add("Value", parameter.type.equals("SecureString") && !decrypt ? opaque(version) : version.value())
                .add("Version", version.number())
                .add("LastModifiedDate", AwsJson.timestamp(version.modified()))
                .add("ARN", arn(parameter.name))
                .add("DataType", "text");
        int colon = selector.lastIndexOf(':');
        if (colon > 0) {
            out.add("Selector", selector.substring(colon));
        }
        return out;
    }

    /** What a SecureString reads as without decryption: a ciphertext stand-in, nothing of the value. */
    private static String opaque(Version version) {
        return Base64.getEncoder()
                .encodeToString(("mock-kms:"
                                + UUID.nameUUIDFromBytes(
                                        (version.number() + "@" + version.modified()).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject byPath(JsonObject request, String principal) throws AwsError {
        String path = AwsJson.required(request, "Path");
        if (!path.startsWith("/")) {
            throw AwsError.validation("The parameter doesn't meet the parameter name requirements. The parameter name"
                    + " must begin with a forward slash \"/\".");
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        boolean recursive = request.getBoolean("Recursive", false);
        boolean decrypt = request.getBoolean("WithDecryption", false);
        int max = Optional.ofNullable(AwsJson.integer(request, "MaxResults")).orElse(PAGE);
        if (max < 1 || max > PAGE) {
            throw AwsError.validation("MaxResults must be between 1 and " + PAGE);
        }
        List<Parameter> under = new ArrayList<>();
        for (Parameter parameter : parameters.tailMap(prefix).values()) {
            if (!parameter.name.startsWith(prefix)) {
                break;
            }
            if (recursive || !parameter.name.substring(prefix.length()).contains("/")) {
                under.add(parameter);
            }
        }
        int start = token(request);
        JsonArrayBuilder page = Json.createArrayBuilder();
        int end = Math.min(under.size(), start + max);
        for (Parameter parameter : under.subList(Math.min(start, under.size()), end)) {
            check(parameter.name, "GetParametersByPath", principal);
            page.add(describe(new Resolved(parameter, parameter.latest()), parameter.name, decrypt));
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("Parameters", page);
        if (end < under.size()) {
            out.add("NextToken", nextToken(end));
        }
        return out.build();
    }

    private JsonObject describeParameters(JsonObject request, String principal) throws AwsError {
        List<Map.Entry<String, List<String>>> filters = new ArrayList<>();
        for (String member : List.of("ParameterFilters", "Filters")) {
            if (request.get(member) instanceof JsonArray array) {
                for (JsonValue value : array) {
                    if (value instanceof JsonObject filter) {
                        String key = filter.getString("Key", "");
                        String option = filter.getString("Option", "Equals");
                        List<String> values = AwsJson.stringList(filter, "Values");
                        if (values.isEmpty() || values.size() > 50) {
                            // ParameterStringFilter.Values: 1 to 50 items, as the API reference gives them.
                            throw AwsError.validation("1 validation error detected: Value at"
                                    + " 'parameterFilters.member.values' failed to satisfy constraint: Member must have"
                                    + " length less than or equal to 50 and greater than or equal to 1");
                        }
                        filters.add(Map.entry(key + ":" + option, values));
                    }
                }
            }
        }
        int max = Optional.ofNullable(AwsJson.integer(request, "MaxResults")).orElse(50);
        if (max < 1 || max > 50) {
            throw AwsError.validation("MaxResults must be between 1 and 50");
        }
        List<Parameter> matching = new ArrayList<>(parameters.values());
        for (Map.Entry<String, List<String>> filter : filters) {
            switch (filter.getKey()) {
                case "Name:Equals" -> matching.removeIf(p -> !filter.getValue().contains(p.name));
                case "Name:BeginsWith" ->
                    matching.removeIf(p -> filter.getValue().stream().noneMatch(p.name::startsWith));
                default ->
                    throw AwsError.badRequest(
                            "InvalidFilterKey", "The following filter key is not valid: " + filter.getKey());
            }
        }
        int start = token(request);
        int end = Math.min(matching.size(), start + max);
        JsonArrayBuilder page = Json.createArrayBuilder();
        for (Parameter parameter : matching.subList(Math.min(start, matching.size()), end)) {
            check(parameter.name, "DescribeParameters", principal);
            Version latest = parameter.latest();
            JsonObjectBuilder one = Json.createObjectBuilder()
                    .add("Name", parameter.name)
                    .add("ARN", arn(parameter.name))
                    .add("Type", parameter.type)
                    .add("LastModifiedDate", AwsJson.timestamp(latest.modified()))
                    .add("LastModifiedUser", "arn:aws:iam::" + account + ":user/" + principal)
                    .add("Version", latest.number())
                    .add("Tier", "Standard")
                    .add("Policies", Json.createArrayBuilder())
                    .add("DataType", "text");
            if (parameter.type.equals("SecureString")) {
                one.add("KeyId", "alias/aws/ssm");
            }
            page.add(one);
        }
        JsonObjectBuilder out = Json.createObjectBuilder().add("Parameters", page);
        if (end < matching.size()) {
            out.add("NextToken", nextToken(end));
        }
        return out.build();
    }

    /** The opaque token of the page that starts at {@code index}. */
    private static String nextToken(int index) {
        return Base64.getEncoder().encodeToString(("page:" + index).getBytes(StandardCharsets.UTF_8));
    }

    /** Where the page a request's {@code NextToken} names starts; 0 without one. */
    private static int token(JsonObject request) throws AwsError {
        String token = AwsJson.string(request, "NextToken");
        if (token == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring("page:".length()));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw AwsError.badRequest("InvalidNextToken", "The specified token isn't valid.");
        }
    }

    private Parameter parameter(String name) throws AwsError {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw AwsError.badRequest("ParameterNotFound", "Parameter " + name + " not found.");
        }
        return parameter;
    }

    private void check(String name, String operation, String principal) throws AwsError {
        Policy policy = Policy.OPEN;
        int longest = -1;
        for (Map.Entry<String, Policy> entry : policies.entrySet()) {
            if (name.startsWith(entry.getKey()) && entry.getKey().length() > longest) {
                policy = entry.getValue();
                longest = entry.getKey().length();
            }
        }
        if (!policy.allows(principal, operation, Map.of())) {
            throw AwsError.badRequest(
                    "AccessDeniedException",
                    "User: arn:aws:iam::" + account + ":user/" + principal + " is not authorized to perform: ssm:"
                            + operation + " on resource: " + arn(name)
                            + " because no identity-based policy allows the ssm:" + operation + " action");
        }
    }

    private String arn(String name) {
        return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
    }

    /** For logs: parameter names and versions, never values. */
    @Override
    public String toString() {
        return "MockSsm" + parameters.keySet();
    }
}
