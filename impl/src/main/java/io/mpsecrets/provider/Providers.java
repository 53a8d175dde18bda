package io.mpsecrets.provider;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.config.Settings;
import io.mpsecrets.provider.env.EnvSecretProvider;
import io.mpsecrets.provider.file.FileSecretProvider;
import java.nio.file.Path;

/** Builds a store's provider from its {@code mpsecrets.<store>.*} settings. */
public final class Providers {

    private Providers() {
    }

    public static SecretProvider create(String store, Settings settings) {
        switch (store) {
            case FileSecretProvider.NAME:
                return new FileSecretProvider(Path.of(settings.required("mpsecrets.file.dir", "it names the directory of mounted secret files")),
                        settings.bool("mpsecrets.file.trim-newline", true));
            case EnvSecretProvider.NAME:
                return new EnvSecretProvider(System.getenv());
            default:
                throw new ConfigurationException("the secret store '" + store + "' is not available");
        }
    }
}
