package io.mpsecrets.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation through the mock Secrets Manager: the watcher's cheap version checks (DescribeSecret), swaps and events. */
@WithMockServer
class SecretsManagerRotationTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final MpConfigs configs = new MpConfigs();
    private final String name = "rot" + System.nanoTime();

    SecretsManagerRotationTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void counters() {
        server.secretsManager().counter().reset();
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.aws.region", "us-east-1");
        all.put("mpsecrets.aws.endpoint", server.endpoint().toString());
        all.put("mpsecrets.aws.profile", TestProfiles.WORKER1);
        all.put("mpsecrets.app", "orders");
        return configs.build(all);
    }

    @Test
    void aSecretsManagerRotationIsServedWithinTheIntervalAndThePreviousStageStaysReadable() throws Exception {
        String v1 = server.secretsManager().createSecret(name, "{\"password\":\"v1-" + LeakGuard.CANARY + "\"}");
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets.db",
                name,
                "mpsecrets.aws.ttl",
                "PT1H",
                "mpsecrets.rotation.interval",
                "PT0.5S",
                "db.previous",
                "${aws::" + name + "?stage=AWSPREVIOUS#password}"));
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db.password", String.class));

        String v2 = server.secretsManager().putSecretValue(name, "{\"password\":\"v2-" + LeakGuard.CANARY + "\"}");
        Duration seen = MpConfigs.until(
                () -> config.getValue("db.password", String.class), "v2-" + LeakGuard.CANARY, Duration.ofMillis(1500));
        assertThat(seen).isLessThan(Duration.ofMillis(1500)); // interval + 1 s
        // Clients mid-request that ask for the previous version still get it.
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db.previous", String.class));
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(2)))
                .singleElement()
                .asString()
                .contains(
                        "property=db.password",
                        "backend=aws",
                        "secret=" + name,
                        "version=" + v2,
                        "previous=" + v1,
                        "app=orders",
                        "thread=mpsecrets-rotation-orders");
        assertThat(server.secretsManager().calls("DescribeSecret")).isGreaterThanOrEqualTo(1);
        // Start-up reads one listed secret with GetSecretValue (its quota is 100 times BatchGetSecretValue's), the
        // rotation reads v2, db.previous reads AWSPREVIOUS: values are fetched only on a change.
        assertThat(server.secretsManager().calls("GetSecretValue"))
                .as("values fetched only on a change")
                .isLessThanOrEqualTo(3);
        assertEquals(0, server.secretsManager().calls("BatchGetSecretValue"));
    }

    @Test
    void eightReadersThroughAHundredSecretsManagerRotationsNeverFailAndSeeWholeValues() throws Exception {
        server.secretsManager().createSecret(name, "{\"password\":\"v0-" + LeakGuard.CANARY + "\",\"user\":\"u0\"}");
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets",
                name,
                "mpsecrets.aws.ttl",
                "PT1H",
                "mpsecrets.rotation.interval",
                "PT1H"));
        SecretsRuntime runtime = configs.runtime(0);
        ConcurrentReaders.Report report =
                ConcurrentReaders.during(8, () -> config.getValue("password", String.class), () -> {
                    for (int rotation = 1; rotation <= 100; rotation++) {
                        server.secretsManager()
                                .putSecretValue(
                                        name,
                                        "{\"password\":\"v" + rotation + "-" + LeakGuard.CANARY + "\",\"user\":\"u"
                                                + rotation + "\"}");
                        runtime.stores().checkRotation();
                    }
                });
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(800);
        assertEquals("v100-" + LeakGuard.CANARY, config.getValue("password", String.class));
        assertThat(audit.events("rotated")).hasSize(100);
    }
}
