package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * An {@code ENC(...)} value was decrypted (a cache miss); {@code ref.keyId} names the key that unwrapped its data key.
 *
 * @param time when it was decrypted
 * @param ref the property and the key id
 * @param context the worker that read it
 */
public record SecretDecrypted(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

    /**
     * Checks that every component is set.
     *
     * @param time when it was decrypted
     * @param ref the property and the key id
     * @param context the worker that read it
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
    public SecretDecrypted {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.OK;
    }

    @Override
    public String type() {
        return "decrypted";
    }
}
