package io.mpsecrets.quarkus.it;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Singleton;

/**
 * The metrics quarkus-opentelemetry exports in the tests, kept in memory: the exporter is a bean the tests inject,
 * and the exporter named {@code in-memory} in application.properties hands it to the SDK.
 */
@Singleton
public class InMemoryMetrics {

    @Produces
    @Singleton
    InMemoryMetricExporter exporter() {
        return InMemoryMetricExporter.create();
    }

    /** Found by the SDK's autoconfiguration through {@code META-INF/services}. */
    public static final class Provider implements ConfigurableMetricExporterProvider {

        @Override
        public MetricExporter createExporter(ConfigProperties config) {
            return CDI.current().select(InMemoryMetricExporter.class).get();
        }

        @Override
        public String getName() {
            return "in-memory";
        }
    }
}
