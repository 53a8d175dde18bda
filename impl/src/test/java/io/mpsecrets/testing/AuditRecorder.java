package io.mpsecrets.testing;

import io.mpsecrets.audit.AuditLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the lines written to the io.mpsecrets.audit logger while it is open. */
public final class AuditRecorder extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(AuditLog.LOGGER_NAME);
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public AuditRecorder() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines of one event type, e.g. {@code decrypted}. */
    public List<String> events(String type) {
        return lines.stream()
                .filter(line -> line.startsWith("event=" + type + " "))
                .toList();
    }

    /**
     * Lines of one event type once there are {@code count} of them: a rotation's event follows the swap that a
     * reader may already have seen, on the watcher's thread.
     */
    public List<String> awaitEvents(String type, int count, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (events(type).size() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        return events(type);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
