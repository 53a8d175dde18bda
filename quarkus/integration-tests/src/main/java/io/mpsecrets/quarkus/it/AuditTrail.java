package io.mpsecrets.quarkus.it;

import io.mpsecrets.api.event.SecretEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The application's observer of mp-secrets' audit events. */
@ApplicationScoped
public class AuditTrail {

    private final List<SecretEvent> events = new CopyOnWriteArrayList<>();

    void observe(@Observes SecretEvent event) {
        events.add(event);
    }

    public List<SecretEvent> events() {
        return List.copyOf(events);
    }
}
