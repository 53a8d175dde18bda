package io.mpsecrets.bench.fleet;

import java.time.Duration;
import java.util.Optional;

/**
 * A backend's APIs as the simulator calls them, each with its published quota, and the client's retries around a
 * start-up call.
 *
 * <ul>
 *   <li>{@link #AWS}: Secrets Manager's quotas per account and region ({@code GetSecretValue} 10,000,
 *       {@code DescribeSecret} 40,000, {@code BatchGetSecretValue} 100 a second, not adjustable) and KMS's shared
 *       quota for symmetric cryptographic operations (5,500 a second in most regions); the AWS SDK's retries.
 *   <li>{@link #AZURE}: Key Vault's service limits per vault and region (docs/azure.md): secrets, every transaction
 *       but create, 4,000 per 10 s (Get Secret reads a value and is the rotation check: one bucket); keys, 4,000 per
 *       10 s for an RSA 2048-bit software key (Unwrap Key). Entra ID: one token per instance, its limit not modelled
 *       (docs/azure.md states none). {@code KeyVaultClient}'s retries.
 *   <li>{@link #GCP}: Secret Manager's quotas per project (docs/gcp.md): access requests ({@code versions.access})
 *       90,000 a minute, read requests ({@code versions.get}, listings) 600 a minute; Cloud KMS
 *       {@code decrypt}: its quota is not stated in docs/gcp.md, so not modelled (calls counted only). The OAuth 2.0
 *       token: one per instance, not modelled. {@code GcpHttp}'s retries. {@link #GCP}: {@code rotation-check=access},
 *       the default, the check spending access requests; {@link #GCP_METADATA}: by {@code versions.get}.
 * </ul>
 *
 * <p>A quota given per window (10 s, a minute) is a bucket holding one window's calls that refills at the quota's
 * rate: neither vendor documents how its window is enforced, and this is the most a fleet can get from it.
 *
 * @param store the store's name, for the tables
 * @param batch the batch read, if the store has one
 * @param single the single read
 * @param check the rotation check and TTL revalidation; empty when it is {@code single} itself
 * @param kms the data key's unwrap
 * @param token the credential's token call, once per instance start; empty where none is counted
 * @param retries the client's retries around a call: empty for the AWS SDK's (full jitter, 1 s doubling to 20 s)
 * @param list the batched version check, if the store's default uses one
 */
