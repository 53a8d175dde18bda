package io.mpsecrets.aws.ssm;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.backend.Sizes;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.AwsClients;
import io.mpsecrets.aws.AwsFailures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
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
public final class SsmParameterStore implements SecretStore {

    public static final String NAME = "ssm";
    /** GetParameters takes at most 10 names, and GetParametersByPath answers at most 10 a page. */
    static final int BATCH_LIMIT = 10;
    /** The pages of {@code DescribeParameters} followed to find one parameter by its name. */
    static final int DESCRIBE_PAGES = 10;

    /**
     * How much a listing ({@code GetParametersByPath} under {@code mpsecrets.ssm.path}) may hold: at most
     * {@code maxParameters} names of {@code maxSize} bytes (UTF-8) in all, over at most {@link #maxPages()} pages.
     * Each page is bounded by {@code max-response-size}; these bound what the pages add up to, which is kept until
     * the listed parameters are read.
     *
     * @param prefix the settings prefix ({@code mpsecrets.ssm.}), named in the errors
     */
    public record Listing(String prefix, int maxParameters, long maxSize) {

        /** Parameter Store's quota of standard parameters for an account and region. */
        public static final int DEFAULT_MAX_PARAMETERS = 10_000;
        /** 10,000 names of 100 bytes; Parameter Store's longest name is 2,048 bytes. */
        public static final long DEFAULT_MAX_SIZE = 1024 * 1024;
        /** Pages that may come short of 10 names (Parameter Store may answer fewer, even none, with a NextToken). */
        static final int SHORT_PAGES = 1_000;

        /** Reads {@code <prefix>max-parameters} and {@code <prefix>max-list-size}. */
        public static Listing read(String prefix, Function<String, Optional<String>> lookup) {
            Settings settings = new Settings(lookup);
            return new Listing(
                    prefix,
                    settings.positiveInt(prefix + "max-parameters", DEFAULT_MAX_PARAMETERS),
                    settings.bytes(prefix + "max-list-size", DEFAULT_MAX_SIZE));
        }

        /** Full pages for every parameter allowed, and {@link #SHORT_PAGES} more: never an endless walk. */
        public int maxPages() {
            return maxParameters / BATCH_LIMIT + (maxParameters % BATCH_LIMIT == 0 ? 0 : 1) + SHORT_PAGES;
        }
    }

    private final SsmClient client;
    private final Optional<String> path;
    private final Listing listing;

    public SsmParameterStore(SsmClient client, Optional<String> path, Listing listing) {
        this.client = client;
        this.path = path.map(p -> p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p);
        this.listing = listing;
    }

