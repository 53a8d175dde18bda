package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.Expressions;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config built for a build (Quarkus reads every property while it builds) with the build-time guard installed:
 * nothing is decrypted or fetched, so the build needs no keyring and no store, and records the text as written.
 */
class BuildTimeTest {

    @TempDir
    Path dir;

    private SmallRyeConfig config(Map<String, String> values, boolean building) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100));
        if (building) {
            builder.withInterceptorFactories(new ConfigSourceInterceptorFactory() {
                @Override
                public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
                    return BuildTime.guard();
                }

                @Override
                public OptionalInt getPriority() {
                    return BuildTime.guardPriority();
                }
            });
        }
        return builder.build();
    }

    @Test
    void aBuildReadsEncryptedValuesAndReferencesAsWrittenWithNoKeyringAndNoStore() {
        String encrypted = Fixtures.encrypt(LocalKeyring.generate("build"), Fixtures.SECRET, "db.password");
        Map<String, String> values = Map.of(
                "mpsecrets.kms.local.keyring",
                dir.resolve("absent-keyring.json").toString(),
                "mpsecrets.sources",
                "file",
                "mpsecrets.file.dir",
                dir.resolve("absent-dir").toString(),
                "db.password",
                encrypted,
                "api.key",
                "${file::api-key}",
                "jdbc.url",
                "jdbc:h2:mem:x;PASSWORD=${db.password}");
        try (AuditRecorder audit = new AuditRecorder()) {
            SmallRyeConfig build = config(values, true);
            assertEquals(encrypted, build.getRawValue("db.password"));
            assertEquals(encrypted, build.getConfigValue("db.password").getValue());
            // What Quarkus records for run time: the value without expansion.
            assertEquals(
                    "${file::api-key}",
                    Expressions.withoutExpansion(() -> build.getConfigValue("api.key"))
                            .getValue());
            assertThat(build.getPropertyNames()).doesNotContain(BuildTime.PHASE);
            assertThat(ConfigRegistry.runtimeOf(build))
                    .as("no runtime is built")
                    .isEmpty();
            assertThat(audit.lines()).as("nothing decrypted or fetched").isEmpty();
        }
    }

    @Test
    void withoutTheGuardTheSameConfigDecryptsWhenRead() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("run");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        SmallRyeConfig run = config(
                Map.of(
                        "mpsecrets.kms.local.keyring", keyringFile.toString(),
                        "db.password", Fixtures.encrypt(keyring, Fixtures.SECRET, "db.password")),
                false);
        assertEquals(Fixtures.SECRET, run.getValue("db.password", String.class));
    }
}
