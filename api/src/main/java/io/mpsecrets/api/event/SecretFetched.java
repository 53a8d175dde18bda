package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * A secret was fetched from its store (start-up, TTL refresh or rotation); {@code ref.version} is the version fetched.
 */
public record SecretFetched(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

    public SecretFetched {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.OK;
    }

    @Override
    public String type() {
        return "fetched";
    }
}
