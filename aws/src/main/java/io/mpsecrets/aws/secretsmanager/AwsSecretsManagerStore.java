package io.mpsecrets.aws.secretsmanager;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.AwsClients;
import io.mpsecrets.aws.AwsFailures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/**
 * AWS Secrets Manager as a secret store, through the AWS SDK v2 client: {@code GetSecretValue} by staging label
 * ({@code AWSCURRENT} unless the id names another, e.g. {@code prod/db?stage=AWSPREVIOUS}) or pinned version id,
 * {@code BatchGetSecretValue} (20 ids per call) for the secrets listed at start-up, and {@code DescribeSecret} to
 * learn the current version without fetching the value, for rotation polling; {@code ListSecrets} to learn many
 * secrets' versions in few calls ({@link #currentVersions}). {@code SecretString} and
 * {@code SecretBinary} are both served; a JSON {@code SecretString}'s fields are read by the caller.
 */
public final class AwsSecretsManagerStore implements SecretStore {

    public static final String NAME = "aws";
    public static final String CURRENT = "AWSCURRENT";
    /** BatchGetSecretValue takes at most 20 ids in {@code SecretIdList}. */
    static final int BATCH_LIMIT = 20;

    /** ListSecrets' largest page. */
    static final int PAGE = 100;
    /** ListSecrets takes at most 10 values per filter. */
    static final int FILTER_VALUES = 10;
    /** A name ListSecrets can filter for (its documented pattern and length, without the negating "!"). */
    private static final java.util.regex.Pattern FILTERABLE =
            java.util.regex.Pattern.compile("[a-zA-Z0-9 :_@/+=.-]{1,512}");

    /**
     * How {@link #currentVersions} asks: by {@code ListSecrets} (one listing for many secrets) or not at all (every
     * secret by its own {@code DescribeSecret}, as the caller does for ids a batch does not name).
     *
     * @param list whether to list; {@code mpsecrets.aws.rotation-check=list} (the default) or {@code describe}
     * @param maxPages the most pages one check reads, over all its listings
     * @param timeout the longest one check takes, over all its pages; what is not listed by then is left to
     *     {@code DescribeSecret}
     */
    public record VersionChecks(boolean list, int maxPages, java.time.Duration timeout) {
        public static final VersionChecks DEFAULT = new VersionChecks(true, 20, java.time.Duration.ofSeconds(10));
    }

    private final SecretsManagerClient client;
    private final VersionChecks checks;
    /**
     * Set once a listing by the secrets' common folders ran past its page budget (the folders hold many other
     * secrets): later checks list by the names themselves.
     */
    private volatile boolean byName;

    public AwsSecretsManagerStore(SecretsManagerClient client) {
        this(client, VersionChecks.DEFAULT);
    }

    public AwsSecretsManagerStore(SecretsManagerClient client, VersionChecks checks) {
        this.client = client;
        this.checks = checks;
    }

    /** A client configured from {@code mpsecrets.aws.*} (region, endpoint, profile, timeout, max-attempts). */
    public static AwsSecretsManagerStore create(AwsClientSettings settings) {
        return create(settings, VersionChecks.DEFAULT);
    }

