package io.mpsecrets.runtime;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretAccessed;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretFailover;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.audit.AuditLog;
import io.mpsecrets.audit.AuditLogLine;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
    private volatile Supplier<Optional<String>> moduleLookup;
    private final List<Consumer<SecretEvent>> observers = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();

    /** How often an unanswered module lookup is tried again before the events go on without a module. */
    private static final int MODULE_LOOKUPS = 16;

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

    /**
     * Where to ask for the module while none is known: a server may answer {@code java:module/ModuleName} only on
     * its application's threads (Payara), not while the container deploys. Tried on events until it answers, a few
     * times at most.
     */
    public void moduleLookup(Supplier<Optional<String>> lookup) {
        this.moduleLookup = lookup;
    }

    public WorkerContext workerContext() {
        String current = module;
        Supplier<Optional<String>> lookup = moduleLookup;
        if (current == null && lookup != null && lookups.getAndIncrement() < MODULE_LOOKUPS) {
            current = lookup.get().orElse(null);
            if (current != null) {
                module = current;
            }
        }
        return WorkerContext.ofCurrentThread(application, current);
    }

    /**
     * Adds an observer that sees every event before the audit sinks do (health, metrics). It must be quick and must
     * not throw; it records nothing for audit.
     */
    public void observe(Consumer<SecretEvent> observer) {
        observers.add(observer);
    }

    private void notifyObservers(SecretEvent event) {
        for (Consumer<SecretEvent> observer : observers) {
            try {
                observer.accept(event);
            } catch (RuntimeException e) {
                // An observer is an aid to operations; it never fails a read.
            }
        }
    }

    public void emit(SecretEvent event) {
        notifyObservers(event);
        log.emit(event);
    }

    /**
     * Emits the event of an access that is about to serve a value; refused when audit is required and nothing recorded
     * it.
     */
    public void emitForAccess(SecretEvent event) {
        notifyObservers(event);
        log.emitForAccess(event);
    }

    /**
     * A warning on the audit logger that is no event (validation's "Secret expiry"): escaped, the property one token,
     * through the audit log's one writer.
     */
    public void notice(String subject, String property, String text) {
        AuditLog.warning(AuditLogLine.notice(subject, property, text));
    }

    /** A read (cache hits included): an event only with {@code mpsecrets.audit.every-access} or required audit. */
    public void accessed(SecretRef ref) {
        if (everyAccess) {
            emitForAccess(new SecretAccessed(Instant.now(), ref, workerContext()));
        }
    }

    /** A backend's first choice failed and another answered (a KMS region): {@link SecretFailover}. */
    public void failedOver(SecretRef ref, String from, String to, FailureReason reason) {
        emit(new SecretFailover(Instant.now(), ref, from, to, reason, workerContext()));
    }

    /**
     * A backend's own credentials refused before their time (a Vault token revoked, a wrapping token used by someone
     * else): a {@link SecretAccessDenied} for the request under way, and the backend's words as a warning on the audit
     * logger, whether or not the backend got in again.
     */
    public void credentialsRefused(SecretRef ref, String detail) {
        emit(new SecretAccessDenied(Instant.now(), ref, workerContext()));
        notice("Credentials refused", ref.property() != null ? ref.property() : String.valueOf(ref.backend()), detail);
    }

    /** What backends report of their own accord: failovers and refused credentials, audited here. */
    public BackendEvents backendEvents() {
        return new BackendEvents() {
            @Override
            public void failedOver(SecretRef ref, String from, String to, FailureReason reason) {
                Auditor.this.failedOver(ref, from, to, reason);
            }

            @Override
            public void credentialsRefused(SecretRef ref, String detail) {
                Auditor.this.credentialsRefused(ref, detail);
            }
        };
    }

    /** A failure: a denial as {@link SecretAccessDenied}, anything else as {@link SecretFailure}. */
    public void failed(SecretException failure, boolean servedStale) {
        if (failure.reason() == FailureReason.ACCESS_DENIED) {
            emit(new SecretAccessDenied(Instant.now(), failure.ref(), workerContext()));
        } else {
            emit(new SecretFailure(Instant.now(), failure.ref(), failure.reason(), servedStale, workerContext()));
        }
    }
}
