package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * mp-secrets' metrics on Quarkus with quarkus-opentelemetry: recorded to the application's {@code OpenTelemetry}
 * bean and exported by its SDK (to memory here), with backend names and outcomes as attributes and no value.
 */
@QuarkusTest
@QuarkusTestResource(MockServicesResource.class)
class MetricsTest {

    private static final AttributeKey<String> STORE = AttributeKey.stringKey("mpsecrets.store.name");
    private static final AttributeKey<String> KMS = AttributeKey.stringKey("mpsecrets.kms.name");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mpsecrets.outcome");

    @Inject
    Config config;

    @Inject
    InMemoryMetricExporter exporter;

    @Test
    void decryptionsCacheHitsAndBackendCallsReachTheApplicationsOpenTelemetry() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(MockServicesResource.SIGNING_KEY, config.getValue("orders.signing-key", String.class));
            assertEquals(MockServicesResource.KMS_SIGNING_KEY, config.getValue("orders.kms-signing-key", String.class));
            assertEquals(MockServicesResource.DB_PASSWORD, config.getValue("orders.db-password", String.class));
        }

        // An export collected before the reads ended may still arrive after this reset: wait one more export interval
        // and reset again, so that every export seen below was collected after the reads.
        exporter.reset();
        Thread.sleep(300);
        exporter.reset();
        List<MetricData> exported = awaitExported(
                "mpsecrets.decryptions",
                "mpsecrets.plaintext_cache.hits",
                "mpsecrets.kms.calls",
                "mpsecrets.store.calls");

        assertThat(sum(exported, "mpsecrets.decryptions")).isGreaterThanOrEqualTo(2);
        assertThat(sum(exported, "mpsecrets.plaintext_cache.hits")).isGreaterThanOrEqualTo(4);
        assertThat(points(exported, "mpsecrets.kms.calls")).anySatisfy(p -> {
            assertEquals("aws", p.getAttributes().get(KMS));
            assertEquals("ok", p.getAttributes().get(OUTCOME));
        });
        assertThat(points(exported, "mpsecrets.store.calls")).anySatisfy(p -> {
            assertEquals("aws", p.getAttributes().get(STORE));
            assertEquals("ok", p.getAttributes().get(OUTCOME));
        });
        LeakGuard.check(exported.toString(), "the exported metrics");
        assertThat(exported.toString()).doesNotContain("orders/db");
    }

    /**
     * The newest export that holds every named metric, waiting for the SDK's 100 ms export interval; the exporter was
     * reset after the reads and an export interval later, so every export seen was collected after them.
     */
    private List<MetricData> awaitExported(String... names) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<MetricData> exported = exporter.getFinishedMetricItems();
            List<String> present = exported.stream().map(MetricData::getName).toList();
            if (present.containsAll(List.of(names)) || System.nanoTime() > deadline) {
                assertThat(present).contains(names);
                return latest(exported);
            }
            Thread.sleep(100);
        }
    }

    /** Exports are cumulative: of each metric, the last one exported. */
    private static List<MetricData> latest(List<MetricData> exported) {
        return exported.stream()
                .map(MetricData::getName)
                .distinct()
                .map(name -> exported.stream()
                        .filter(m -> m.getName().equals(name))
                        .reduce((first, second) -> second)
                        .orElseThrow())
                .toList();
    }

    private static List<LongPointData> points(List<MetricData> exported, String name) {
        Optional<MetricData> metric =
                exported.stream().filter(m -> m.getName().equals(name)).findFirst();
        return metric.map(m -> List.copyOf(m.getLongSumData().getPoints())).orElse(List.of());
    }

    private static long sum(List<MetricData> exported, String name) {
        return points(exported, name).stream()
                .mapToLong(LongPointData::getValue)
                .sum();
    }
}
