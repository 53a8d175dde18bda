package io.mpsecrets.examples;

import io.mpsecrets.api.event.SecretEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The application's own view of mp-secrets' audit events, observed as CDI events: the last 200, as names and
 * outcomes (events carry nothing else). An application would forward them to its security log or metrics.
 */
@ApplicationScoped
public class AuditTrail {

    static final int KEEP = 200;

    private final Deque<SecretEvent> events = new ArrayDeque<>();

    void record(@Observes SecretEvent event) {
        synchronized (events) {
            if (events.size() == KEEP) {
                events.removeFirst();
            }
            events.addLast(event);
        }
    }

    public List<SecretEvent> recent() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }
}
