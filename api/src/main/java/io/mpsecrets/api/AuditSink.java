package io.mpsecrets.api;

import io.mpsecrets.api.event.SecretEvent;

/**
 * Receives every {@link SecretEvent}: the audit logger and the CDI bridge are sinks. Events carry names, versions
 * and outcomes only.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * Records one event.
     *
     * @return whether the event was recorded; when audit is required and no sink records an event, the access that
     *         caused it is refused
     * @throws RuntimeException never on purpose: a sink that throws is logged (by type) and counted as not having
     *         recorded the event
     */
    boolean record(SecretEvent event);
}
