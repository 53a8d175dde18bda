package io.mpsecrets.cli;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.backend.Backends;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.kms.local.LocalKeyringKmsFactory;
import io.mpsecrets.runtime.MpSecretsSettings;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which KMS a command uses, by name, from the backends in the CLI's jar (the same registry the runtime uses): the
 * local keyring (default) or, e.g., AWS KMS ({@code --kms aws --key-id alias/x}). {@code --region},
 * {@code --endpoint} and {@code --profile} are that KMS's {@code mpsecrets.kms.<name>.region}, {@code endpoint}
 * and {@code profile}, as the runtime takes them; {@code --keyring} is {@code mpsecrets.kms.local.keyring}. Any other
 * setting a KMS reads comes from the environment as MicroProfile Config's environment source spells it
 * ({@code mpsecrets.azure.ca-bundle} from {@code MPSECRETS_AZURE_CA_BUNDLE}), so that one export serves the CLI and
 * the application; an option wins over the environment.
 */
final class KmsOptions {

    @Mixin
    KeyringOption keyring;

    @Option(
            names = "--kms",
            paramLabel = "NAME",
            defaultValue = MpSecretsSettings.DEFAULT_KMS,
            description = "Key management service by name: local (keyring file), aws (AWS KMS), vault-transit (Vault's "
                    + "Transit engine; VAULT_ADDR and VAULT_TOKEN, or --endpoint), azure-keyvault (Azure Key"
                    + " Vault keys; the AZURE_* variables Azure's SDKs read) or gcp-kms (Google Cloud KMS;"
                    + " Application Default Credentials). Other settings come from MPSECRETS_* variables."
                    + " Default: ${DEFAULT-VALUE}.")
    String kms;

    @Option(
            names = "--key-id",
            paramLabel = "ID",
            description =
                    "Key for new data keys: local (newest keyring version, the default) or local:<name>; with --kms "
                            + "aws a key ARN, key id or alias/<name>; with --kms vault-transit vault-transit:<key>; "
                            + "with --kms azure-keyvault azure-keyvault:https://<vault>/keys/<name>; "
                            + "with --kms gcp-kms gcp-kms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>.")
    String keyId;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "AWS region (default: the AWS SDK's default chain).")
    String region;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "AWS KMS endpoint override (a mock, a VPC endpoint), the Vault address for vault-transit, or "
                    + "Cloud KMS's address for gcp-kms.")
    URI endpoint;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "AWS credentials profile (default: the SDK's default chain).")
    String profile;

    private static Backends backends() {
        return Backends.discover(KmsOptions.class.getClassLoader());
    }

    /** The KMS {@code --kms} names. */
    KeyManagementService open(Map<String, String> env) {
        Backends backends = backends();
        if (!backends.kmsNames().contains(kms)) {
            throw new MpSecretsCommand.UsageException("--kms must be one of " + backends.kmsNames());
        }
        return registry(backends, java.util.Set.of(kms), env).named(kms);
    }

    /**
     * Every KMS an existing value may name, opened on first use: each KMS in the CLI's jar, with these options. For
     * reading values made under older keys, or under another KMS (re-encrypting from one to another).
     */
    KmsRegistry readers(Map<String, String> env) {
        Backends backends = backends();
        return registry(backends, backends.kmsNames(), env);
    }

    private KmsRegistry registry(Backends backends, java.util.Collection<String> names, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>();
        settings.put(LocalKeyringKmsFactory.KEYRING, keyring.resolve(env).toString());
        for (String name : names) {
            String prefix = CommonSettings.kmsPrefix(name);
            put(settings, prefix + "region", region);
            put(settings, prefix + "endpoint", endpoint == null ? null : endpoint.toString());
            put(settings, prefix + "profile", profile);
        }
        return backends.kmsRegistry(
                names,
                name -> BackendSettings.kms(
                        name,
                        setting -> Optional.ofNullable(settings.get(setting))
                                .or(() -> Optional.ofNullable(env.get(environmentName(setting)))),
                        env,
                        MpSecretsSettings.DEFAULT_APPLICATION));
    }

    /** The key id for new data keys: --key-id, or the local keyring's newest version. */
    String keyIdForNewKeys() {
        if (keyId != null) {
            return keyId;
        }
        if (!kms.equals(LocalKeyringKmsFactory.NAME)) {
            throw new MpSecretsCommand.UsageException(
                    "--kms " + kms + " needs --key-id (for aws: a key ARN, key id or alias/<name>; for vault-transit:"
                            + " vault-transit:<key>; for azure-keyvault: azure-keyvault:https://<vault>/keys/<name>;"
                            + " for gcp-kms: gcp-kms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)");
        }
        return LocalKeyringKmsFactory.NAME;
    }

    /** As MicroProfile Config's environment source finds a setting: upper case, not a letter or digit {@code _}. */
    static String environmentName(String setting) {
        return setting.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
