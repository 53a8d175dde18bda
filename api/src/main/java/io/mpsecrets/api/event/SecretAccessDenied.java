package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/** The KMS or store refused the asking worker; no value was served. */
public record SecretAccessDenied(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

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
