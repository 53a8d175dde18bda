package io.mpsecrets.metrics;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.backend.BackendCalls;
import io.mpsecrets.runtime.SecretsRuntime;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import java.util.List;
import java.util.Locale;

/**
 * mp-secrets' metrics through OpenTelemetry's API (meter {@code io.mpsecrets}): decryptions, plaintext-cache hits,
 * KMS and store calls by outcome, stale values served, rotations and audit failures. Attributes name the backend
 * ({@code mpsecrets.kms.name}, {@code mpsecrets.store.name}), the operation, the outcome ({@code ok},
 * {@code throttled}, {@code denied}, {@code failed}) and {@code error.type} (the failure reason); never a value, a
 * property or a secret id. Counts of KMS and store calls are the calls made by mp-secrets in this class loader.
 */
public final class SecretsMetrics implements AutoCloseable {

    static final AttributeKey<String> KMS = AttributeKey.stringKey("mpsecrets.kms.name");
    static final AttributeKey<String> STORE = AttributeKey.stringKey("mpsecrets.store.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("mpsecrets.operation");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mpsecrets.outcome");
    static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");

    private final SecretsRuntime runtime;
    private final LongCounter decryptions;
    private final LongCounter kmsCalls;
    private final LongCounter storeCalls;
    private final LongCounter staleServed;
    private final LongCounter rotations;
    private final List<ObservableLongCounter> observed;
    private final AutoCloseable calls;
    private volatile boolean open = true;

    private SecretsMetrics(SecretsRuntime runtime, Meter meter) {
        this.runtime = runtime;
        decryptions = meter.counterBuilder("mpsecrets.decryptions")
                .setUnit("{decryption}")
                .setDescription("ENC values decrypted (each needs its data key, cached or from the KMS)")
                .build();
        kmsCalls = meter.counterBuilder("mpsecrets.kms.calls")
                .setUnit("{call}")
                .setDescription("Calls to a key management service")
                .build();
        storeCalls = meter.counterBuilder("mpsecrets.store.calls")
                .setUnit("{call}")
                .setDescription("Calls to a secret store")
                .build();
        staleServed = meter.counterBuilder("mpsecrets.store.stale_served")
                .setUnit("{outage}")
                .setDescription("Outages during which a store's last good values were served")
                .build();
        rotations = meter.counterBuilder("mpsecrets.rotations")
                .setUnit("{rotation}")
                .setDescription("New versions of store secrets taken into use")
                .build();
        observed = List.of(
                meter.counterBuilder("mpsecrets.plaintext_cache.hits")
                        .setUnit("{read}")
                        .setDescription("Reads of ENC values served from memory, without decryption")
                        .buildWithCallback(
                                m -> m.record(open ? runtime.encrypted().plaintextCacheHits() : 0)),
                meter.counterBuilder("mpsecrets.audit.failures")
                        .setUnit("{failure}")
                        .setDescription("Audit sinks that failed, and reads refused because required audit failed")
                        .buildWithCallback(m -> m.record(open ? runtime.audit().failures() : 0)));
        runtime.auditor().observe(this::event);
        calls = BackendCalls.listen(this::called);
    }

    /** Records the runtime's metrics through {@code telemetry} until {@link #close()}. */
    public static SecretsMetrics install(SecretsRuntime runtime, OpenTelemetry telemetry) {
        return new SecretsMetrics(runtime, telemetry.getMeter("io.mpsecrets"));
    }

    private void event(SecretEvent event) {
        if (!open) {
            return;
        }
        if (event instanceof SecretDecrypted decrypted) {
            decryptions.add(1, kms(decrypted.ref().keyId()).put(OUTCOME, "ok").build());
        } else if (event instanceof SecretFailure failure) {
            if (failure.ref().provider() == null && failure.ref().keyId() != null) {
                decryptions.add(
                        1,
                        kms(failure.ref().keyId())
                                .put(OUTCOME, outcome(failure.reason()))
                                .put(ERROR, error(failure.reason()))
                                .build());
            } else if (failure.servedStale() && failure.ref().provider() != null) {
                staleServed.add(1, Attributes.of(STORE, failure.ref().provider(), ERROR, error(failure.reason())));
            }
        } else if (event instanceof SecretRotated rotated && rotated.ref().provider() != null) {
            rotations.add(1, Attributes.of(STORE, rotated.ref().provider()));
        }
    }

    private AttributesBuilder kms(String keyId) {
        AttributesBuilder attributes = Attributes.builder();
        if (keyId != null) {
            runtime.kmsNameFor(keyId).ifPresent(name -> attributes.put(KMS, name));
        }
        return attributes;
    }

    private void called(BackendCalls.Kind kind, String backend, String operation, FailureReason failure) {
        if (!open) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder()
                .put(kind == BackendCalls.Kind.KMS ? KMS : STORE, backend)
                .put(OPERATION, operation)
                .put(OUTCOME, failure == null ? "ok" : outcome(failure));
        if (failure != null) {
            attributes.put(ERROR, error(failure));
        }
        (kind == BackendCalls.Kind.KMS ? kmsCalls : storeCalls).add(1, attributes.build());
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
        observed.forEach(ObservableLongCounter::close);
        try {
            calls.close();
        } catch (Exception e) {
            // removing a listener does not fail
        }
    }
}
