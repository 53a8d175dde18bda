package io.mpsecrets.provider;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.config.Settings;
import io.mpsecrets.provider.aws.AwsSecretsManagerProvider;
import io.mpsecrets.provider.vault.VaultSecretProvider;
import io.mpsecrets.provider.vault.VaultSettings;
import io.mpsecrets.provider.env.EnvSecretProvider;
import io.mpsecrets.provider.file.FileSecretProvider;
import java.nio.file.Path;

/** Builds a store's provider from its {@code mpsecrets.<store>.*} settings. */
public final class Providers {

    /** AWS Secrets Manager's client settings: region, endpoint, profile, timeout, max-attempts. */
    public static final String AWS_PREFIX = "mpsecrets.aws.";

    private Providers() {
    }

    public static SecretProvider create(String store, Settings settings) {
        switch (store) {
            case FileSecretProvider.NAME:
                return new FileSecretProvider(Path.of(settings.required("mpsecrets.file.dir", "it names the directory of mounted secret files")),
                        settings.bool("mpsecrets.file.trim-newline", true));
            case EnvSecretProvider.NAME:
                return new EnvSecretProvider(System.getenv());
            case AwsSecretsManagerProvider.NAME:
                return AwsSecretsManagerProvider.create(AwsClientSettings.read(AWS_PREFIX, settings.lookup()));
            case VaultSecretProvider.NAME:
                return new VaultSecretProvider(VaultSettings.read(settings, System.getenv()));
            default:
                throw new ConfigurationException("the secret store '" + store + "' is not available");
        }
    }
}
