package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * The KMS or store refused the asking worker; no value was served.
 *
 * @param time when the refusal came
 * @param ref the secret or key refused
 * @param context the worker refused
 */
public record SecretAccessDenied(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when the refusal came
     * @param ref the secret or key refused
     * @param context the worker refused
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
    public SecretAccessDenied {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.DENIED;
    }

    @Override
    public String type() {
        return "denied";
    }
}
