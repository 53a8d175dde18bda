package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * A secret was fetched from its store (start-up, TTL refresh or rotation); {@code ref.version} is the version fetched.
 *
 * @param time when it was fetched
 * @param ref the store, the secret id, the version fetched and, when one property asked, that property
 * @param context the worker that fetched it
 */
public record SecretFetched(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when it was fetched
     * @param ref the store, the secret id and the version fetched
     * @param context the worker that fetched it
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
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
