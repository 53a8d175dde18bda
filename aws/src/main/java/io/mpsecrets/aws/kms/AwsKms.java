package io.mpsecrets.aws.kms;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.AwsClients;
import io.mpsecrets.aws.AwsFailures;
import java.util.Arrays;
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
 */
public final class AwsKms implements KeyManagementService {

    private static final Pattern KEY_UUID =
            Pattern.compile("(mrk-)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|mrk-[0-9a-f]{32}");

    private final KmsClient client;

    public AwsKms(KmsClient client) {
        this.client = client;
    }

    /** A client configured from {@code mpsecrets.kms.aws.*}. */
    public static AwsKms create(AwsClientSettings settings) {
        return new AwsKms(AwsClients.configure(KmsClient.builder(), settings).build());
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

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        GenerateDataKeyResponse response;
        try {
            response = client.generateDataKey(
                    b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context.entries()));
        } catch (SdkException e) {
            throw AwsFailures.map(e, SecretRef.key(keyId).withProvider(name()));
        }
        SecretRef ref = SecretRef.key(keyId).withProvider(name());
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
        DecryptResponse response;
        try {
            response = client.decrypt(b -> b.keyId(keyId)
                    .ciphertextBlob(SdkBytes.fromByteArray(wrappedKey))
                    .encryptionContext(context.entries()));
        } catch (SdkException e) {
            throw AwsFailures.map(e, SecretRef.key(keyId).withProvider(name()));
        }
        byte[] plaintext =
                dataKeyBytes(response.plaintext(), SecretRef.key(keyId).withProvider(name()));
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
        client.close();
    }

    @Override
    public String toString() {
        return "AwsKms[" + client.serviceClientConfiguration().region() + "]";
    }
}
