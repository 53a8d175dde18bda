package io.mpsecrets.aws.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parameter Store as a store and as a config source: mp-secrets' SDK client against the mock over HTTP. */
@WithMockServer
class SsmStoreTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final MpConfigs configs = new MpConfigs();
    private final String root = "/orders" + System.nanoTime();

    SsmStoreTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void counters() {
        server.ssm().counter().reset();
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
        server.ssm().faults().reset();
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.app", "orders");
        all.put("mpsecrets.ssm.region", "us-east-1");
        all.put("mpsecrets.ssm.endpoint", server.endpoint().toString());
        all.put("mpsecrets.ssm.profile", TestProfiles.WORKER1);
        all.putIfAbsent("mpsecrets.ssm.max-attempts", "1");
        return configs.build(all);
    }

    @Test
    void aReferenceReadsASecureStringDecrypted() {
        server.ssm().putParameter(root + "/db-password", "pw-" + LeakGuard.CANARY, true);
        SmallRyeConfig config = config(Map.of("db.password", "${ssm::" + root + "/db-password}"));

        assertEquals("pw-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertThat(audit.events("fetched"))
                .singleElement()
                .asString()
                .contains("property=db.password", "backend=ssm", "secret=" + root + "/db-password", "version=1");
    }

    @Test
    void versionAndLabelSelectors() {
        String name = root + "/api-key";
        server.ssm().putParameter(name, "k1-" + LeakGuard.CANARY, true);
        server.ssm().putParameter(name, "k2-" + LeakGuard.CANARY, true);
        server.ssm().label(name, 1, "stable");
        SmallRyeConfig config = config(Map.of(
                "key.first", "${ssm::" + name + "?version=1}",
                "key.stable", "${ssm::" + name + "?label=stable}",
                "key.current", "${ssm::" + name + "}"));

        assertEquals("k1-" + LeakGuard.CANARY, config.getValue("key.first", String.class));
        assertEquals("k1-" + LeakGuard.CANARY, config.getValue("key.stable", String.class));
        assertEquals("k2-" + LeakGuard.CANARY, config.getValue("key.current", String.class));
    }

    @Test
    void everyParameterUnderThePathBecomesAPropertyFetchedTenAtATime() {
        for (int i = 0; i < 12; i++) {
            server.ssm().putParameter(root + "/prod/feature/f" + i, "on-" + i, false);
        }
        server.ssm().putParameter(root + "/prod/db/password", "db-" + LeakGuard.CANARY, true);
        server.ssm().putParameter(root + "/prod/db/replica/password", "replica-" + LeakGuard.CANARY, true);
        server.ssm().putParameter(root + "/staging/db/password", "staging", true);
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "ssm", "mpsecrets.ssm.path", root + "/prod"));

        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals("replica-" + LeakGuard.CANARY, config.getValue("db.replica.password", String.class));
        assertEquals("on-7", config.getValue("feature.f7", String.class));
        assertThat(StreamSupport.stream(config.getPropertyNames().spliterator(), false))
                .contains("db.password", "db.replica.password", "feature.f0", "feature.f11")
                .noneMatch(name -> name.contains("staging"));
        // 14 parameters: two pages to list them, two GetParameters calls (10 + 4) to read them at start-up.
        assertEquals(2, server.ssm().calls("GetParametersByPath"));
        assertEquals(2, server.ssm().calls("GetParameters"));
        assertEquals(0, server.ssm().calls("GetParameter"));
    }

    /** Issue 23, item 6: whoever may write one parameter under the path may not point mp-secrets elsewhere. */
    @Test
    void aParameterUnderThePathNeverBecomesASettingOfMpSecrets() {
        server.ssm().putParameter(root + "/prod/db/password", "db-" + LeakGuard.CANARY, true);
        server.ssm().putParameter(root + "/prod/mpsecrets/vault/address", "https://attacker.example", false);
        SecretException refused = assertThrows(
                SecretException.class,
                () -> config(Map.of(
                        "mpsecrets.sources", "ssm",
                        "mpsecrets.ssm.path", root + "/prod",
                        "mpsecrets.ssm.required", "false")));
        assertEquals(FailureReason.CONFIGURATION, refused.reason());
        assertThat(refused.getMessage())
                .contains("store ssm", "'mpsecrets.vault.address'", root + "/prod/mpsecrets/vault/address")
                .doesNotContain("attacker");
    }

    @Test
    void aNewVersionIsSeenThroughDescribeParametersAndRotates() throws Exception {
        String name = root + "/rotating";
        server.ssm().putParameter(name, "v1-" + LeakGuard.CANARY, true);
        SmallRyeConfig config = config(Map.of(
                "token", "${ssm::" + name + "}", "mpsecrets.rotation.interval", "PT0.3S", "mpsecrets.ssm.ttl", "PT1H"));
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("token", String.class));

        server.ssm().putParameter(name, "v2-" + LeakGuard.CANARY, true);
        MpConfigs.until(() -> config.getValue("token", String.class), "v2-" + LeakGuard.CANARY, Duration.ofSeconds(2));
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(1)))
                .singleElement()
                .asString()
                .contains("property=token", "backend=ssm", "version=2", "previous=1");
        // Checks ask DescribeParameters, which returns no value: polling on reads no parameter.
        long reads = server.ssm().calls("GetParameter");
        long checks = server.ssm().calls("DescribeParameters");
        Thread.sleep(1000);
        assertThat(server.ssm().calls("DescribeParameters")).isGreaterThan(checks);
        assertEquals(reads, server.ssm().calls("GetParameter"));
    }

    @Test
    void deniedAndThrottledReadsAreTypedAndShowNoValue() {
        String name = root + "/locked";
        server.ssm().putParameter(name, "locked-" + LeakGuard.CANARY, true);
        server.ssm().policy(root + "/locked", Policy.of(Policy.allow("AKIDSOMEONEELSE", "*")));
        SmallRyeConfig config = config(Map.of("locked", "${ssm::" + name + "}", "other", "${ssm::" + root + "/x}"));

        SecretException denied = assertThrows(SecretException.class, () -> config.getValue("locked", String.class));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        assertThat(denied.getMessage()).contains("locked", "ssm").doesNotContain(LeakGuard.CANARY);

        server.ssm().putParameter(root + "/x", "x", false);
        server.ssm().faults().throttleRate(1.0);
        SecretException throttled = assertThrows(SecretException.class, () -> config.getValue("other", String.class));
        assertEquals(FailureReason.THROTTLED, throttled.reason());
        assertThat(audit.events("denied")).singleElement().asString().contains("property=locked");
    }

    @Test
    void aMissingParameterIsNotFoundNamingIt() {
        SmallRyeConfig config = config(Map.of("absent", "${ssm::" + root + "/absent}"));
        SecretException missing = assertThrows(SecretException.class, () -> config.getValue("absent", String.class));
        assertEquals(FailureReason.NOT_FOUND, missing.reason());
        assertThat(missing.getMessage()).contains("absent", root + "/absent");
    }

    @Test
    void sixtyParametersVersionsAreTwoDescribeParametersCallsAndOneIsLeftToItself() {
        java.util.List<io.mpsecrets.api.SecretId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = root + "/batch/p" + i;
            server.ssm().putParameter(name, "v-" + LeakGuard.CANARY, true);
            ids.add(io.mpsecrets.api.SecretId.of(name));
        }
        server.ssm().putParameter(root + "/batch/p0", "v2-" + LeakGuard.CANARY, true);
        io.mpsecrets.api.SecretId missing = io.mpsecrets.api.SecretId.of(root + "/batch/absent");
        io.mpsecrets.api.SecretId pinned = io.mpsecrets.api.SecretId.parse(root + "/batch/p1?version=1");
        java.util.List<io.mpsecrets.api.SecretId> asked = new java.util.ArrayList<>(ids);
        asked.add(missing);
        asked.add(pinned);
        server.ssm().counter().reset();
        Map<String, String> settings = Map.of(
                "mpsecrets.ssm.region",
                "us-east-1",
                "mpsecrets.ssm.endpoint",
                server.endpoint().toString(),
                "mpsecrets.ssm.profile",
                TestProfiles.WORKER1);
        try (SsmParameterStore store = SsmParameterStore.create(
                io.mpsecrets.aws.AwsClientSettings.read(
                        "mpsecrets.ssm.", k -> java.util.Optional.ofNullable(settings.get(k))),
                java.util.Optional.empty(),
                SsmParameterStore.Listing.read("mpsecrets.ssm.", k -> java.util.Optional.empty()))) {
            Map<io.mpsecrets.api.SecretId, String> versions = store.currentVersions(asked);
            assertEquals(2, server.ssm().calls("DescribeParameters"), "60 names, 50 a filter");
            assertEquals("2", versions.get(ids.get(0)));
            assertEquals("1", versions.get(ids.get(59)));
            assertEquals("1", versions.get(pinned));
            assertThat(versions).hasSize(61).doesNotContainKey(missing);
        }
    }

    @Test
    void aBatchedRoundKeepsParametersFreshWithoutAskingEachOne() throws Exception {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            server.ssm().putParameter(root + "/round/p" + i, "v1-" + LeakGuard.CANARY, true);
            values.put("p" + i, "${ssm::" + root + "/round/p" + i + "}");
        }
        values.put("mpsecrets.ssm.ttl", "PT1H");
        SmallRyeConfig config = config(values);
        for (int i = 0; i < 10; i++) {
            config.getValue("p" + i, String.class);
        }
        server.ssm().counter().reset();
        configs.runtime(0).stores().checkRotation();
        // One DescribeParameters for the 10, and one for the round's parameter asked by itself.
        assertEquals(2, server.ssm().calls("DescribeParameters"));
        assertEquals(0, server.ssm().calls("GetParameter"));

        server.ssm().putParameter(root + "/round/p4", "v2-" + LeakGuard.CANARY, true);
        configs.runtime(0).stores().checkRotation();
        assertEquals("v2-" + LeakGuard.CANARY, config.getValue("p4", String.class));
    }
}
