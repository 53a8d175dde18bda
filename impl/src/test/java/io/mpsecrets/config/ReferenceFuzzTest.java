package io.mpsecrets.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testing.Fixtures;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Fuzz target for what the marker and the resolver do with a config value: any text, with {@code ENC(...)} values,
 * {@code ${store::id}} references and tag characters in it, reads back as a value or a {@link SecretException}. Only
 * mp-secrets' interceptors are installed, so SmallRye's own expression rules are not what is tested.
 */
class ReferenceFuzzTest {

    private static final Map<String, String> VALUES = new ConcurrentHashMap<>();
    private static final SmallRyeConfig CONFIG = config();

    private static SmallRyeConfig config() {
        try {
            Path dir = Files.createTempDirectory("fuzz-secrets");
            Files.writeString(dir.resolve("db-password"), "{\"user\":\"orders\",\"password\":\"pw\"}");
            dir.toFile().deleteOnExit();
            return new SmallRyeConfigBuilder()
                    .withInterceptorFactories(new SecretMarkerFactory(), new SecretResolverFactory())
                    .withSources(new PropertiesConfigSource(
                            Map.of(
                                    "mpsecrets.kms.local.keyring",
                                            Fixtures.testKeyring().toString(),
                                    "mpsecrets.file.dir", dir.toString()),
                            "settings",
                            50))
                    .withSources(new ConfigSource() {
                        @Override
                        public Set<String> getPropertyNames() {
                            return VALUES.keySet();
                        }

                        @Override
                        public String getValue(String name) {
                            return VALUES.get(name);
                        }

                        @Override
                        public String getName() {
                            return "fuzz";
                        }
                    })
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "")
    void configValue(byte[] input) {
        VALUES.put("fuzz.value", new String(input, StandardCharsets.UTF_8));
        try {
            CONFIG.getConfigValue("fuzz.value");
        } catch (SecretException expected) {
            // a typed refusal
        }
    }
}
