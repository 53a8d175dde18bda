package io.mpsecrets.metrics;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.runtime.SecretCounts;
import io.mpsecrets.runtime.SecretCounts.Metric;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.tls.TlsMaterials;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * mp-secrets' metrics through OpenTelemetry's API (meter {@code io.mpsecrets}): decryptions, plaintext-cache hits,
 * KMS and store calls by outcome, stale values served, rotations and audit failures. Attributes name the backend
 * ({@code mpsecrets.kms.name}, {@code mpsecrets.store.name}), the operation, the outcome ({@code ok},
 * {@code throttled}, {@code denied}, {@code failed}) and {@code error.type} (the failure reason); never a value, a
 * property or a secret id. The counters are asynchronous: they report the runtime's own counts
 * ({@link SecretCounts}), so what start-up did before the container's telemetry was known is reported too. Counts of
 * KMS and store calls are the calls made by mp-secrets in this class loader while the runtime lived.
 */
public final class SecretsMetrics implements AutoCloseable {

    static final AttributeKey<String> KMS = AttributeKey.stringKey("mpsecrets.kms.name");
    static final AttributeKey<String> STORE = AttributeKey.stringKey("mpsecrets.store.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("mpsecrets.operation");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mpsecrets.outcome");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");

    static final AttributeKey<String> TLS = AttributeKey.stringKey("mpsecrets.tls.name");

    private final SecretCounts counts;
    private final List<ObservableLongCounter> counters;
    private final ObservableLongGauge tlsExpiry;
    private volatile boolean open = true;

    private SecretsMetrics(SecretsRuntime runtime, Meter meter) {
        this.counts = runtime.counts();
        counters = List.of(
                counted(
                        meter,
                        "mpsecrets.decryptions",
                        "{decryption}",
                        "ENC values decrypted (each needs its data key, cached or from the KMS)",
                        Metric.DECRYPTIONS),
                counted(meter, "mpsecrets.kms.calls", "{call}", "Calls to a key management service", Metric.KMS_CALLS),
                counted(meter, "mpsecrets.store.calls", "{call}", "Calls to a secret store", Metric.STORE_CALLS),
                counted(
                        meter,
                        "mpsecrets.store.stale_served",
                        "{outage}",
                        "Outages during which a store's last good values were served",
                        Metric.STALE_SERVED),
                counted(
                        meter,
                        "mpsecrets.rotations",
                        "{rotation}",
                        "New versions of store secrets taken into use",
                        Metric.ROTATIONS),
                total(
                        meter,
                        "mpsecrets.plaintext_cache.hits",
                        "{read}",
                        "Reads of ENC values served from memory, without decryption",
                        () -> runtime.encrypted().plaintextCacheHits()),
                total(
                        meter,
                        "mpsecrets.audit.failures",
                        "{failure}",
                        "Audit sinks that failed, and reads refused because required audit failed",
                        () -> runtime.audit().failures()));
        tlsExpiry = meter.gaugeBuilder("mpsecrets.tls.expiry")
                .ofLongs()
                .setUnit("s")
                .setDescription("Seconds until the certificate in service of each TLS material expires")
                .buildWithCallback(measurement -> {
                    if (open) {
                        TlsMaterials.ofRuntime(runtime)
                                .ifPresent(materials -> materials
                                        .loaded()
                                        .forEach(material -> material.state()
                                                .notAfter()
                                                .ifPresent(end -> measurement.record(
                                                        Duration.between(Instant.now(), end)
                                                                .toSeconds(),
                                                        Attributes.of(TLS, material.name())))));
                    }
                });
    }

    /** Reports the runtime's metrics through {@code telemetry} until {@link #close()}. */
    public static SecretsMetrics install(SecretsRuntime runtime, OpenTelemetry telemetry) {
        return new SecretsMetrics(runtime, telemetry.getMeter("io.mpsecrets"));
    }

    private ObservableLongCounter counted(Meter meter, String name, String unit, String description, Metric metric) {
        return meter.counterBuilder(name)
                .setUnit(unit)
                .setDescription(description)
                .buildWithCallback(measurement -> report(metric, measurement));
    }

    private ObservableLongCounter total(Meter meter, String name, String unit, String description, LongSupplier count) {
        return meter.counterBuilder(name)
                .setUnit(unit)
                .setDescription(description)
                .buildWithCallback(measurement -> {
                    if (open) {
                        measurement.record(count.getAsLong());
                    }
                });
    }

    private void report(Metric metric, ObservableLongMeasurement measurement) {
        if (!open) {
            return;
        }
        counts.snapshot().forEach((key, count) -> {
            if (key.metric() == metric) {
                measurement.record(count, attributes(key));
            }
        });
    }

    private static Attributes attributes(SecretCounts.Key key) {
        AttributesBuilder attributes = Attributes.builder();
        switch (key.metric()) {
            case DECRYPTIONS -> {
                if (key.backend() != null) {
                    attributes.put(KMS, key.backend());
                }
                outcome(attributes, key.failure());
            }
            case KMS_CALLS ->
                outcome(attributes.put(KMS, key.backend()).put(OPERATION, key.operation()), key.failure());
            case STORE_CALLS ->
                outcome(attributes.put(STORE, key.backend()).put(OPERATION, key.operation()), key.failure());
            case STALE_SERVED -> attributes.put(STORE, key.backend()).put(ERROR, error(key.failure()));
            case ROTATIONS -> attributes.put(STORE, key.backend());
        }
        return attributes.build();
    }

    private static void outcome(AttributesBuilder attributes, FailureReason failure) {
        attributes.put(OUTCOME, failure == null ? "ok" : outcome(failure));
        if (failure != null) {
            attributes.put(ERROR, error(failure));
        }
    }

    private static String outcome(FailureReason reason) {
        return switch (reason) {
            case THROTTLED -> "throttled";
            case ACCESS_DENIED -> "denied";
            default -> "failed";
        };
    }

    private static String error(FailureReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        open = false;
        counters.forEach(ObservableLongCounter::close);
        tlsExpiry.close();
    }
}