record Quotas(
        String store,
        Optional<Limit> batch,
        Limit single,
        Optional<Limit> check,
        Limit kms,
        Optional<Limit> token,
        Optional<Retries> retries,
        Optional<Limit> list) {

    /** Without a batched version check. */
    Quotas(
            String store,
            Optional<Limit> batch,
            Limit single,
            Optional<Limit> check,
            Limit kms,
            Optional<Limit> token,
            Optional<Retries> retries) {
        this(store, batch, single, check, kms, token, retries, Optional.empty());
    }

    /**
     * These APIs with a batched version check ({@code ListSecrets}) at {@code perSecond}: a store's TTL refreshes
     * and rotation checks go through it, as {@code mpsecrets.aws.rotation-check=list} (the default) has them.
     */
    Quotas withList(String name, double perSecond) {
        return withList(Limit.perSecond(name, perSecond));
    }

    /** These APIs with a batched version check under {@code limit}. */
    Quotas withList(Limit limit) {
        return new Quotas(store, batch, single, check, kms, token, retries, Optional.of(limit));
    }

    /** These APIs under another name, for the tables. */
    Quotas named(String name) {
        return new Quotas(name, batch, single, check, kms, token, retries, list);
    }

    /** One API: calls a second at the quota, and the window the quota is counted over. */
    record Limit(String name, double perSecond, double windowSeconds) {
        static Limit perSecond(String name, double perSecond) {
            return new Limit(name, perSecond, 1);
        }

        /** An API whose quota is not known: every call is answered, and counted. */
        static Limit unknown(String name) {
            return new Limit(name, Double.POSITIVE_INFINITY, 1);
        }

        boolean known() {
            return Double.isFinite(perSecond);
        }
    }

    /** A client's own retries: {@code attempts} tries, waits as {@code io.mpsecrets.api.backend.Backoff} gives. */
    record Retries(int attempts, Duration base, Duration max) {}

    /**
     * mp-secrets' defaults against AWS: the batched check by {@code ListSecrets}, 100 a second (AWS's announcement of
     * 2022-11-11; the quotas page of 2026 lists no figure for it here).
     */
    static final Quotas AWS = new Quotas(100, 10_000, 40_000, 5_500).withList("ListSecrets", 100);

    /** {@code mpsecrets.aws.rotation-check=describe}: one {@code DescribeSecret} per secret per TTL, as before. */
    static final Quotas AWS_DESCRIBE = new Quotas(100, 10_000, 40_000, 5_500).named("aws, rotation-check=describe");

    /**
     * {@code mpsecrets.azure.rotation-check=get}: one Get Secret per secret per TTL refresh and rotation check, the
     * only check before issue 33.
     */
    static final Quotas AZURE_GET = new Quotas(
            "azure, rotation-check=get",
            Optional.empty(),
            new Limit("Get Secret", 400, 10),
            Optional.empty(),
            new Limit("Unwrap Key", 400, 10),
            Optional.of(Limit.unknown("Entra ID token")),
            // KeyVaultClient: 3 attempts, Retry-After or 200 ms doubling to 10 s (the simulated vault sends none).
            Optional.of(new Retries(3, Duration.ofMillis(200), Duration.ofSeconds(10))));

    /**
     * mp-secrets' defaults against Key Vault: the batched check ({@code rotation-check=list}) by Get Secrets, 25 to a
     * page; a page is a secrets transaction like Get Secret, so its limit is the vault's (4,000 per 10 s). The
     * simulator gives the listing a bucket of its own at that limit: the two columns' shares add up against the one
     * vault.
     */
    static final Quotas AZURE = AZURE_GET.named("azure").withList(new Limit("Get Secrets", 400, 10));

    /**
     * {@code mpsecrets.gcp.rotation-check=metadata}: TTL refreshes and rotation checks by {@code versions.get}, the
     * read quota (600 a minute); the default before issue 33.
     */
    static final Quotas GCP_METADATA = new Quotas(
            "gcp, rotation-check=metadata",
            Optional.empty(),
            new Limit("versions.access", 90_000 / 60.0, 60),
            Optional.of(new Limit("versions.get", 600 / 60.0, 60)),
            Limit.unknown("KMS decrypt"),
            Optional.of(Limit.unknown("OAuth token")),
            // GcpHttp: 3 attempts, 100 ms doubling to 102.4 s.
            Optional.of(new Retries(3, Duration.ofMillis(100), Duration.ofMillis(100L << 10))));

    /**
     * mp-secrets' defaults against Secret Manager ({@code rotation-check=access}): TTL refreshes and rotation checks by
     * {@code versions.access}, whose quota is 150 times the read quota. Secret Manager has no call that tells many
     * secrets' versions: {@code secrets.list} gives no version, {@code versions.list} is one secret's.
     */
    static final Quotas GCP = new Quotas(
            "gcp",
            GCP_METADATA.batch,
            GCP_METADATA.single,
            Optional.empty(),
            GCP_METADATA.kms,
            GCP_METADATA.token,
            GCP_METADATA.retries);

    /** AWS's APIs with these quotas a second. */
    Quotas(double batchGetSecretValue, double getSecretValue, double describeSecret, double kmsDecrypt) {
        this(
                "aws",
                Optional.of(Limit.perSecond("BatchGetSecretValue", batchGetSecretValue)),
                Limit.perSecond("GetSecretValue", getSecretValue),
                Optional.of(Limit.perSecond("DescribeSecret", describeSecret)),
                Limit.perSecond("KMS Decrypt", kmsDecrypt),
                Optional.empty(),
                Optional.empty());
    }

    double kmsDecrypt() {
        return kms.perSecond();
    }

    /** Secrets a second the store can serve at best: batches of {@code batchSize} and single reads together. */
    double secretsPerSecond(int batchSize) {
        return batch.map(b -> b.perSecond() * batchSize).orElse(0.0) + single.perSecond();
    }

    /**
     * Secrets the store can serve at once beyond one second's: a quota counted over a window of {@code w} seconds
     * starts with {@code w} seconds of calls.
     */
    double secretsBurst(int batchSize) {
        return batch.map(b -> b.perSecond() * batchSize * (b.windowSeconds() - 1))
                        .orElse(0.0)
                + single.perSecond() * (single.windowSeconds() - 1);
    }
}
