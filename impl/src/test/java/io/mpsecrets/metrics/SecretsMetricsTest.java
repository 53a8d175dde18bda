package io.mpsecrets.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cdi.ApplicationSecrets;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics, read back through the OpenTelemetry SDK: decryptions and plaintext-cache hits, KMS and store calls by
 * outcome; attributes name backends, operations and outcomes, never a value, property or secret id.
 */
class SecretsMetricsTest {

    @TempDir
    Path dir;

    private static long sum(Collection<MetricData> metrics, String name, Attributes attributes) {
        return metrics.stream()
                .filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> attributes == null || p.getAttributes().equals(attributes))
                .mapToLong(LongPointData::getValue)
                .sum();
    }

    @Test
    void readsCallsAndOutcomesAreCountedWithNamesOfBackendsOnly() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("metrics");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("api-key"), "api-" + LeakGuard.CANARY);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                                "mpsecrets.file.dir", secrets.toString(),
                                "db.password", Fixtures.encrypt(keyring, Fixtures.SECRET, "db.password"),
                                "api.key", "${file::api-key}",
                                "gone.key", "${file::gone}"),
                        "app",
                        100))
                .build();
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                        .setMeterProvider(SdkMeterProvider.builder()
                                .registerMetricReader(reader)
                                .build())
                        .build();
                AutoCloseable metrics = MetricsInstaller.install(
                                runtime, name -> Optional.empty(), () -> Optional.of(telemetry))
                        .orElseThrow()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
            }
            assertEquals("api-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
            assertThrows(SecretException.class, () -> config.getValue("gone.key", String.class));

            Collection<MetricData> collected = reader.collectAllMetrics();
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.decryptions",
                            Attributes.of(SecretsMetrics.KMS, "local", SecretsMetrics.OUTCOME, "ok")));
            assertEquals(2, sum(collected, "mpsecrets.plaintext_cache.hits", null));
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.kms.calls",
                            Attributes.of(
                                    SecretsMetrics.KMS, "local",
                                    SecretsMetrics.OPERATION, "decrypt",
                                    SecretsMetrics.OUTCOME, "ok")),
                    "one data key unwrapped, then served from memory");
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.store.calls",
                            Attributes.of(
                                    SecretsMetrics.STORE, "file",
                                    SecretsMetrics.OPERATION, "fetch",
                                    SecretsMetrics.OUTCOME, "ok")));
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.store.calls",
                            Attributes.builder()
                                    .put(SecretsMetrics.STORE, "file")
                                    .put(SecretsMetrics.OPERATION, "fetch")
                                    .put(SecretsMetrics.OUTCOME, "failed")
                                    .put(SecretsMetrics.ERROR, "not_found")
                                    .build()));
            String everything = collected.toString();
            LeakGuard.check(everything, "the metrics");
            assertThat(everything).doesNotContain("db.password", "api-key", "gone", "api.key");
        }
    }

    @Test
    void whatStartUpDidBeforeTheTelemetryWasKnownIsReported() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("metrics");
        Path keyringFile = dir.resolve("early-keyring.json");
        keyring.writeTo(keyringFile, false);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring",
                                keyringFile.toString(),
                                "db.password",
                                Fixtures.encrypt(keyring, Fixtures.SECRET, "db.password")),
                        "app",
                        100))
                .build();
        // A container validating its injection points reads values before its telemetry bean exists.
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                        .setMeterProvider(SdkMeterProvider.builder()
                                .registerMetricReader(reader)
                                .build())
                        .build();
                AutoCloseable metrics = MetricsInstaller.install(
                                runtime, name -> Optional.empty(), () -> Optional.of(telemetry))
                        .orElseThrow()) {
            Collection<MetricData> collected = reader.collectAllMetrics();
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.decryptions",
                            Attributes.of(SecretsMetrics.KMS, "local", SecretsMetrics.OUTCOME, "ok")));
            assertEquals(
                    1,
                    sum(
                            collected,
                            "mpsecrets.kms.calls",
                            Attributes.of(
                                    SecretsMetrics.KMS, "local",
                                    SecretsMetrics.OPERATION, "decrypt",
                                    SecretsMetrics.OUTCOME, "ok")));
        }
    }

    private long decryptionsRecorded(String enabled) throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("metrics");
        Path keyringFile = Files.createTempDirectory(dir, "k").resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                                "mpsecrets.metrics.enabled", enabled,
                                "a", Fixtures.encrypt(keyring, Fixtures.SECRET, "a"),
                                "b", Fixtures.encrypt(keyring, Fixtures.SECRET, "b")),
                        "app",
                        100))
                .build();
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                .setMeterProvider(
                        SdkMeterProvider.builder().registerMetricReader(reader).build())
                .build()) {
            ApplicationSecrets secrets = new ApplicationSecrets(config);
            assertThat(secrets.start(event -> true, Optional::empty, () -> Optional.of(telemetry)))
                    .isEmpty();
            config.getValue("a", String.class);
            long whileRunning = sum(reader.collectAllMetrics(), "mpsecrets.decryptions", null);
            secrets.stop();
            // Once its application stopped, a config read again (Weld SE restarted on it) reports nothing more.
            assertEquals(Fixtures.SECRET, config.getValue("b", String.class));
            assertEquals(0, sum(reader.collectAllMetrics(), "mpsecrets.decryptions", null));
            return whileRunning;
        }
    }

    @Test
    void theApplicationsStartInstallsThemUnlessTurnedOffAndItsStopEndsThem() throws Exception {
        assertEquals(1, decryptionsRecorded("true"), "the read while the application ran");
        assertEquals(0, decryptionsRecorded("false"));
    }
}
