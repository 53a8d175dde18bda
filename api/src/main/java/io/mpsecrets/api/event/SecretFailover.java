package io.mpsecrets.api.event;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A backend's first choice (a KMS region) failed with {@code reason} and the next one ({@code to}) answered: the
 * value was served, but the first choice needs attention.
 *
 * @param time when the next choice answered
 * @param ref the key or secret the call was for
 * @param from the choice that failed, e.g. a region
 * @param to the choice that answered
 * @param reason why {@code from} failed
 * @param context the worker whose call failed over
 */
public record SecretFailover(
        Instant time, SecretRef ref, String from, String to, FailureReason reason, WorkerContext context)
        implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when the next choice answered
     * @param ref the key or secret the call was for
     * @param from the choice that failed
     * @param to the choice that answered
     * @param reason why {@code from} failed
     * @param context the worker
     * @throws NullPointerException when any component is null
     */
    public SecretFailover {
        SecretEvent.requireCommon(time, ref, context);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Outcome outcome() {
        return Outcome.WARNING;
    }

    @Override
    public String type() {
        return "failover";
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("to", to);
        out.put("reason", reason.name());
        return out;
    }
}