    /** A client configured from {@code mpsecrets.ssm.*}; it lists {@code path} within {@code listing}. */
    public static SsmParameterStore create(AwsClientSettings settings, Optional<String> path, Listing listing) {
        path.filter(p -> !p.startsWith("/")).ifPresent(p -> {
            throw new ConfigurationException("mpsecrets.ssm.path must start with '/': " + p);
        });
        return new SsmParameterStore(
                AwsClients.configure(SsmClient.builder(), settings).build(), path, listing);
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

    /**
     * The parameter's version from {@code DescribeParameters}, which returns no value, following its
     * {@code NextToken} for up to {@link #DESCRIBE_PAGES} pages; a label is read through.
     */
    @Override
    public Optional<String> currentVersion(SecretId id) {
        SecretId whole = id.withoutField();
        if (whole.versionId() != null) {
            return Optional.of(whole.versionId());
        }
        if (whole.stage() != null) {
            return SecretStore.super.currentVersion(whole);
        }
        // Parameter Store answers on a best-effort basis: a page may come short, even empty, with a NextToken.
        String next = null;
        for (int pages = 1; ; pages++) {
            if (pages > DESCRIBE_PAGES) {
                throw new InvalidSecretValueException(
                        ref(whole), "DescribeParameters answered " + DESCRIBE_PAGES + " pages without the parameter");
            }
            String token = next;
            DescribeParametersResponse response;
            try {
                response = client.describeParameters(b -> b.parameterFilters(ParameterStringFilter.builder()
                                .key("Name")
                                .option("Equals")
                                .values(whole.path())
                                .build())
                        .nextToken(token));
            } catch (SdkException e) {
                throw AwsFailures.map(e, ref(whole));
            }
            Optional<ParameterMetadata> found = response.parameters().stream()
                    .filter(p -> whole.path().equals(p.name()))
                    .findFirst();
            if (found.isPresent()) {
                if (found.get().version() == null) {
                    throw new InvalidSecretValueException(
                            ref(whole), "Parameter Store described the parameter without a version");
                }
                return Optional.of(String.valueOf(found.get().version()));
            }
            next = response.nextToken();
            if (next == null || next.isEmpty()) {
                throw new SecretNotFoundException(ref(whole), "Parameter Store has no such parameter");
            }
        }
    }

    /** DescribeParameters takes at most 50 values in a filter, and answers at most 50 parameters a page. */
    static final int DESCRIBE_NAMES = 50;
    /** The most DescribeParameters pages one batched check reads, over all its filters. */
    static final int BATCH_PAGES = 20;

    /**
     * Many parameters' versions from {@code DescribeParameters}, 50 names a filter ({@code Name}, {@code Equals}),
     * following each filter's {@code NextToken} (a page may come short, even empty) within {@link #BATCH_PAGES} pages
     * for the whole check. A pinned version answers itself; a label, a parameter the answer does not name and
     * whatever is left when the pages run out are left out, for the caller to ask one by one. A failed call throws.
     */
    @Override
    public Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
        Map<SecretId, String> out = new LinkedHashMap<>();
        Map<String, List<SecretId>> byName = new LinkedHashMap<>();
        for (SecretId id : ids) {
            SecretId whole = id.withoutField();
            if (whole.versionId() != null) {
                out.put(id, whole.versionId());
            } else if (whole.stage() == null) {
                byName.computeIfAbsent(whole.path(), n -> new ArrayList<>()).add(id);
            }
        }
        List<String> names = new ArrayList<>(byName.keySet());
        int pages = 0;
        for (int from = 0; from < names.size(); from += DESCRIBE_NAMES) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + DESCRIBE_NAMES));
            String next = null;
            do {
                if (++pages > BATCH_PAGES) {
                    return out; // the rest is asked one by one
                }
                String token = next;
                DescribeParametersResponse response;
                try {
                    response = client.describeParameters(b -> b.maxResults(DESCRIBE_NAMES)
                            .parameterFilters(ParameterStringFilter.builder()
                                    .key("Name")
                                    .option("Equals")
                                    .values(chunk)
                                    .build())
                            .nextToken(token));
                } catch (SdkException e) {
                    throw AwsFailures.map(e, SecretRef.secret(NAME, "DescribeParameters " + String.join(",", chunk)));
                }
                for (ParameterMetadata parameter : response.parameters()) {
                    List<SecretId> asked = parameter.name() == null ? null : byName.get(parameter.name());
                    if (asked != null && parameter.version() != null) {
                        asked.forEach(id -> out.put(id, String.valueOf(parameter.version())));
                    }
                }
                next = response.nextToken();
            } while (next != null && !next.isEmpty());
        }
        return out;
    }

    /**
     * The parameters under {@code mpsecrets.ssm.path}, recursively, by {@code GetParametersByPath} pages, within
     * {@link Listing}'s bounds: over one, the listing fails ({@code INVALID_VALUE}, naming the bound and its setting)
     * rather than holding what an endpoint that never stops sends. A parameter listed without a name, or outside the
     * path, is refused likewise.
     */
    @Override
    public List<String> list() {
        String under = path.orElseThrow(() -> new ConfigurationException(
                "mpsecrets.ssm.path is not set: it names the parameters the ssm store serves, e.g. /orders/prod"));
        SecretRef where = SecretRef.secret(NAME, under);
        // Under "/", every parameter (a name without a leading slash too, which is in no hierarchy).
        String below = under.equals("/") ? "" : under + "/";
        List<String> names = new ArrayList<>();
        long size = 0;
        String next = null;
        int pages = 0;
        do {
            if (++pages > listing.maxPages()) {
                throw new InvalidSecretValueException(
                        where,
                        "more than " + listing.maxPages() + " pages of parameters under the path (" + BATCH_LIMIT
                                + " a page for " + listing.prefix() + "max-parameters, " + listing.maxParameters()
                                + ", and " + Listing.SHORT_PAGES + " more)");
            }
            String token = next;
            GetParametersByPathResponse page;
            try {
                page = client.getParametersByPath(
                        b -> b.path(under).recursive(true).withDecryption(false).nextToken(token));
            } catch (SdkException e) {
                throw AwsFailures.map(e, where);
            }
            for (Parameter parameter : page.parameters()) {
                String name = parameter.name();
                if (name == null
                        || !name.startsWith(below)
                        || name.substring(below.length()).isBlank()) {
                    throw new InvalidSecretValueException(
                            where,
                            name == null
                                    ? "Parameter Store listed a parameter without a name"
                                    : "Parameter Store listed a parameter that is not under the path");
                }
                if (names.size() == listing.maxParameters()) {
                    throw new InvalidSecretValueException(
                            where,
                            "more than " + listing.maxParameters() + " parameters under the path (" + listing.prefix()
                                    + "max-parameters)");
                }
                size += name.getBytes(StandardCharsets.UTF_8).length;
                if (size > listing.maxSize()) {
                    throw new InvalidSecretValueException(
                            where,
                            "the names of the parameters under the path are larger than " + listing.prefix()
                                    + "max-list-size (" + Sizes.format(listing.maxSize()) + ")");
                }
                names.add(name);
            }
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
        return "SsmParameterStore[" + client.serviceClientConfiguration().region()
                + path.map(p -> ", " + p).orElse("") + "]";
    }
}
