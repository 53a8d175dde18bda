package io.mpsecrets.aws.ssm;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.AwsClients;
import io.mpsecrets.aws.AwsFailures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;

/**
 * AWS Systems Manager Parameter Store as a secret store, through the AWS SDK v2 client. A secret id is a parameter
 * name ({@code /orders/prod/db-password}); {@code ?version=N} and {@code ?label=L} (the same selector as
 * {@code ?stage=}) read a version or a labelled one, as Parameter Store's {@code name:N} and {@code name:L}. Values are
 * read with decryption, so a {@code SecureString} arrives in the clear (the caller needs {@code kms:Decrypt} on its
 * key). {@code GetParameters} reads up to 10 names a call; {@code DescribeParameters} gives a parameter's version
 * without its value, for rotation polling; {@code GetParametersByPath} (recursive, paginated) lists the parameters
 * under {@code mpsecrets.ssm.path}, each of which becomes a property named after its path below that prefix, dots for
 * slashes ({@code /orders/prod/db/password} under {@code /orders/prod} is {@code db.password}).
 */
public final class SsmParameterProvider implements SecretProvider {

    public static final String NAME = "ssm";
    /** GetParameters takes at most 10 names. */
    static final int BATCH_LIMIT = 10;
    /** Listing stops here: 1,000 pages of 10, far beyond a real application's parameters, never an endless walk. */
    static final int MAX_PAGES = 1_000;

    private final SsmClient client;
    private final Optional<String> path;

    public SsmParameterProvider(SsmClient client, Optional<String> path) {
        this.client = client;
        this.path = path.map(p -> p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p);
    }

    /** A client configured from {@code mpsecrets.ssm.*}; {@code path} is what the store lists. */
    public static SsmParameterProvider create(AwsClientSettings settings, Optional<String> path) {
        path.filter(p -> !p.startsWith("/")).ifPresent(p -> {
            throw new ConfigurationException("mpsecrets.ssm.path must start with '/': " + p);
        });
        return new SsmParameterProvider(
                AwsClients.configure(SsmClient.builder(), settings).build(), path);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code name}, {@code name:N} or {@code name:label}. */
    static String selector(SecretId whole) {
        if (whole.versionId() != null) {
            if (whole.versionId().isEmpty() || !whole.versionId().chars().allMatch(Character::isDigit)) {
                throw new SecretNotFoundException(ref(whole), "a parameter version is a number");
            }
            return whole.path() + ":" + whole.versionId();
        }
        return whole.stage() == null ? whole.path() : whole.path() + ":" + whole.stage();
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretId whole = id.withoutField();
        Parameter parameter;
        try {
            parameter = client.getParameter(b -> b.name(selector(whole)).withDecryption(true))
                    .parameter();
        } catch (SdkException e) {
            throw AwsFailures.map(e, ref(whole));
        }
        return value(parameter, whole);
    }

    /** Up to 10 names a {@code GetParameters} call, selectors included; a name Parameter Store lacks is left out. */
    @Override
    public Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
        Map<String, SecretId> bySelector = new LinkedHashMap<>();
        for (SecretId id : ids) {
            SecretId whole = id.withoutField();
            bySelector.putIfAbsent(selector(whole), whole);
        }
        List<String> selectors = new ArrayList<>(bySelector.keySet());
        Map<SecretId, SecretValue> out = new LinkedHashMap<>();
        for (int from = 0; from < selectors.size(); from += BATCH_LIMIT) {
            List<String> batch = selectors.subList(from, Math.min(selectors.size(), from + BATCH_LIMIT));
            GetParametersResponse response;
            try {
                response = client.getParameters(b -> b.names(batch).withDecryption(true));
            } catch (SdkException e) {
                throw AwsFailures.map(e, SecretRef.secret(NAME, String.join(",", batch)));
            }
            for (Parameter parameter : response.parameters()) {
                String asked = parameter.name() + (parameter.selector() == null ? "" : parameter.selector());
                SecretId id = bySelector.get(asked);
                if (id != null) {
                    out.put(id, value(parameter, id));
                }
            }
        }
        return out;
    }

    /** The parameter's version from {@code DescribeParameters}, which returns no value; a label is read through. */
    @Override
    public Optional<String> currentVersion(SecretId id) {
        SecretId whole = id.withoutField();
        if (whole.versionId() != null) {
            return Optional.of(whole.versionId());
        }
        if (whole.stage() != null) {
            return SecretProvider.super.currentVersion(whole);
        }
        DescribeParametersResponse response;
        try {
            response = client.describeParameters(b -> b.parameterFilters(ParameterStringFilter.builder()
                    .key("Name")
                    .option("Equals")
                    .values(whole.path())
                    .build()));
        } catch (SdkException e) {
            throw AwsFailures.map(e, ref(whole));
        }
        return response.parameters().stream()
                .filter(p -> whole.path().equals(p.name()))
                .findFirst()
                .map(p -> String.valueOf(p.version()))
                .or(() -> {
                    throw new SecretNotFoundException(ref(whole), "Parameter Store has no such parameter");
                });
    }

    /** The parameters under {@code mpsecrets.ssm.path}, recursively, by {@code GetParametersByPath} pages. */
    @Override
    public List<String> list() {
        String under = path.orElseThrow(() -> new ConfigurationException(
                "mpsecrets.ssm.path is not set: it names the parameters the ssm store serves, e.g. /orders/prod"));
        List<String> names = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            if (++pages > MAX_PAGES) {
                throw new InvalidSecretValueException(
                        SecretRef.secret(NAME, under),
                        "more than " + MAX_PAGES + " pages of parameters under the path");
            }
            String token = next;
            GetParametersByPathResponse page;
            try {
                page = client.getParametersByPath(
                        b -> b.path(under).recursive(true).withDecryption(false).nextToken(token));
            } catch (SdkException e) {
                throw AwsFailures.map(e, SecretRef.secret(NAME, under));
            }
            page.parameters().forEach(p -> names.add(p.name()));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return names;
    }

    /** {@code /orders/prod/db/password} under {@code /orders/prod} is {@code db.password}. */
    @Override
    public String propertyName(String secretId) {
        String below = path.filter(p -> secretId.startsWith(p + "/"))
                .map(p -> secretId.substring(p.length() + 1))
                .orElse(secretId.startsWith("/") ? secretId.substring(1) : secretId);
        return below.replace('/', '.');
    }

    private static SecretValue value(Parameter parameter, SecretId id) {
        if (parameter == null || parameter.value() == null) {
            throw new InvalidSecretValueException(ref(id), "Parameter Store answered without a value");
        }
        return SecretValue.ofUtf8(
                parameter.value(),
                parameter.version() == null ? null : String.valueOf(parameter.version()),
                parameter.lastModifiedDate());
    }

    private static SecretRef ref(SecretId id) {
        return SecretRef.secret(NAME, id.toString());
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "SsmParameterProvider[" + client.serviceClientConfiguration().region()
                + path.map(p -> ", " + p).orElse("") + "]";
    }
}
