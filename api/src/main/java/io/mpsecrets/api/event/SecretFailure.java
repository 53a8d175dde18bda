package io.mpsecrets.api.event;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.Map;

/**
 * Fetching or decrypting failed. With {@code servedStale} the last good value was served instead (stale-if-error).
 * A denial is a {@link SecretAccessDenied} instead.
 *
 * @param time when it failed
 * @param ref the property, store, secret or key that failed, as far as known
 * @param reason why it failed
 * @param servedStale whether the last good value was served instead, which makes the outcome {@link Outcome#STALE}
 *        rather than {@link Outcome#FAILED}
 * @param context the worker that asked
 */
public record SecretFailure(
        Instant time, SecretRef ref, FailureReason reason, boolean servedStale, WorkerContext context)
        implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when it failed
     * @param ref what failed
     * @param reason why it failed
     * @param servedStale whether the last good value was served instead
     * @param context the worker
     * @throws NullPointerException when {@code time}, {@code ref}, {@code reason} or {@code context} is null
     */
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
