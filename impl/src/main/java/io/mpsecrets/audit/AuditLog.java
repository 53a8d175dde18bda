package io.mpsecrets.audit;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.event.Outcome;
import io.mpsecrets.api.event.SecretEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers every {@link SecretEvent} to the sinks: the {@code io.mpsecrets.audit} logger always, and whatever
 * else registers (the CDI bridge). A sink that throws is logged and skipped; it never breaks the access.
 */
public final class AuditLog {

    public static final String LOGGER_NAME = "io.mpsecrets.audit";

    private final List<AuditSink> sinks = new CopyOnWriteArrayList<>();

    public AuditLog() {
        sinks.add(new LoggingAuditSink());
    }

    public void addSink(AuditSink sink) {
        sinks.add(sink);
    }

    public void removeSink(AuditSink sink) {
        sinks.remove(sink);
    }

    /** Delivers {@code event}; returns how many sinks recorded it. */
    public int emit(SecretEvent event) {
        int recorded = 0;
        for (AuditSink sink : sinks) {
            try {
                if (sink.record(event)) {
                    recorded++;
                }
            } catch (RuntimeException e) {
                Logger.getLogger(LOGGER_NAME).log(Level.WARNING, "mp-secrets: audit sink " + sink.getClass().getName()
                        + " failed on a " + event.type() + " event: " + e.getClass().getName());
            }
        }
        return recorded;
    }

    /** The sink that writes one line per event to the {@code io.mpsecrets.audit} logger. */
    static final class LoggingAuditSink implements AuditSink {
        private final Logger logger = Logger.getLogger(LOGGER_NAME);

        @Override
        public boolean record(SecretEvent event) {
            Level level = event.outcome() == Outcome.OK ? Level.INFO : Level.WARNING;
            if (!logger.isLoggable(level)) {
                // Switched off by the operator: not recorded, which matters when audit is required.
                return false;
            }
            logger.log(level, AuditLogLine.format(event));
            return true;
        }
    }
}
