package io.mpsecrets.api;

import io.mpsecrets.api.event.SecretEvent;

/**
 * Receives every {@link SecretEvent}: the audit logger and the CDI bridge are sinks. Events carry names, versions
 * and outcomes only.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * Records one event. Called synchronously, on the thread whose access or check caused the event (events from
     * before a sink attached arrive on the thread that attaches it), and from several threads at once: an
     * implementation is thread-safe and returns quickly, since the access waits for it.
     *
     * @param event what happened, with names, versions and the outcome; no event holds a value
     * @return whether the event was recorded; when audit is required and no sink records an event, the access that
     *         caused it is refused
     * @throws RuntimeException never on purpose: a sink that throws is logged (by type) and counted as not having
     *         recorded the event
     */
    boolean record(SecretEvent event);
}
