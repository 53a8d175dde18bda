package io.mpsecrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.config.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation through the mock Secrets Manager and the mock Vault: the watcher's cheap version checks, swaps and events. */
@WithMockServer
class StoreRotationTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private final String name = "rot" + System.nanoTime();

    StoreRotationTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void counters() {
        server.secretsManager().counter().reset();
        server.vault().counter().reset();
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.aws.region", "us-east-1");
        all.put("mpsecrets.aws.endpoint", server.endpoint().toString());
        all.put("mpsecrets.aws.profile", TestProfiles.WORKER1);
        all.put("mpsecrets.vault.address", server.endpoint().toString());
        all.put("mpsecrets.vault.token", "root");
        all.put("mpsecrets.app", "orders");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredInterceptors().addDiscoveredSources()
                .withSources(new PropertiesConfigSource(all, "app", 100)).build();
        runtimes.add(SecretsRuntime.of(config).orElseThrow());
        return config;
    }

    /** Polls until {@code read} gives {@code expected}; returns how long that took. */
    private static Duration until(Supplier<String> read, String expected, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (!expected.equals(read.get())) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).as("still the old value after " + waited).isLessThan(limit);
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aSecretsManagerRotationIsServedWithinTheIntervalAndThePreviousStageStaysReadable() throws Exception {
        String v1 = server.secretsManager().createSecret(name, "{\"password\":\"v1-" + LeakGuard.CANARY + "\"}");
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "aws", "mpsecrets.aws.secrets.db", name,
                "mpsecrets.aws.ttl", "PT1H", "mpsecrets.rotation.interval", "PT0.5S",
                "db.previous", "${aws::" + name + "?stage=AWSPREVIOUS#password}"));
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db.password", String.class));

        String v2 = server.secretsManager().putSecretValue(name, "{\"password\":\"v2-" + LeakGuard.CANARY + "\"}");
        Duration seen = until(() -> config.getValue("db.password", String.class), "v2-" + LeakGuard.CANARY, Duration.ofMillis(1500));
        assertThat(seen).isLessThan(Duration.ofMillis(1500)); // interval + 1 s
        // Clients mid-request that ask for the previous version still get it.
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db.previous", String.class));
        assertThat(audit.events("rotated")).singleElement().asString()
                .contains("property=db.password", "provider=aws", "secret=" + name, "version=" + v2, "previous=" + v1, "app=orders",
                        "thread=mpsecrets-rotation-orders");
        assertThat(server.secretsManager().calls("DescribeSecret")).isGreaterThanOrEqualTo(1);
        assertThat(server.secretsManager().calls("GetSecretValue")).as("values fetched only on a change").isLessThanOrEqualTo(2);
    }

    @Test
    void aVaultKvVersion2RotationIsServedWithinTheInterval() throws Exception {
        server.vault().putV2("secret/" + name, Map.of("api_key", "k1-" + LeakGuard.CANARY));
        SmallRyeConfig config = config(Map.of("api.key", "${vault::secret/" + name + "#api_key}", "mpsecrets.vault.ttl", "PT1H",
                "mpsecrets.rotation.interval", "PT0.5S"));
        assertEquals("k1-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        server.vault().putV2("secret/" + name, Map.of("api_key", "k2-" + LeakGuard.CANARY));
        until(() -> config.getValue("api.key", String.class), "k2-" + LeakGuard.CANARY, Duration.ofMillis(1500));
        assertThat(audit.events("rotated")).singleElement().asString()
                .contains("property=api.key", "provider=vault", "secret=secret/" + name, "version=2", "previous=1");
    }

    @Test
    void eightReadersThroughAHundredSecretsManagerRotationsNeverFailAndSeeWholeValues() throws Exception {
        server.secretsManager().createSecret(name, "{\"password\":\"v0-" + LeakGuard.CANARY + "\",\"user\":\"u0\"}");
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "aws", "mpsecrets.aws.secrets", name, "mpsecrets.aws.ttl", "PT1H",
                "mpsecrets.rotation.interval", "PT1H"));
        SecretsRuntime runtime = runtimes.get(0);
        ConcurrentReaders.Report report = ConcurrentReaders.during(8, () -> config.getValue("password", String.class), () -> {
            for (int rotation = 1; rotation <= 100; rotation++) {
                server.secretsManager().putSecretValue(name, "{\"password\":\"v" + rotation + "-" + LeakGuard.CANARY + "\",\"user\":\"u" + rotation + "\"}");
                runtime.checkRotation();
            }
        });
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(800);
        assertEquals("v100-" + LeakGuard.CANARY, config.getValue("password", String.class));
        assertThat(audit.events("rotated")).hasSize(100);
    }
}
