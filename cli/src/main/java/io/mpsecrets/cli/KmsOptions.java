package io.mpsecrets.cli;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.kms.KmsRegistry;
import io.mpsecrets.kms.aws.AwsKms;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which KMS a command uses: the local keyring (default) or AWS KMS ({@code --kms aws --key-id alias/x}), with
 * AWS region, endpoint and credentials profile as the runtime takes them ({@code mpsecrets.kms.aws.*}).
 */
final class KmsOptions {

    @Mixin
    KeyringOption keyring;

    @Option(names = "--kms", paramLabel = "local|aws", defaultValue = "local",
            description = "Key management service: local (keyring file) or aws (AWS KMS). Default: ${DEFAULT-VALUE}.")
    String kms;

    @Option(names = "--key-id", paramLabel = "ID",
            description = "Key for new data keys: local (newest keyring version, the default) or local:<name>; with --kms aws a key ARN, key id or alias/<name>.")
    String keyId;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the AWS SDK's default chain).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL", description = "AWS KMS endpoint override, e.g. a mock or a VPC endpoint.")
    URI endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS credentials profile (default: the SDK's default chain).")
    String profile;

    KeyManagementService open(Map<String, String> env) {
        switch (kms) {
            case "local":
                return LocalKeyringKms.open(keyring.resolve(env));
            case "aws":
                return AwsKms.create(awsSettings());
            default:
                throw new MpSecretsCommand.UsageException("--kms must be local or aws");
        }
    }

    /** AWS client settings from --region, --endpoint and --profile (errors name the options). */
    AwsClientSettings awsSettings() {
        Map<String, String> settings = new HashMap<>();
        put(settings, "region", region);
        put(settings, "endpoint", endpoint == null ? null : endpoint.toString());
        put(settings, "profile", profile);
        return AwsClientSettings.read("--", name -> Optional.ofNullable(settings.get(name.substring(2))));
    }

    /**
     * Every KMS an existing value may name, opened on first use: the keyring (if the file exists) and AWS KMS
     * with these options. For reading values made under older keys.
     */
    KmsRegistry readers(Map<String, String> env) {
        java.nio.file.Path file = keyring.resolve(env);
        return KmsRegistry.builder()
                .add("local", LocalKeyringKms::isLocalKeyId, () -> LocalKeyringKms.open(file))
                .add("aws", AwsKms::isAwsKeyId, () -> AwsKms.create(awsSettings()))
                .build();
    }

    /** The key id for new data keys: --key-id, or the local keyring's newest version. */
    String keyIdForNewKeys() {
        if (keyId != null) {
            return keyId;
        }
        if (kms.equals("aws")) {
            throw new MpSecretsCommand.UsageException("--kms aws needs --key-id (a key ARN, key id or alias/<name>)");
        }
        return "local";
    }

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
