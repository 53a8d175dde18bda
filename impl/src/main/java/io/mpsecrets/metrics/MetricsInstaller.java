package io.mpsecrets.metrics;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.runtime.SecretsRuntime;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Installs {@link SecretsMetrics} where OpenTelemetry's API is present, and does nothing where it is not: this class
 * names no OpenTelemetry type, so it loads anywhere. The telemetry is the container's ({@code OpenTelemetry} bean of
 * MicroProfile Telemetry) when it has one, else {@code GlobalOpenTelemetry} (an agent's, or a no-op).
 * {@code mpsecrets.metrics.enabled=false} turns them off.
 */
public final class MetricsInstaller {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.metrics");
    static final String API = "io.opentelemetry.api.OpenTelemetry";

    private MetricsInstaller() {}

    /** Whether OpenTelemetry's API is visible to mp-secrets. */
    public static boolean available() {
        try {
            Class.forName(API, false, MetricsInstaller.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The runtime's metrics, recorded until the handle is closed; empty without the API or when
     * {@code mpsecrets.metrics.enabled=false}.
     *
     * @param settings reads mp-secrets' settings
     * @param telemetry the container's {@code io.opentelemetry.api.OpenTelemetry}, if it has one
     */
    public static Optional<AutoCloseable> install(
            SecretsRuntime runtime,
            java.util.function.Function<String, Optional<String>> settings,
            Supplier<Optional<Object>> telemetry) {
        if (!available() || !new Settings(settings).bool("mpsecrets.metrics.enabled", true)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    OpenTelemetryBridge.install(runtime, telemetry.get().orElse(null)));
        } catch (RuntimeException | LinkageError e) {
            LOG.fine("mp-secrets: no metrics: " + e.getClass().getName());
            return Optional.empty();
        }
    }
}
