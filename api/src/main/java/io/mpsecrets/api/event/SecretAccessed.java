package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * A cached secret was read. Only emitted with {@code mpsecrets.audit.every-access=true} or
 * {@code mpsecrets.audit.required=true}; otherwise hits are counted.
 *
 * @param time when it was read
 * @param ref the property read and where its value came from (the store and secret, or the key id)
 * @param context the worker that read it
 */
public record SecretAccessed(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when it was read
     * @param ref the property read and where its value came from
     * @param context the worker that read it
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
    public SecretAccessed {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.OK;
    }

    @Override
    public String type() {
        return "accessed";
    }
}
