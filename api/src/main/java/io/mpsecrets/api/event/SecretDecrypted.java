package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;

/**
 * An {@code ENC(...)} value was decrypted (a cache miss); {@code ref.keyId} names the key that unwrapped its data key.
 */
public record SecretDecrypted(Instant time, SecretRef ref, WorkerContext context) implements SecretEvent {

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
