package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * A cached secret was read. Only emitted with {@code mpsecrets.audit.every-access=true}; otherwise hits are counted.
 */
public record SecretAccessed(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

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
