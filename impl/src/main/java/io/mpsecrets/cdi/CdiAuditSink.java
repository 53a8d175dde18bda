package io.mpsecrets.cdi;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.event.SecretEvent;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Fires each audit event as a CDI event, so applications can {@code @Observes SecretRotated} (or any
 * {@link SecretEvent} type). Observers run on the thread that caused the event: a reader's, or the rotation
 * watcher's for rotations.
 */
final class CdiAuditSink implements AuditSink {

    private final BeanManager beanManager;

    CdiAuditSink(BeanManager beanManager) {
        this.beanManager = beanManager;
    }

    @Override
    public boolean record(SecretEvent event) {
        beanManager.getEvent().select(SecretEvent.class).fire(event);
        return true;
    }
}
