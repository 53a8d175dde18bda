package io.mpsecrets.backend;

import io.mpsecrets.api.FailureReason;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every call mp-secrets makes to a store or KMS, as it ends: the one place metrics learn of them (a data key served
 * from the cache, a value from memory, makes no call). Listeners are process-wide for mp-secrets' class loader, quick,
 * and never see a value or a secret id. They are held weakly: a listener lives as long as whoever
 * keeps it (a runtime keeps its counts), so runtimes that are dropped without being closed leave nothing behind.
 */
public final class BackendCalls {

    public enum Kind {
        STORE,
        KMS
    }

    /** Told of each call: its backend, its operation, and its failure (null when it answered). */
    @FunctionalInterface
    public interface Listener {
        void called(Kind kind, String backend, String operation, FailureReason failure);
    }

    private static final List<WeakReference<Listener>> LISTENERS = new CopyOnWriteArrayList<>();

    private BackendCalls() {}

    /** Adds a listener, held weakly; closing the handle removes it. */
    public static AutoCloseable listen(Listener listener) {
        WeakReference<Listener> reference = new WeakReference<>(listener);
        LISTENERS.add(reference);
        return () -> LISTENERS.remove(reference);
    }

    static void record(Kind kind, String backend, String operation, FailureReason failure) {
        for (WeakReference<Listener> reference : LISTENERS) {
            Listener listener = reference.get();
            if (listener == null) {
                LISTENERS.remove(reference);
                continue;
            }
            try {
                listener.called(kind, backend, operation, failure);
            } catch (RuntimeException e) {
                // metrics never fail a call
            }
        }
    }
}
