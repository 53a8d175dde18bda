package io.mpsecrets.aws.kms;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.AwsClients;
import io.mpsecrets.aws.AwsFailures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * AWS KMS as a {@link KeyManagementService}: {@code GenerateDataKey} (AES_256) and {@code Decrypt}, always with
 * the application's encryption context, so a key policy condition on {@code kms:EncryptionContext:mpsecrets:app}
 * decides which worker may unwrap. Values store the key ARN that KMS returned. Failures come back typed, after the
 * SDK's retries: a denial as {@link io.mpsecrets.api.exception.SecretAccessDeniedException}.
 *
 * <p>With several regions (the first is the application's own), a Multi-Region key ({@code mrk-...}) is used through
 * its replica in the first region, whatever region the value was made in; when that region's KMS is unavailable or
 * does not answer in time, the next region's replica is tried, and the failover is reported ({@link BackendEvents}).
 * A denial, a wrong key or a bad ciphertext is KMS's answer and is not retried elsewhere; nor is throttling, which the
 * SDK's retries absorb and which moving load to another region would spread. Other keys are used in the region their
 * ARN names (if listed) or the first.
 */
public final class AwsKms implements KeyManagementService {

    private static final Pattern KEY_UUID =
            Pattern.compile("(mrk-)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|mrk-[0-9a-f]{32}");

    /** One region's client, built when first used: a failover region may never be needed. */
    private static final class RegionalClient {
        final String region;
        private final Supplier<KmsClient> builder;
        private KmsClient client;

        RegionalClient(String region, Supplier<KmsClient> builder) {
            this.region = region;
            this.builder = builder;
        }

        synchronized KmsClient client() {
            if (client == null) {
                client = builder.get();
            }
            return client;
        }

        synchronized void close() {
            if (client != null) {
                client.close();
            }
        }
    }

    private final List<RegionalClient> regions;
    private final BackendEvents events;

    public AwsKms(KmsClient client) {
        this(
                List.of(new RegionalClient(
                        client.serviceClientConfiguration().region().id(), () -> client)),
                BackendEvents.NONE);
    }

    private AwsKms(List<RegionalClient> regions, BackendEvents events) {
        this.regions = List.copyOf(regions);
        this.events = events;
    }

    /** A client configured from {@code mpsecrets.kms.aws.*}. */
    public static AwsKms create(AwsClientSettings settings) {
        return new AwsKms(AwsClients.configure(KmsClient.builder(), settings).build());
    }

    /**
     * Clients for {@code regions}, in order of preference (the first is the application's own); each region's
     * settings are {@code settings} with that region and its endpoint.
     */
    public static AwsKms create(List<AwsClientSettings> regions, BackendEvents events) {
        List<RegionalClient> clients = new ArrayList<>();
        for (AwsClientSettings region : regions) {
            clients.add(new RegionalClient(
                    region.region().orElseThrow(),
                    () -> AwsClients.configure(KmsClient.builder(), region).build()));
        }
        return new AwsKms(clients, events);
    }

    /** Key ARNs, alias ARNs, alias names ({@code alias/...}) and key ids. */
    static boolean isAwsKeyId(String keyId) {
        return (keyId.startsWith("arn:aws") && keyId.contains(":kms:"))
                || keyId.startsWith("alias/")
                || KEY_UUID.matcher(keyId).matches();
    }

    @Override
    public String name() {
        return "aws";
    }

    /** Calls KMS in the region(s) that can serve {@code keyId}, failing over for a Multi-Region key. */
    private <T> T call(String keyId, BiFunction<KmsClient, String, T> operation) {
        SecretRef ref = SecretRef.key(keyId).withBackend(name());
        Optional<MultiRegionKeyId> multiRegion = MultiRegionKeyId.parse(keyId);
        if (multiRegion.isEmpty() || regions.size() == 1) {
            RegionalClient home =
                    MultiRegionKeyId.regionOf(keyId).flatMap(this::region).orElse(regions.get(0));
            return attempt(home.client(), keyId, ref, operation);
        }
        SecretException firstFailure = null;
        String failedRegion = null;
        for (RegionalClient region : regions) {
            try {
                T answer = attempt(region.client(), multiRegion.get().in(region.region), ref, operation);
                if (firstFailure != null) {
                    events.failedOver(ref, failedRegion, region.region, firstFailure.reason());
                }
                return answer;
            } catch (SecretException failure) {
                if (failure.reason() != FailureReason.UNAVAILABLE && failure.reason() != FailureReason.TIMEOUT) {
                    throw failure;
                }
                if (firstFailure == null) {
                    firstFailure = failure;
                    failedRegion = region.region;
                }
            }
        }
        throw firstFailure;
    }

    private static <T> T attempt(
            KmsClient client, String keyId, SecretRef ref, BiFunction<KmsClient, String, T> operation) {
        try {
            return operation.apply(client, keyId);
        } catch (SdkException e) {
            throw AwsFailures.map(e, ref);
        }
    }

    private Optional<RegionalClient> region(String name) {
        return regions.stream().filter(r -> r.region.equals(name)).findFirst();
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        GenerateDataKeyResponse response = call(
                keyId,
                (client, id) -> client.generateDataKey(
                        b -> b.keyId(id).keySpec(DataKeySpec.AES_256).encryptionContext(context.entries())));
        SecretRef ref = SecretRef.key(keyId).withBackend(name());
        if (response.keyId() == null
                || response.keyId().isEmpty()
                || response.ciphertextBlob() == null
                || response.ciphertextBlob().asByteArrayUnsafe().length == 0) {
            throw new InvalidSecretValueException(
                    ref, "KMS answered GenerateDataKey without a key id or a wrapped key");
        }
        byte[] plaintext = dataKeyBytes(response.plaintext(), ref);
        try {
            return new GeneratedDataKey(
                    response.keyId(), response.ciphertextBlob().asByteArray(), DataKey.copyOf(plaintext));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        DecryptResponse response = call(
                keyId,
                (client, id) -> client.decrypt(b -> b.keyId(id)
                        .ciphertextBlob(SdkBytes.fromByteArray(wrappedKey))
                        .encryptionContext(context.entries())));
        byte[] plaintext =
                dataKeyBytes(response.plaintext(), SecretRef.key(keyId).withBackend(name()));
        try {
            return DataKey.copyOf(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** KMS's plaintext data key, which must be there and be an AES-256 key: anything else is a typed failure. */
    private static byte[] dataKeyBytes(SdkBytes plaintext, SecretRef ref) {
        if (plaintext == null) {
            throw new InvalidSecretValueException(ref, "KMS answered without a plaintext data key");
        }
        byte[] bytes = plaintext.asByteArrayUnsafe();
        if (bytes.length != DataKey.LENGTH) {
            throw new InvalidSecretValueException(
                    ref, "KMS answered with a data key of " + bytes.length + " bytes, not " + DataKey.LENGTH);
        }
        return bytes;
    }

    @Override
    public void close() {
        regions.forEach(RegionalClient::close);
    }

    @Override
    public String toString() {
        return "AwsKms" + regions.stream().map(r -> r.region).toList();
    }
}
