package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 14: a source whose values change while the application reads them. A read during a change gets the old
 * or the new plaintext, never an error; a superseded plaintext is dropped, not kept for the life of the application.
 */
class DynamicSourceTest {

    @TempDir
    Path dir;

    private SmallRyeConfig config(LiveSource source, Path keyringFile) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(source)
                .withSources(new PropertiesConfigSource(
                        Map.of("mpsecrets.kms.local.keyring", keyringFile.toString()), "settings", 50))
                .build();
    }

    @Test
    void readsDuringChangesNeverFailAndSeeOnlyWholeValues() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        String first = Fixtures.encrypt(keyring, "one-" + LeakGuard.CANARY, "db.password");
        String second = Fixtures.encrypt(keyring, "two-" + LeakGuard.CANARY, "db.password");
        LiveSource source = new LiveSource(Map.of("db.password", first, "url", "jdbc:x?p=${db.password}"));
        SmallRyeConfig config = config(source, keyringFile);
        Set<String> expected = Set.of("one-" + LeakGuard.CANARY, "two-" + LeakGuard.CANARY);

        ConcurrentReaders.Report report = ConcurrentReaders.during(
                8,
                () -> config.getValue("db.password", String.class) + "|" + config.getValue("url", String.class),
                () -> value -> {
                    String[] both = value.split("\\|");
                    return expected.contains(both[0]) && expected.contains(both[1].substring("jdbc:x?p=".length()))
                            ? null
                            : "not a whole value";
                },
                () -> {
                    long end =
                            System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
                    for (int change = 0; System.nanoTime() - end < 0; change++) {
                        source.values.put("db.password", change % 2 == 0 ? second : first);
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    }
                });
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(400);
    }

    @Test
    void supersededPlaintextsAreDropped() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        LiveSource source = new LiveSource(Map.of());
        SmallRyeConfig config = config(source, keyringFile);
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        for (int change = 0; change < 500; change++) {
            source.values.put(
                    "db.password", Fixtures.encrypt(keyring, "v" + change + "-" + LeakGuard.CANARY, "db.password"));
            config.getValue("db.password", String.class);
        }
        assertThat(runtime.encrypted().held())
                .as("plaintexts held after 500 changes of one property")
                .isEqualTo(1);
        runtime.close();
    }
}
