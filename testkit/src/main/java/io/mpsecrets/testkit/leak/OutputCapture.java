package io.mpsecrets.testkit.leak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures, for the whole JVM, what goes to System.out, System.err and java.util.logging, so the leak guard can
 * scan it. Installed once; the original streams still receive everything.
 */
final class OutputCapture {

    private static OutputCapture instance;

    private final StringBuilder captured = new StringBuilder();
    private final CapturingHandler handler = new CapturingHandler();
    // Held strongly: java.util.logging keeps loggers weakly, and a collected logger would lose its level.
    private final Logger projectLogger = Logger.getLogger("io.mpsecrets");

    static synchronized OutputCapture get() {
        if (instance == null) {
            instance = new OutputCapture();
            instance.install();
        }
        return instance;
    }

    private void install() {
        System.setOut(new PrintStream(new Tee(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err), true, StandardCharsets.UTF_8));
        Logger.getLogger("").addHandler(handler);
        // Our own debug logging must be leak-free too, so let it through to the capture (the console handler still
        // prints INFO and above only).
        projectLogger.setLevel(Level.ALL);
        attachToDetachedLoggers();
    }

    /** Loggers that do not hand records to their parents would bypass the root handler. */
    synchronized void attachToDetachedLoggers() {
        for (String name : Collections.list(LogManager.getLogManager().getLoggerNames())) {
            Logger logger = LogManager.getLogManager().getLogger(name);
            if (logger != null && !logger.getUseParentHandlers()) {
                boolean attached = false;
                for (Handler h : logger.getHandlers()) {
                    attached |= h == handler;
                }
                if (!attached) {
                    logger.addHandler(handler);
                }
            }
        }
    }

    /** Forgets what was captured so far: called as each test starts. */
    synchronized void clear() {
        captured.setLength(0);
    }

    synchronized String captured() {
        return captured.toString();
    }

    private synchronized void append(String text) {
        captured.append(text);
    }

    private final class Tee extends OutputStream {
        private final PrintStream original;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Tee(PrintStream original) {
            this.original = original;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            line.write(b, off, len);
            flushLine();
        }

        @Override
        public synchronized void flush() throws IOException {
            original.flush();
            flushLine();
        }

        private void flushLine() {
            if (line.size() > 0) {
                append(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }

    private final class CapturingHandler extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();

        CapturingHandler() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder();
            text.append(record.getLoggerName())
                    .append(' ')
                    .append(record.getLevel())
                    .append(' ');
            String formatted = formatter.formatMessage(record);
            if (record.getMessage() != null && !record.getMessage().equals(formatted)) {
                text.append(record.getMessage()).append('\n');
            }
            text.append(formatted).append('\n');
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(String.valueOf(parameter)).append('\n');
                }
            }
            if (record.getThrown() != null) {
                text.append(LeakGuard.printed(record.getThrown()));
            }
            append(text.toString());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
