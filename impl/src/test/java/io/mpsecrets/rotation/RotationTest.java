package io.mpsecrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation through the file store: the watcher, the swap, the events and the threads. */
class RotationTest {

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
    }

    private SmallRyeConfig config(String interval) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.sources",
                "file",
                "mpsecrets.file.dir",
                dir.toString(),
                "mpsecrets.file.ttl",
                "PT1H",
                "mpsecrets.app",
                "orders"));
        if (interval != null) {
            values.put("mpsecrets.rotation.interval", interval);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    /** Writes the file as a store does: a new file renamed over the old, so readers see all of one or the other. */
    private void write(String name, String value) throws IOException {
        Path temp = Files.createTempFile(dir, ".write", ".tmp");
        Files.writeString(temp, value);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean rotationThreadRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("mpsecrets-rotation-") && t.isAlive());
    }

    @Test
    void aRotationIsVisibleWithinTheIntervalPlusOneSecond() throws Exception {
        write("db-password", "v1-" + LeakGuard.CANARY);
        SmallRyeConfig config = config("PT0.5S");
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db-password", String.class));

        write("db-password", "v2-" + LeakGuard.CANARY);
        long start = System.nanoTime();
        while (!config.getValue("db-password", String.class).startsWith("v2-")) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            Thread.sleep(10);
        }
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(2)))
                .singleElement()
                .asString()
                .contains(
                        "property=db-password",
                        "backend=file",
                        "secret=db-password",
                        "previous=h-",
                        "outcome=ok",
                        "app=orders",
                        "thread=mpsecrets-rotation-orders");
    }

    @Test
    void eightReadersThroughAHundredRotationsSeeOnlyWholeValuesAndNeverFail() throws Exception {
        write("db-password", "v0-" + LeakGuard.CANARY);
        SmallRyeConfig config = config("PT1H"); // checks driven below, one per rotation
        SecretsRuntime runtime = runtimes.get(0);
        ConcurrentReaders.Report report =
                ConcurrentReaders.during(8, () -> config.getValue("db-password", String.class), () -> {
                    for (int rotation = 1; rotation <= 100; rotation++) {
                        write("db-password", "v" + rotation + "-" + LeakGuard.CANARY);
                        runtime.stores().checkRotation();
                    }
                });
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(800);
        assertEquals("v100-" + LeakGuard.CANARY, config.getValue("db-password", String.class));
        assertThat(audit.events("rotated")).hasSize(100);
    }

    @Test
    void theWatcherIsOneDaemonThreadOnlyWhenRotationIsOnAndStopsAtClose() throws Exception {
        write("db-password", "x");
        SmallRyeConfig off = config(null);
        off.getValue("db-password", String.class);
        assertThat(rotationThreadRunning()).isFalse();
        assertThat(runtimes.get(0).stores().watching()).isFalse();

        SmallRyeConfig on = config("PT0.2S");
        on.getValue("db-password", String.class);
        Thread.sleep(300);
        Thread watcher = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mpsecrets-rotation-"))
                .findFirst()
                .orElseThrow();
        assertThat(watcher.isDaemon()).isTrue();
        assertEquals("mpsecrets-rotation-orders", watcher.getName());

        runtimes.get(1).close();
        watcher.join(5_000);
        assertThat(watcher.isAlive()).isFalse();
    }

    @Test
    void aRefusedCheckWithdrawsTheValueUntilTheStoreServesItAgain() throws Exception {
        write("db-password", "v1-" + LeakGuard.CANARY);
        SmallRyeConfig config = config("PT1H"); // TTL of an hour: only the check can tell the secret went
        config.getValue("db-password", String.class);
        Files.delete(dir.resolve("db-password"));
        runtimes.get(0).stores().checkRotation();
        runtimes.get(0).stores().checkRotation();
        assertThat(audit.events("failure"))
                .singleElement()
                .asString()
                .contains("secret=db-password", "reason=NOT_FOUND", "outcome=failed")
                .doesNotContain("outcome=stale");

        // The next read asks the store, which refuses: an error, never the value cached an hour ago.
        assertThrows(SecretNotFoundException.class, () -> config.getValue("db-password", String.class));
        assertThat(audit.events("failure")).allSatisfy(line -> assertThat(line).doesNotContain("outcome=stale"));

        // Back: the next check sees it (a read within the store's failure back-off would not ask yet).
        write("db-password", "v2-" + LeakGuard.CANARY);
        runtimes.get(0).stores().checkRotation();
        assertEquals("v2-" + LeakGuard.CANARY, config.getValue("db-password", String.class));
        LeakGuard.assertNoLeak(audit.lines());
    }
}
