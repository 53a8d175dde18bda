package io.mpsecrets.mask;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Masks a record before its handler formats it: the message, each parameter (by its string form, replaced only
 * when it held a value) and the thrown exception's messages, through its causes and suppressed exceptions. The
 * handler's own filter, if it had one, decides first; a record it drops is not masked. mp-secrets' own records (its
 * audit lines, its warnings) are left as they are: they hold names, never values, by construction (the leak guard
 * proves it), and masking a value that happens to equal an application's name would garble an audit line.
 */
final class MaskingFilter implements Filter {

    private final Filter delegate;

    MaskingFilter(Filter delegate) {
        this.delegate = delegate;
    }

    Filter delegate() {
        return delegate;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (delegate != null && !delegate.isLoggable(record)) {
            return false;
        }
        if (LogMasking.active() && !own(record)) {
            mask(record);
        }
        return true;
    }

    static boolean own(LogRecord record) {
        String logger = record.getLoggerName();
        return logger != null && (logger.equals("io.mpsecrets") || logger.startsWith("io.mpsecrets."));
    }

    static void mask(LogRecord record) {
        String message = record.getMessage();
        if (message != null) {
            String masked = LogMasking.mask(message);
            if (masked != message) {
                record.setMessage(masked);
            }
        }
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] copy = null;
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter == null || parameter instanceof Number || parameter instanceof Boolean) {
                    continue;
                }
                String text;
                try {
                    text = parameter.toString();
                } catch (RuntimeException e) {
                    continue; // the formatter meets the same failure and handles it as it does
                }
                String masked = LogMasking.mask(text);
                if (text != null && masked != text) {
                    if (copy == null) {
                        copy = parameters.clone();
                    }
                    copy[i] = masked;
                }
            }
            if (copy != null) {
                record.setParameters(copy);
            }
        }
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            Throwable masked = MaskedThrowable.of(thrown);
            if (masked != thrown) {
                record.setThrown(masked);
            }
        }
    }
}