    /** As {@link #create(AwsClientSettings)}, checking versions as {@code checks} says. */
    public static AwsSecretsManagerStore create(AwsClientSettings settings, VersionChecks checks) {
        return new AwsSecretsManagerStore(
                AwsClients.configure(SecretsManagerClient.builder(), settings).build(), checks);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretId whole = id.withoutField();
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(
                    b -> b.secretId(whole.path()).versionId(whole.versionId()).versionStage(whole.stage()));
        } catch (SdkException e) {
            throw failure(e, whole);
        }
        return value(response.secretString(), response.secretBinary(), response.versionId(), response.createdDate());
    }

    /**
     * Current versions in batches of 20; pinned ones (a version id or a stage) one by one, as the batch call has
     * no per-id selector. A missing secret is left out; any other per-id error (a denial, say) is thrown.
     */
    @Override
    public Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
        Map<SecretId, SecretValue> out = new LinkedHashMap<>();
        List<SecretId> current = new ArrayList<>();
        for (SecretId id : ids) {
            SecretId whole = id.withoutField();
            if (whole.pinned()) {
                try {
                    out.put(id, fetch(whole));
                } catch (SecretNotFoundException missing) {
                    // left out
                }
            } else if (!current.contains(whole)) {
                current.add(whole);
            }
        }
        for (int from = 0; from < current.size(); from += BATCH_LIMIT) {
            batch(current.subList(from, Math.min(current.size(), from + BATCH_LIMIT)), out);
        }
        return out;
    }

    /**
     * One {@code BatchGetSecretValue} of up to 20 ids, following its {@code NextToken}: at most one page per id asked
     * and one more, as each page answers at least one of them. An endpoint that keeps answering with a token is cut
     * off there ({@code INVALID_VALUE}) instead of being followed for ever.
     */
    private void batch(List<SecretId> ids, Map<SecretId, SecretValue> out) {
        List<String> names = ids.stream().map(SecretId::path).toList();
        int maxPages = ids.size() + 1;
        String next = null;
        int pages = 0;
        do {
            if (++pages > maxPages) {
                throw new InvalidSecretValueException(
                        SecretRef.secret(NAME, String.join(",", names)),
                        "BatchGetSecretValue answered more than " + maxPages + " pages for " + ids.size()
                                + " secrets (one a secret, and one more)");
            }
            String token = next;
            BatchGetSecretValueResponse response;
            try {
                response = client.batchGetSecretValue(b -> b.secretIdList(names).nextToken(token));
            } catch (SdkException e) {
                throw failure(e, SecretId.of(String.join(",", names)));
            }
            for (SecretValueEntry entry : response.secretValues()) {
                SecretId id = match(ids, entry.name(), entry.arn());
                if (id != null) {
                    SecretValue replaced = out.put(
                            id,
                            value(entry.secretString(), entry.secretBinary(), entry.versionId(), entry.createdDate()));
                    if (replaced != null) {
                        // The same secret answered twice: the copy not kept is zeroed, not left to the collector.
                        replaced.destroy();
                    }
                }
            }
            for (APIErrorType error : response.errors()) {
                if (!"ResourceNotFoundException".equals(error.errorCode())) {
                    SecretId id = match(ids, error.secretId(), error.secretId());
                    // An error naming no secret (or one not asked for) is the batch's: named by what was asked.
                    SecretRef where = id != null
                            ? ref(id)
                            : SecretRef.secret(
                                    NAME,
                                    error.secretId() == null || error.secretId().isBlank()
                                            ? String.join(",", names)
                                            : error.secretId());
                    throw AwsFailures.map(error.errorCode(), error.message(), where);
                }
            }
            next = response.nextToken();
        } while (next != null && !next.isEmpty());
    }

    /** The requested id an answer belongs to: by name, ARN, or the partial ARN without AWS's random suffix. */
    private static SecretId match(List<SecretId> ids, String name, String arn) {
        for (SecretId id : ids) {
            String asked = id.path();
            if (asked.equals(name)
                    || asked.equals(arn)
                    || (arn != null && asked.startsWith("arn:") && arn.startsWith(asked + "-"))) {
                return id;
            }
        }
        return null;
    }

    /** The version that holds the id's stage ({@code AWSCURRENT} by default), from {@code DescribeSecret}. */
    @Override
    public Optional<String> currentVersion(SecretId id) {
        if (id.versionId() != null) {
            return Optional.of(id.versionId());
        }
        String stage = id.stage() == null ? CURRENT : id.stage();
        DescribeSecretResponse response;
        try {
            response = client.describeSecret(b -> b.secretId(id.path()));
        } catch (SdkException e) {
            throw failure(e, id.withoutField());
        }
        return response.versionIdsToStages().entrySet().stream()
                .filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * Many secrets' versions from {@code ListSecrets}, whose entries carry {@code SecretVersionsToStages}: one listing
     * filtered by the secrets' folders (the part of each name up to its last {@code /}, or the name itself) when they
     * are at most 10, else listings of 10 names at a time (a name filter is a prefix, so a listing may name other
     * secrets too: they are ignored). A pinned version answers itself. Left out, for the caller to ask one by one:
     * ARNs and names the filter cannot carry, secrets the listing did not name (created or changed too recently for
     * it: AWS documents that it "might not reflect changes from the last five minutes"), and whatever is still
     * unlisted when the check's page budget or time runs out. A failed listing throws: nothing is known then.
     */
    @Override
    public Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
        Map<SecretId, String> out = new LinkedHashMap<>();
        Map<String, List<SecretId>> byPath = new LinkedHashMap<>();
        for (SecretId id : ids) {
            SecretId whole = id.withoutField();
            if (whole.versionId() != null) {
                out.put(id, whole.versionId());
            } else if (checks.list() && FILTERABLE.matcher(whole.path()).matches()) {
                byPath.computeIfAbsent(whole.path(), p -> new ArrayList<>()).add(id);
            }
        }
        if (byPath.isEmpty()) {
            return out;
        }
        long deadline = System.nanoTime() + checks.timeout().toNanos();
        int[] pages = {0};
        List<String> names = new ArrayList<>(byPath.keySet());
        List<String> folders =
                names.stream().map(AwsSecretsManagerStore::folder).distinct().toList();
        if (!byName && folders.size() <= FILTER_VALUES) {
            // As many pages as the listings by name would take: a folder that holds more is listed by name next time.
            int budget = Math.min(checks.maxPages(), (names.size() + FILTER_VALUES - 1) / FILTER_VALUES);
            if (list(folders, byPath, out, pages, pages[0] + budget, deadline)) {
                return out;
            }
            byName = true;
        }
        List<String> left = names.stream()
                .filter(name -> byPath.get(name).stream().noneMatch(out::containsKey))
                .toList();
        for (int from = 0; from < left.size(); from += FILTER_VALUES) {
            List<String> chunk = left.subList(from, Math.min(left.size(), from + FILTER_VALUES));
            if (!list(chunk, byPath, out, pages, checks.maxPages(), deadline)) {
                break; // out of pages or time: the rest is asked one by one
            }
        }
        return out;
    }

    /**
     * One listing by name prefixes, page after page, into {@code out}; false when it stopped at the page budget
     * ({@code pages[0]} reaching {@code maxPages}) or the deadline before its last page.
     */
    private boolean list(
            List<String> prefixes,
            Map<String, List<SecretId>> byPath,
            Map<SecretId, String> out,
            int[] pages,
            int maxPages,
            long deadline) {
        String next = null;
        do {
            if (pages[0] >= maxPages || System.nanoTime() - deadline > 0) {
                return false;
            }
            pages[0]++;
            String token = next;
            ListSecretsResponse response;
            try {
                response = client.listSecrets(b -> b.maxResults(PAGE)
                        .nextToken(token)
                        .filters(f -> f.key(FilterNameStringType.NAME).values(prefixes)));
            } catch (SdkException e) {
                throw AwsFailures.map(e, SecretRef.secret(NAME, "ListSecrets " + String.join(",", prefixes)));
            }
            for (SecretListEntry entry : response.secretList()) {
                List<SecretId> asked = entry.name() == null ? null : byPath.get(entry.name());
                if (asked == null) {
                    continue; // another secret under the same prefix
                }
                for (SecretId id : asked) {
                    String stage = id.stage() == null ? CURRENT : id.stage();
                    entry.secretVersionsToStages().entrySet().stream()
                            .filter(e -> e.getValue() != null && e.getValue().contains(stage))
                            .map(Map.Entry::getKey)
                            .findFirst()
                            .ifPresent(version -> out.put(id, version));
                }
            }
            next = response.nextToken();
        } while (next != null && !next.isEmpty());
        return true;
    }

    /** The folder a name filter lists a secret by: its name up to its last {@code /}, or its whole name. */
    private static String folder(String name) {
        int slash = name.lastIndexOf('/');
        return slash > 0 ? name.substring(0, slash + 1) : name;
    }

    private static SecretValue value(String string, SdkBytes binary, String versionId, Instant created) {
        byte[] bytes = string != null
                ? string.getBytes(StandardCharsets.UTF_8)
                : binary == null ? new byte[0] : binary.asByteArray();
        try {
            return SecretValue.of(bytes, versionId, created);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static SecretRef ref(SecretId id) {
        return SecretRef.secret(NAME, id.toString());
    }

    private static SecretException failure(SdkException e, SecretId id) {
        return AwsFailures.map(e, ref(id));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "AwsSecretsManagerStore[" + client.serviceClientConfiguration().region() + "]";
    }
}
