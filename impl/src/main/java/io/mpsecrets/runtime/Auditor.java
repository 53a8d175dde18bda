package io.mpsecrets.runtime;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretAccessed;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.audit.AuditLog;
import java.time.Instant;

/**
 * One application's audit: its {@link AuditLog}, the worker context every event names (application, module,
 * thread), and the events every part of the runtime emits the same way. An access that is about to serve a value
 * goes through {@link #emitForAccess} so that required audit can refuse it.
 */
public final class Auditor {

    private final AuditLog log;
    private final String application;
    private final boolean everyAccess;
    private volatile String module;

    Auditor(AuditLog log, String application, boolean everyAccess) {
        this.log = log;
        this.application = application;
        this.everyAccess = everyAccess || log.required();
    }

    public AuditLog log() {
        return log;
    }

    /** Attaches a sink (the CDI bridge), handing it the events emitted before it came. */
    public void attach(AuditSink sink) {
        log.attach(sink);
    }

    public void detach(AuditSink sink) {
        log.detach(sink);
    }

    /** The module (e.g. the web module's name) that events name as the worker; set by the CDI extension. */
    public void module(String module) {
        this.module = module;
    }

    public WorkerContext workerContext() {
        return WorkerContext.ofCurrentThread(application, module);
    }

    public void emit(SecretEvent event) {
        log.emit(event);
    }

    /**
     * Emits the event of an access that is about to serve a value; refused when audit is required and nothing recorded
     * it.
     */
    public void emitForAccess(SecretEvent event) {
        log.emitForAccess(event);
    }

    /** A read (cache hits included): an event only with {@code mpsecrets.audit.every-access} or required audit. */
    public void accessed(SecretRef ref) {
        if (everyAccess) {
            log.emitForAccess(new SecretAccessed(Instant.now(), ref, workerContext()));
        }
    }

    /** A failure: a denial as {@link SecretAccessDenied}, anything else as {@link SecretFailure}. */
    public void failed(SecretException failure, boolean servedStale) {
        if (failure.reason() == FailureReason.ACCESS_DENIED) {
            log.emit(new SecretAccessDenied(Instant.now(), failure.ref(), workerContext()));
        } else {
            log.emit(new SecretFailure(Instant.now(), failure.ref(), failure.reason(), servedStale, workerContext()));
        }
    }
}
