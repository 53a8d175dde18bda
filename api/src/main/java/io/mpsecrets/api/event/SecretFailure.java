package io.mpsecrets.api.event;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.Map;

/** Fetching or decrypting failed. With {@code servedStale} the last good value was served instead (stale-if-error). */
public record SecretFailure(
        Instant time, SecretRef ref, FailureReason reason, boolean servedStale, WorkerContext context)
        implements SecretEvent {

    public SecretFailure {
        SecretEvent.requireCommon(time, ref, context);
        java.util.Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Outcome outcome() {
        return servedStale ? Outcome.STALE : Outcome.FAILED;
    }

    @Override
    public String type() {
        return "failure";
    }

    @Override
    public Map<String, String> details() {
        return Map.of("reason", reason.name());
    }
}
