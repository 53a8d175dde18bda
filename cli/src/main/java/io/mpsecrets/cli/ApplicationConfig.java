package io.mpsecrets.cli;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The config an application would build from its properties file, mp-secrets installed as discovery installs it. */
final class ApplicationConfig {

    private ApplicationConfig() {}

    /**
     * @param keyring a local keyring for its {@code ENC(...)} values instead of the file's
     *     {@code mpsecrets.kms.local.keyring}, or null
     */
    static SmallRyeConfig build(Path config, Path keyring) throws IOException {
        if (!Files.isRegularFile(config)) {
            throw new MpSecretsCommand.UsageException("no such file: " + config);
        }
        Map<String, String> overrides = new HashMap<>();
        if (keyring != null) {
            overrides.put("mpsecrets.kms.local.keyring", keyring.toString());
        }
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(
                        new PropertiesConfigSource(config.toUri().toURL(), 100),
                        new PropertiesConfigSource(overrides, "mpsecrets command-line options", 1000))
                .build();
    }
}
