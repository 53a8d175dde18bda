package io.mpsecrets.mask;

import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Stands in for a handler that does not consult its filter (Open Liberty's root handler publishes every record it
 * is given, so a {@link MaskingFilter} on it is never asked): masks each record, then hands it to the handler, whose
 * own level and filter apply as before. Put in the handler's place on its logger, and taken out again when the last
 * mask stops.
 */
final class MaskingHandler extends Handler {

    private final Handler delegate;

    MaskingHandler(Handler delegate) {
        this.delegate = delegate;
    }

    Handler delegate() {
        return delegate;
    }

    @Override
    public void publish(LogRecord record) {
        if (record != null && LogMasking.active() && !MaskingFilter.own(record)) {
            MaskingFilter.mask(record);
        }
        delegate.publish(record);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "MaskingHandler[" + delegate.getClass().getName() + "]";
    }
}
