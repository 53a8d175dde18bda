package io.mpsecrets.audit;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.event.Outcome;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.exception.AuditFailureException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers every {@link SecretEvent} to the sinks: the {@code io.mpsecrets.audit} logger always, and whatever else
 * attaches (the CDI bridge). A sink that throws is logged and skipped. Events emitted before a late sink attaches
 * (values injected while the application deploys) are kept, up to {@value #BACKLOG} of them, and handed to it when
 * it does.
 *
 * <p>With {@code required}, an access whose event no sink records is refused (fail closed, as Vault does).
 *
 * <p>This class is the one writer of the {@code io.mpsecrets.audit} logger: events as {@link AuditLogLine}s, and
 * warnings ({@link #warning}) escaped here, so that no name anywhere can put a line break or an invisible character
 * on it and forge a line.
 */
public final class AuditLog {

    public static final String LOGGER_NAME = "io.mpsecrets.audit";
    static final int BACKLOG = 256;
    private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);

    private final List<AuditSink> sinks = new CopyOnWriteArrayList<>();
    private final boolean required;
    private final ArrayDeque<SecretEvent> backlog = new ArrayDeque<>();
    private boolean lateSinkAttached;
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /** Audit failures: a sink that threw, and reads refused because required audit recorded nothing (metrics). */
    public long failures() {
        return failures.sum();
    }

    public AuditLog(boolean required) {
        this.required = required;
        sinks.add(new LoggingAuditSink());
    }

    public boolean required() {
        return required;
    }

    /** Attaches a sink and hands it the events emitted before any late sink attached. */
    public void attach(AuditSink sink) {
        List<SecretEvent> earlier;
        synchronized (backlog) {
            earlier = lateSinkAttached ? List.of() : new ArrayList<>(backlog);
            backlog.clear();
            lateSinkAttached = true;
            sinks.add(sink);
        }
        earlier.forEach(event -> deliver(sink, event));
    }

    public void detach(AuditSink sink) {
        sinks.remove(sink);
    }

    /** Delivers {@code event}; returns how many sinks recorded it. */
    public int emit(SecretEvent event) {
        synchronized (backlog) {
            if (!lateSinkAttached) {
                if (backlog.size() == BACKLOG) {
                    backlog.removeFirst();
                }
                backlog.addLast(event);
            }
        }
        int recorded = 0;
        for (AuditSink sink : sinks) {
            if (deliver(sink, event)) {
                recorded++;
            }
        }
        return recorded;
    }

    /**
     * Delivers the event of an access that is about to serve a value; when audit is required and no sink recorded
     * it, the access is refused.
     */
    public void emitForAccess(SecretEvent event) {
        if (emit(event) == 0 && required) {
            failures.increment();
            throw new AuditFailureException(
                    event.ref(),
                    "no audit sink recorded the " + event.type() + " event (mpsecrets.audit.required=true)");
        }
    }

    private boolean deliver(AuditSink sink, SecretEvent event) {
        try {
            return sink.record(event);
        } catch (RuntimeException e) {
            failures.increment();
            warning("mp-secrets: audit sink " + sink.getClass().getName() + " failed on a " + event.type() + " event: "
                    + e.getClass().getName());
            return false;
        }
    }

    /**
     * Writes a warning that is not an event (a secret due for rotation: {@link AuditLogLine#notice}) to the audit
     * logger, escaped ({@link LogSafe#escape}) so that it is one line whatever names it holds.
     */
    public static void warning(String line) {
        LOGGER.warning(LogSafe.escape(line));
    }

    /** The sink that writes one line per event to the {@code io.mpsecrets.audit} logger. */
    static final class LoggingAuditSink implements AuditSink {
        @Override
        public boolean record(SecretEvent event) {
            Level level = event.outcome() == Outcome.OK ? Level.INFO : Level.WARNING;
            if (!LOGGER.isLoggable(level)) {
                // Switched off by the operator: not recorded, which matters when audit is required.
                return false;
            }
            // The source is given, not inferred: a record left to find its caller walks the stack each time it is
            // formatted, which made each audit line cost twice what writing it does.
            LOGGER.logp(level, LOGGER_NAME, event.type(), AuditLogLine.format(event));
            return true;
        }
    }
}
