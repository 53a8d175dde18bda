package io.mpsecrets.api.event;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A secret is due for rotation, or will be within the warning window (validation of rotation age). */
public record SecretExpiring(
        Instant time, SecretRef ref, Instant created, Instant rotateBy, String secretClass, WorkerContext context)
        implements SecretEvent {

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
