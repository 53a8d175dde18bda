package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortcuts of a cached read (docs/performance.md): the marker hands out the copy with tags it made for an equal
 * value, and the resolver recognises the tag a name last resolved. Neither may serve a value that changed, nor hide
 * which source a value now comes from.
 */
class CachedReadPathTest {

    @TempDir
    Path dir;

    private LocalKeyring keyring;
    private Path keyringFile;

    private SmallRyeConfig config(ConfigSource... sources) {
        keyring = LocalKeyring.generate("dev");
        keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(sources)
                .withSources(new PropertiesConfigSource(
                        Map.of("mpsecrets.kms.local.keyring", keyringFile.toString()), "settings", 50))
                .build();
    }

    @Test
    void aValueChangedBackAndForthReadsItsCurrentSecretEachTime() {
        LiveSource source = new LiveSource(Map.of("url", "jdbc:x?p=${db.password}"));
        SmallRyeConfig config = config(source);
        String first = Fixtures.encrypt(keyring, "one-" + LeakGuard.CANARY, "db.password");
        String second = Fixtures.encrypt(keyring, "two-" + LeakGuard.CANARY, "db.password");
        for (int round = 0; round < 6; round++) {
            String plaintext = (round % 2 == 0 ? "one-" : "two-") + LeakGuard.CANARY;
            source.values.put("db.password", round % 2 == 0 ? first : second);
            for (int read = 0; read < 3; read++) {
                assertThat(config.getValue("db.password", String.class)).isEqualTo(plaintext);
                assertThat(config.getValue("url", String.class)).isEqualTo("jdbc:x?p=" + plaintext);
            }
        }
    }

    @Test
    void theSameEncryptedTextFromAnotherSourceIsReportedAsComingFromThatSource() {
        LiveSource live = new LiveSource(Map.of());
        Overrides overrides = new Overrides();
        SmallRyeConfig config = config(live, overrides);
        String encrypted = Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password");
        live.values.put("db.password", encrypted);

        for (int read = 0; read < 3; read++) {
            ConfigValue value = config.getConfigValue("db.password");
            assertThat(value.getValue()).isEqualTo("pw-" + LeakGuard.CANARY);
            assertThat(value.getSourceName()).isEqualTo("live");
            assertThat(value.getSourceOrdinal()).isEqualTo(100);
            assertThat(value.getRawValue()).isEqualTo(encrypted);
        }
        // The very same text (one instance) now also comes from a source of higher ordinal.
        overrides.values.put("db.password", encrypted);
        ConfigValue overridden = config.getConfigValue("db.password");
        assertThat(overridden.getValue()).isEqualTo("pw-" + LeakGuard.CANARY);
        assertThat(overridden.getSourceName()).isEqualTo("overrides");
        assertThat(overridden.getSourceOrdinal()).isEqualTo(200);

        overrides.values.remove("db.password");
        assertThat(config.getConfigValue("db.password").getSourceName()).isEqualTo("live");
    }

    /** A second live source, of higher ordinal. */
    private static final class Overrides implements ConfigSource {

        final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            return values.get(propertyName);
        }

        @Override
        public String getName() {
            return "overrides";
        }

        @Override
        public int getOrdinal() {
            return 200;
        }
    }
}
