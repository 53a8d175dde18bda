package io.mpsecrets.runtime;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.backend.BackendCalls;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What a runtime has done since it was created, counted so that metrics installed later (when the container's
 * telemetry is known, after start-up has already read and decrypted values) still report all of it: decryptions by
 * KMS and outcome, stale values served and rotations by store (from the auditor's events), and KMS and store calls by
 * backend, operation and outcome (from {@link BackendCalls}, which holds this only weakly). Keys hold names of
 * backends, operations and failure reasons only, so there are few of them. Thread-safe; counting is a map lookup and
 * an increment.
 */
public final class SecretCounts {

    /** What is counted. */
    public enum Metric {
        DECRYPTIONS,
        KMS_CALLS,
        STORE_CALLS,
        STALE_SERVED,
        ROTATIONS
    }

    /**
     * One count's key.
     *
     * @param backend the KMS or store's name; null for a decryption whose key no KMS here claims
     * @param operation the backend's operation, for calls; else null
     * @param failure why it failed; null when it succeeded
     */
    public record Key(Metric metric, String backend, String operation, FailureReason failure) {

        // Written out: a record's generated equals and hashCode bootstrap method handles on first use, about 40 ms
        // of an application's start (docs/performance.md).
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && metric == k.metric
                    && failure == k.failure
                    && Objects.equals(backend, k.backend)
                    && Objects.equals(operation, k.operation);
        }

        @Override
        public int hashCode() {
            return ((metric.hashCode() * 31 + Objects.hashCode(backend)) * 31 + Objects.hashCode(operation)) * 31
                    + Objects.hashCode(failure);
        }
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Function<String, Optional<String>> kmsOfKey;
    private final BackendCalls.Listener calls = this::called;

    SecretCounts(Auditor auditor, Function<String, Optional<String>> kmsOfKey) {
        this.kmsOfKey = kmsOfKey;
        auditor.observe(this::observe);
        BackendCalls.listen(calls);
    }

    /** Every count so far. */
    public Map<Key, Long> snapshot() {
        Map<Key, Long> snapshot = new HashMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }

    private void count(Metric metric, String backend, String operation, FailureReason failure) {
        counts.computeIfAbsent(new Key(metric, backend, operation, failure), k -> new LongAdder())
                .increment();
    }

    private void observe(SecretEvent event) {
        if (event instanceof SecretDecrypted decrypted) {
            count(Metric.DECRYPTIONS, kms(decrypted.ref().keyId()), null, null);
        } else if (event instanceof SecretFailure failure) {
            if (failure.ref().backend() == null && failure.ref().keyId() != null) {
                count(Metric.DECRYPTIONS, kms(failure.ref().keyId()), null, failure.reason());
            } else if (failure.servedStale() && failure.ref().backend() != null) {
                count(Metric.STALE_SERVED, failure.ref().backend(), null, failure.reason());
            }
        } else if (event instanceof SecretAccessDenied denied
                && denied.ref().backend() == null
                && denied.ref().keyId() != null) {
            count(Metric.DECRYPTIONS, kms(denied.ref().keyId()), null, FailureReason.ACCESS_DENIED);
        } else if (event instanceof SecretRotated rotated && rotated.ref().backend() != null) {
            count(Metric.ROTATIONS, rotated.ref().backend(), null, null);
        }
    }

    private String kms(String keyId) {
        return keyId == null ? null : kmsOfKey.apply(keyId).orElse(null);
    }

    private void called(BackendCalls.Kind kind, String backend, String operation, FailureReason failure) {
        count(kind == BackendCalls.Kind.KMS ? Metric.KMS_CALLS : Metric.STORE_CALLS, backend, operation, failure);
    }
}
