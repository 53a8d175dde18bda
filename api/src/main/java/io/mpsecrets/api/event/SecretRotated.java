package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.Map;

/** The store rotated a secret and the new version is now served; {@code ref.version} is the new version. */
public record SecretRotated(Instant time, SecretRef ref, String previousVersion, WorkerContext context)
        implements SecretEvent {

    public SecretRotated {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.OK;
    }

    @Override
    public String type() {
        return "rotated";
    }

    @Override
    public Map<String, String> details() {
        return previousVersion == null ? Map.of() : Map.of("previous", previousVersion);
    }
}
