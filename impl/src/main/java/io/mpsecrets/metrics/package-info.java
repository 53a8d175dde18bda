/**
 * mp-secrets' metrics through OpenTelemetry's API ({@link SecretsMetrics}: meter {@code io.mpsecrets}, asynchronous
 * counters over the runtime's own counts), installed by {@link MetricsInstaller} only where the API is present, so that
 * mp-secrets loads without it. The metric names and attributes are for operators (docs/metrics.md); the classes are
 * not.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.metrics;
