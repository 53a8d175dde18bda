package io.mpsecrets.metrics;

import io.mpsecrets.runtime.SecretsRuntime;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/** The one class that touches OpenTelemetry's types outside {@link SecretsMetrics}; loaded once the API is known. */
final class OpenTelemetryBridge {

    private OpenTelemetryBridge() {}

    static AutoCloseable install(SecretsRuntime runtime, Object telemetry) {
        OpenTelemetry chosen = telemetry instanceof OpenTelemetry given ? given : GlobalOpenTelemetry.get();
        return SecretsMetrics.install(runtime, chosen);
    }
}
