package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A secret is due for rotation, or will be within the warning window (validation of rotation age, at start-up).
 *
 * @param time when validation found it
 * @param ref the property
 * @param created when the version in use was created: the store's version, or the keyring key version that protects
 *        an {@code ENC(...)} value
 * @param rotateBy when it is due: {@code created} and its class's rotation period
 * @param secretClass the name of its class, e.g. {@code critical} ({@code mpsecrets.secret-class.*})
 * @param context the worker that validated it
 */
public record SecretExpiring(
        Instant time, SecretRef ref, Instant created, Instant rotateBy, String secretClass, WorkerContext context)
        implements SecretEvent {

    /**
     * Checks that the common components are set; the others may be null, and {@link #details()} leaves out those
     * that are.
     *
     * @param time when validation found it
     * @param ref the property
     * @param created when the version in use was created, or null
     * @param rotateBy when it is due, or null
     * @param secretClass the name of its class, or null
     * @param context the worker
     * @throws NullPointerException when {@code time}, {@code ref} or {@code context} is null
     */
    public SecretExpiring {
        SecretEvent.requireCommon(time, ref, context);
    }

    @Override
    public Outcome outcome() {
        return Outcome.WARNING;
    }

    @Override
    public String type() {
        return "expiring";
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> out = new LinkedHashMap<>();
        if (secretClass != null) {
            out.put("class", secretClass);
        }
        if (created != null) {
            out.put("created", created.toString());
        }
        if (rotateBy != null) {
            out.put("rotate-by", rotateBy.toString());
        }
        return out;
    }
}
