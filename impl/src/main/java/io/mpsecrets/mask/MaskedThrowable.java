package io.mpsecrets.mask;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A copy of a thrown exception whose messages are masked, for a log record: an exception's message cannot be
 * changed, so the record gets this instead, printing as the original would ({@code toString()} is the original's,
 * masked, so its class name shows) with the same stack trace, and masked copies of its causes and suppressed
 * exceptions. Only made when some message in the chain held a value; the application's exception is never changed.
 */
final class MaskedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;
    /** Deeper chains are cut: a record is not the place for them, and a hostile chain must not cost without end. */
    private static final int MAX_DEPTH = 32;

    private final String header;

    private MaskedThrowable(String header, String message, Throwable cause) {
        super(message, cause, true, true);
        this.header = header;
    }

    /** {@code thrown}, or a masked copy of it when a message in its chain holds a value. */
    static Throwable of(Throwable thrown) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return needsMasking(thrown, seen, 0)
                ? copy(thrown, Collections.newSetFromMap(new IdentityHashMap<>()), 0)
                : thrown;
    }

    private static boolean needsMasking(Throwable t, Set<Throwable> seen, int depth) {
        if (t == null || depth > MAX_DEPTH || !seen.add(t)) {
            return false;
        }
        String header = header(t);
        if (header != null && LogMasking.mask(header) != header) {
            return true;
        }
        if (needsMasking(t.getCause(), seen, depth + 1)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (needsMasking(suppressed, seen, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static MaskedThrowable copy(Throwable t, Set<Throwable> seen, int depth) {
        seen.add(t);
        String message = t.getLocalizedMessage();
        Throwable cause = t.getCause();
        MaskedThrowable causeCopy =
                cause != null && depth < MAX_DEPTH && !seen.contains(cause) ? copy(cause, seen, depth + 1) : null;
        MaskedThrowable copy = new MaskedThrowable(
                LogMasking.mask(header(t)), message == null ? null : LogMasking.mask(message), causeCopy);
        copy.setStackTrace(t.getStackTrace());
        for (Throwable suppressed : t.getSuppressed()) {
            if (depth < MAX_DEPTH && !seen.contains(suppressed)) {
                copy.addSuppressed(copy(suppressed, seen, depth + 1));
            }
        }
        return copy;
    }

    private static String header(Throwable t) {
        try {
            return t.toString();
        } catch (RuntimeException e) {
            return t.getClass().getName();
        }
    }

    @Override
    public String toString() {
        return header;
    }
}
