package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.Map;

/**
 * The store rotated a secret and the new version is now served; {@code ref.version} is the new version. One event per
 * property that read the secret, or one naming no property when none has.
 *
 * @param time when the new version was taken into service
 * @param ref the property, the store, the secret id and the new version
 * @param previousVersion the version served before, or null when it had none
 * @param context the worker, whose thread is the one that found the change
 */
public record SecretRotated(Instant time, SecretRef ref, String previousVersion, WorkerContext context)
        implements SecretEvent {

    /**
     * Checks that the common components are set; {@code previousVersion} may be null.
     *
     * @param time when the new version was taken into service
     * @param ref the property, the store, the secret id and the new version
     * @param previousVersion the version served before, or null
     * @param context the worker
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
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
