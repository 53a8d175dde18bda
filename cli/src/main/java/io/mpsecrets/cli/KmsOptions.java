package io.mpsecrets.cli;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.aws.AwsClientSettings;
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
                Map<String, String> settings = new HashMap<>();
                put(settings, "region", region);
                put(settings, "endpoint", endpoint == null ? null : endpoint.toString());
                put(settings, "profile", profile);
                return AwsKms.create(AwsClientSettings.read("--", name -> Optional.ofNullable(settings.get(name.substring(2)))));
            default:
                throw new MpSecretsCommand.UsageException("--kms must be local or aws");
        }
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
