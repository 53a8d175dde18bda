package io.mpsecrets.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.mpsecrets.validate.Finding;
import io.mpsecrets.validate.SecretValidator;
import io.mpsecrets.validate.ValidationSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS Secrets Manager as a config source and through references: mp-secrets' real SDK client against the mock
 * Secrets Manager, calls counted at the mock.
 */
@WithMockServer
class AwsSecretsManagerStoreTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private final String prefix = "t" + System.nanoTime() + "/";

    AwsSecretsManagerStoreTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
        server.secretsManager().faults().reset();
        server.secretsManager().counter().reset();
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("mpsecrets.aws.region", "us-east-1");
        all.putIfAbsent("mpsecrets.aws.endpoint", server.endpoint().toString());
        all.putIfAbsent("mpsecrets.aws.profile", TestProfiles.WORKER1);
        all.putIfAbsent("mpsecrets.app", "orders");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(all, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    private String secret(String name, String value) {
        server.secretsManager().createSecret(prefix + name, value);
        return prefix + name;
    }

    @Test
    void listedJsonSecretsBecomePropertiesAndReferencesReadAnySecret() {
        String db =
                secret("db", "{\"username\":\"orders\",\"password\":\"db-" + LeakGuard.CANARY + "\",\"port\":5432}");
        String payments = secret("payments", "{\"api_key\":\"pay-" + LeakGuard.CANARY + "\"}");
        String token = secret("token", "plain-" + LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets",
                db,
                "mpsecrets.aws.secrets.pay",
                payments,
                "api.key",
                "${aws::" + payments + "#api_key}",
                "auth.header",
                "Bearer ${aws::" + token + "}",
                "jdbc.url",
                "jdbc:postgresql://db:${port}/orders?user=${username}"));
        assertEquals("db-" + LeakGuard.CANARY, config.getValue("password", String.class));
        assertEquals(5432, config.getValue("port", Integer.class));
        assertEquals("pay-" + LeakGuard.CANARY, config.getValue("pay.api_key", String.class));
        assertEquals("pay-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        assertEquals("Bearer plain-" + LeakGuard.CANARY, config.getValue("auth.header", String.class));
        assertEquals("jdbc:postgresql://db:5432/orders?user=orders", config.getValue("jdbc.url", String.class));

        ConfigSource source = StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .filter(s -> s.getName().equals("mp-secrets aws"))
                .findFirst()
                .orElseThrow();
        assertEquals(275, source.getOrdinal());
        assertThat(source.getPropertyNames()).containsExactlyInAnyOrder("username", "password", "port", "pay.api_key");
        LeakGuard.assertNoLeak(source.getProperties(), source);
        assertThat(audit.events("fetched"))
                .anySatisfy(line -> assertThat(line).contains("backend=aws", "secret=" + db, "version="));
    }

    @Test
    void startUpWithAHundredListedSecretsCostsFiveCalls() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add(secret("s" + i, "{\"value" + i + "\":\"" + i + "-" + LeakGuard.CANARY + "\"}"));
        }
        server.secretsManager().counter().reset();
        SmallRyeConfig config =
                config(Map.of("mpsecrets.sources", "aws", "mpsecrets.aws.secrets", String.join(",", names)));
        for (int i = 0; i < 100; i++) {
            assertEquals(i + "-" + LeakGuard.CANARY, config.getValue("value" + i, String.class));
        }
        assertThat(config.getPropertyNames()).contains("value0", "value99");
        assertEquals(
                5,
                server.secretsManager().counter().total(),
                "counted at the mock: " + server.secretsManager().counter().all());
        assertEquals(5, server.secretsManager().calls("BatchGetSecretValue"));
    }

    @Test
    void versionsStagesAndBinarySecrets() {
        String db = secret("rotating", "{\"password\":\"one-" + LeakGuard.CANARY + "\"}");
        String first = server.secretsManager()
                .versionIdsToStages(db)
                .keySet()
                .iterator()
                .next();
        server.secretsManager().putSecretValue(db, "{\"password\":\"two-" + LeakGuard.CANARY + "\"}");
        server.secretsManager().createBinarySecret(prefix + "keystore", new byte[] {1, 2, 3, (byte) 0xfe});
        SmallRyeConfig config = config(Map.of(
                "current", "${aws::" + db + "#password}",
                "previous", "${aws::" + db + "?stage=AWSPREVIOUS#password}",
                "pinned", "${aws::" + db + "?version=" + first + "#password}"));
        assertEquals("two-" + LeakGuard.CANARY, config.getValue("current", String.class));
        assertEquals("one-" + LeakGuard.CANARY, config.getValue("previous", String.class));
        assertEquals("one-" + LeakGuard.CANARY, config.getValue("pinned", String.class));

        try (AwsSecretsManagerStore provider = AwsSecretsManagerStore.create(io.mpsecrets.aws.AwsClientSettings.read(
                "",
                name -> java.util.Optional.ofNullable(Map.of(
                                "region",
                                "us-east-1",
                                "endpoint",
                                server.endpoint().toString(),
                                "profile",
                                TestProfiles.WORKER1)
                        .get(name))))) {
            assertArrayEquals(
                    new byte[] {1, 2, 3, (byte) 0xfe},
                    provider.fetch(SecretId.of(prefix + "keystore")).bytes());
            assertEquals(provider.fetch(SecretId.of(db)).version(), provider.currentVersion(SecretId.of(db)));
            assertEquals(
                    java.util.Optional.of(first), provider.currentVersion(SecretId.parse(db + "?stage=AWSPREVIOUS")));
        }
    }

    @Test
    void aHundredThreadsAskingAColdSecretCauseOneFetch() throws Exception {
        String db = secret("cold", "{\"password\":\"cold-" + LeakGuard.CANARY + "\"}");
        server.secretsManager().faults().latency(Duration.ofMillis(200)).only("GetSecretValue");
        SmallRyeConfig config = config(Map.of("cold.password", "${aws::" + db + "#password}"));
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                reads.add(pool.submit((Callable<String>) () -> {
                    go.await();
                    return config.getValue("cold.password", String.class);
                }));
            }
            go.countDown();
            for (Future<String> read : reads) {
                assertEquals("cold-" + LeakGuard.CANARY, read.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.secretsManager().calls("GetSecretValue"));
    }

    @Test
    void anOutageAfterStartUpIsServedStaleUpToMaxStaleThenFailsClearly() throws Exception {
        String db = secret("outage", "{\"password\":\"kept-" + LeakGuard.CANARY + "\"}");
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets",
                db,
                "mpsecrets.aws.ttl",
                "PT0.1S",
                "mpsecrets.aws.max-stale",
                "PT3S",
                "mpsecrets.aws.max-attempts",
                "1",
                // The read path's own refreshes: no batched check renewing or auditing beside them.
                "mpsecrets.aws.rotation-check",
                "describe"));
        assertEquals("kept-" + LeakGuard.CANARY, config.getValue("password", String.class));
        server.secretsManager().faults().errorRate(1.0);
        long start = System.nanoTime();
        int reads = 0;
        // TTL 0.1 s, max-stale 3 s: reads through the first 1.5 s of the outage all succeed.
        while (System.nanoTime() - start < Duration.ofMillis(1500).toNanos()) {
            assertEquals("kept-" + LeakGuard.CANARY, config.getValue("password", String.class));
            reads++;
            Thread.sleep(5);
        }
        assertThat(reads).isGreaterThan(50);
        assertThat(server.secretsManager().calls("GetSecretValue"))
                .isGreaterThanOrEqualTo(1)
                .isLessThan(reads / 4);
        assertThat(audit.events("failure"))
                .singleElement()
                .asString()
                .contains("backend=aws", "secret=" + db, "reason=UNAVAILABLE", "outcome=stale", "property=password");

        Thread.sleep(1700); // now past TTL + max-stale
        SecretException e = null;
        for (int i = 0; i < 100 && e == null; i++) {
            try {
                config.getValue("password", String.class);
                Thread.sleep(50);
            } catch (SecretException failure) {
                e = failure;
            }
        }
        assertThat(e).isInstanceOf(ServiceUnavailableException.class);
        assertEquals(FailureReason.UNAVAILABLE, e.reason());
        assertThat(e.getMessage()).contains("property=password", "backend=aws", "secret=" + db, "InternalServiceError");
        LeakGuard.assertNoLeak(e);

        server.secretsManager().faults().reset();
        String back = null;
        // The store is asked again once its jittered backoff (1 s, doubling per failure) is over.
        for (int i = 0; i < 400 && back == null; i++) {
            try {
                back = config.getValue("password", String.class);
            } catch (SecretException stillBackingOff) {
                Thread.sleep(50);
            }
        }
        assertEquals("kept-" + LeakGuard.CANARY, back, "recovered once the store answers again");
    }

    @Test
    void oneListedPlainSecretBecomesThePropertyItsPrefixNames() {
        String token = secret("single", "token-" + LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "aws", "mpsecrets.aws.secrets.api.token", token));
        assertEquals("token-" + LeakGuard.CANARY, config.getValue("api.token", String.class));
        assertEquals(0, server.secretsManager().calls("BatchGetSecretValue"));
        assertEquals(1, server.secretsManager().calls("GetSecretValue"));
    }

    @Test
    void whileBatchCallsAreThrottledStartUpReadsTheSecretsOneByOne() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add(secret("b" + i, "{\"batch" + i + "\":\"" + i + "-" + LeakGuard.CANARY + "\"}"));
        }
        server.secretsManager().counter().reset();
        // A fleet restarting at once: BatchGetSecretValue's 100 a second are spent, GetSecretValue's are not.
        server.secretsManager().faults().only("BatchGetSecretValue").throttleRate(1.0);
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets",
                String.join(",", names),
                "mpsecrets.aws.max-attempts",
                "1"));
        for (int i = 0; i < 30; i++) {
            assertEquals(i + "-" + LeakGuard.CANARY, config.getValue("batch" + i, String.class));
        }
        assertEquals(1, server.secretsManager().calls("BatchGetSecretValue"), "one throttled batch, then single reads");
        assertEquals(30, server.secretsManager().calls("GetSecretValue"));
    }

    @Test
    void aTtlRefreshOfAnUnchangedSecretAsksOnlyForItsVersion() throws Exception {
        String db = secret("ttl", "{\"password\":\"one-" + LeakGuard.CANARY + "\"}");
        // The read path's own TTL refreshes (rotation-check=list has a batched check renew the value instead).
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.aws.ttl",
                "PT0.1S",
                "mpsecrets.aws.rotation-check",
                "describe",
                "db.password",
                "${aws::" + db + "#password}"));
        assertEquals("one-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(1, server.secretsManager().calls("GetSecretValue"));

        for (int i = 0; i < 3; i++) {
            Thread.sleep(150); // past the TTL
            assertEquals("one-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        }
        assertEquals(1, server.secretsManager().calls("GetSecretValue"), "the value was not read again");
        assertEquals(3, server.secretsManager().calls("DescribeSecret"));

        server.secretsManager().putSecretValue(db, "{\"password\":\"two-" + LeakGuard.CANARY + "\"}");
        Thread.sleep(150);
        assertEquals("two-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(2, server.secretsManager().calls("GetSecretValue"), "a new version is read");
    }

    @Test
    void aRequiredStoreThatIsDownFailsStartUpFastAndClearly() {
        String db = secret("slow", "{\"password\":\"x\"}");
        server.secretsManager().faults().latency(Duration.ofSeconds(5));
        long start = System.nanoTime();
        SecretException e = assertThrows(
                SecretException.class,
                () -> config(Map.of(
                        "mpsecrets.sources",
                        "aws",
                        "mpsecrets.aws.secrets",
                        db,
                        "mpsecrets.aws.startup-timeout",
                        "PT1S")));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertEquals(FailureReason.TIMEOUT, e.reason());
        assertThat(e.getMessage()).contains("backend=aws", "mpsecrets.aws.startup-timeout");
    }

    @Test
    void aDeniedWorkerGetsADenialEventAndNoValue() {
        String db = secret("guarded", "{\"password\":\"guarded-" + LeakGuard.CANARY + "\"}");
        server.secretsManager()
                .policy(db, Policy.of(Policy.allow(TestProfiles.WORKER1_KEY, "GetSecretValue", "DescribeSecret")));
        SmallRyeConfig config =
                config(Map.of("guarded", "${aws::" + db + "#password}", "mpsecrets.aws.profile", TestProfiles.WORKER2));
        SecretAccessDeniedException denied =
                assertThrows(SecretAccessDeniedException.class, () -> config.getValue("guarded", String.class));
        assertThat(denied.getMessage())
                .contains("property=guarded", "backend=aws", "secret=" + db, "AccessDeniedException");
        assertThat(audit.events("denied"))
                .singleElement()
                .asString()
                .contains("property=guarded", "secret=" + db, "outcome=denied");

        // At start-up, a denied listed secret stops the application.
        SecretException atStartUp = assertThrows(
                SecretException.class,
                () -> config(Map.of(
                        "mpsecrets.sources",
                        "aws",
                        "mpsecrets.aws.secrets",
                        db,
                        "mpsecrets.aws.profile",
                        TestProfiles.WORKER2)));
        assertEquals(FailureReason.ACCESS_DENIED, atStartUp.reason());
    }

    @Test
    void rotationAgeIsMeasuredFromTheStoreVersionsCreationDate() {
        String db = secret("aged", "{\"password\":\"Aged-Pass-9x-" + LeakGuard.CANARY + "\"}");
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "aws",
                "mpsecrets.aws.secrets.db",
                db,
                "mpsecrets.secret-class.critical",
                "db.password"));
        SecretsRuntime runtime = runtimes.get(0);
        ValidationSettings settings = ValidationSettings.read(
                new Settings(n -> config.getOptionalValue(n, String.class)), config.getPropertyNames());
        assertThat(new SecretValidator(config, runtime, settings, Clock.systemUTC()).validate())
                .isEmpty();

        // Critical secrets rotate every 90 days, with a 30-day warning window.
        List<Finding> soon = new SecretValidator(
                        config, runtime, settings, Clock.offset(Clock.systemUTC(), Duration.ofDays(70)))
                .validate();
        assertThat(soon).singleElement().satisfies(f -> {
            assertEquals("db.password", f.property());
            assertEquals(Finding.Rule.ROTATION_DUE, f.rule());
        });
        List<Finding> late = new SecretValidator(
                        config, runtime, settings, Clock.offset(Clock.systemUTC(), Duration.ofDays(100)))
                .validate();
        assertThat(late).singleElement().satisfies(f -> {
            assertEquals(Finding.Rule.ROTATION_OVERDUE, f.rule());
            assertThat(f.message()).contains("100 days old", "class critical rotates every 90 days");
        });
        assertThat(audit.lines())
                .anySatisfy(line -> assertThat(line).contains("Secret expiry: db.password: rotation overdue"));
        LeakGuard.assertNoLeak(late.toArray());
    }

    @Test
    void shutdownZeroesTheCachedValues() {
        String db = secret("zeroed", "{\"password\":\"z-" + LeakGuard.CANARY + "\"}");
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "aws", "mpsecrets.aws.secrets", db));
        config.getValue("password", String.class);
        SecretsRuntime runtime = runtimes.get(0);
        var cached = runtime.stores()
                .cache()
                .peek(new SecretCache.Key("aws", SecretId.of(db)))
                .orElseThrow();
        runtime.close();
        assertThat(cached.value().isDestroyed()).isTrue();
    }
}
