package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 12: closing the runtime (application shutdown) while readers read returned NUL bytes as a value (a store
 * value zeroed during its copy), {@code IllegalStateException}s, and misleading, audited {@code WRONG_KEY} failures
 * from a keyring zeroed mid-unwrap. A read that meets the close fails once with a clear {@code CLOSED} error; every
 * other read returns the whole value; a read after the close starts over.
 */
class ClosingWhileReadingTest {

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();
    private final AuditRecorder audit = new AuditRecorder();

    @AfterEach
    void close() {
        configs.close();
        audit.close();
    }

    @Test
    void readsMeetingACloseFailClearlyAndNeverSeeZeroedOrWrongValues() throws Exception {
        readWhileClosing(false);
    }

    /**
     * With the plaintext cache on, a cached read does not enter the close gate (it checks the gate's epoch around
     * its lookup): it still serves only whole values, and one that overlaps a close enters and meets it.
     */
    @Test
    void cachedReadsMeetingACloseFailClearlyAndNeverSeeZeroedOrWrongValues() throws Exception {
        readWhileClosing(true);
    }

    private void readWhileClosing(boolean cachePlaintext) throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        String stored = "file-" + LeakGuard.CANARY + "x".repeat(4096);
        Files.writeString(secrets.resolve("api-key"), stored);
        SmallRyeConfig config = configs.build(Map.of(
                "mpsecrets.kms.local.keyring",
                keyringFile.toString(),
                "mpsecrets.cache.plaintext",
                Boolean.toString(cachePlaintext),
                "mpsecrets.cache.ttl",
                "PT0.001S",
                "mpsecrets.file.dir",
                secrets.toString(),
                "db.password",
                Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password"),
                "api.key",
                "${file::api-key}"));
        SecretsRuntime runtime = configs.runtime(0);
        Set<String> whole = Set.of("pw-" + LeakGuard.CANARY, stored);

        ConcurrentReaders.Report report = ConcurrentReaders.during(
                8,
                () -> {
                    try {
                        return config.getValue(
                                ThreadLocalRandom.current().nextBoolean() ? "db.password" : "api.key", String.class);
                    } catch (SecretException e) {
                        return e.reason().name().equals("CLOSED") ? "closed" : "failed " + e.reason();
                    }
                },
                () -> value -> whole.contains(value) || value.equals("closed")
                        ? null
                        : value.startsWith("failed") ? value : "torn",
                () -> {
                    for (int round = 0; round < 20; round++) {
                        Thread.sleep(40);
                        runtime.close();
                    }
                });
        assertThat(report.problems()).isEmpty();
        assertThat(audit.lines()).noneMatch(line -> line.contains("reason=WRONG_KEY"));
        assertThat(config.getValue("db.password", String.class)).isEqualTo("pw-" + LeakGuard.CANARY);
    }
}
