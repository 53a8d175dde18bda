package io.mpsecrets.mask;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The values one application is served, as a log mask: each property's current value, and the values rotation
 * replaced, kept for the rotation grace (the application may still hold and log them). Told of every value served
 * ({@link #served}); the matcher over all their {@link MaskPatterns forms} is rebuilt on {@code rebuilder} after a
 * change, off the logging path, and by the first {@link #mask} call should a log line come before that, so a value
 * logged right after it was served is masked. The hot path of a read that serves the same value again is one map
 * lookup. Thread-safe.
 */
public final class SecretMask implements AutoCloseable {

    private record Retired(String property, long until) {}

    private final int minLength;
    private final long graceNanos;
    private final Ticker ticker;
    private final Executor rebuilder;
    private final ConcurrentHashMap<String, String> current = new ConcurrentHashMap<>();
    /** Values rotated out, by value; guarded by this. */
    private final Map<String, Retired> retired = new HashMap<>();

    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private volatile SecretMatcher matcher = SecretMatcher.EMPTY;
    private volatile boolean stale;
    /** Whether this mask is among those {@link LogMasking} applies; guarded by this. */
    private boolean started;

    /**
     * @param minLength values shorter than this are not masked ({@code mpsecrets.mask.min-length})
     * @param grace how long a value rotation replaced stays masked ({@code mpsecrets.rotation.grace})
     */
    public SecretMask(int minLength, Duration grace, Ticker ticker, Executor rebuilder) {
        this.minLength = minLength;
        this.graceNanos = grace.toNanos();
        this.ticker = ticker;
        this.rebuilder = rebuilder;
    }

    /** {@code value} is what {@code property} gives the application now; the value it gave before is retired. */
    public void served(String property, String value) {
        String before = current.get(property);
        if (before == value || value == null || value.equals(before)) {
            return;
        }
        boolean start = false;
        synchronized (this) {
            before = current.put(property, value);
            if (before != null && !before.equals(value)) {
                retired.put(before, new Retired(property, ticker.nanos() + graceNanos));
            }
            retired.remove(value);
            stale = true;
            if (!started) {
                started = true;
                start = true;
            }
        }
        if (start) {
            // Outside this mask's lock: installing takes handlers' locks, which a logging thread holds while it masks.
            LogMasking.start(this);
        }
        if (rebuildScheduled.compareAndSet(false, true)) {
            try {
                rebuilder.execute(this::rebuild);
            } catch (RuntimeException rejected) {
                // No thread to rebuild on: the next mask() call rebuilds.
                rebuildScheduled.set(false);
            }
        }
    }

    /** {@code text} with every value this mask holds, in each of its forms, replaced by its property's marker. */
    public String mask(String text) {
        return matcher().mask(text);
    }

    /** The matcher over the values held now, rebuilt first if a value changed since it was built. */
    SecretMatcher matcher() {
        if (stale) {
            rebuild();
        }
        return matcher;
    }

    /** How many values are masked (current and retired), for tests and metrics; never the values. */
    public synchronized int values() {
        return current.size() + retired.size();
    }

    private void rebuild() {
        rebuildScheduled.set(false);
        synchronized (this) {
            if (!stale) {
                return;
            }
            long now = ticker.nanos();
            Map<String, String> markers = new LinkedHashMap<>();
            current.forEach((property, value) -> add(markers, value, property));
            for (Iterator<Map.Entry<String, Retired>> it = retired.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Retired> entry = it.next();
                if (entry.getValue().until() - now < 0) {
                    it.remove();
                } else {
                    add(markers, entry.getKey(), entry.getValue().property());
                }
            }
            // Published before stale is cleared: a logger that sees stale cleared sees this matcher.
            matcher = SecretMatcher.of(markers);
            stale = false;
        }
    }

    private void add(Map<String, String> markers, String value, String property) {
        String marker = marker(property);
        for (String form : MaskPatterns.of(value, minLength)) {
            markers.putIfAbsent(form, marker);
        }
    }

    /** What replaces a value of {@code property} in a log line. */
    static String marker(String property) {
        return "***" + LogSafe.escape(property) + "***";
    }

    /**
     * Forgets every value (the application stopped) and leaves the masks {@link LogMasking} applies; a value served
     * afterwards (a runtime used again) starts it over.
     */
    @Override
    public void close() {
        boolean stop;
        synchronized (this) {
            current.clear();
            retired.clear();
            matcher = SecretMatcher.EMPTY;
            stale = false;
            stop = started;
            started = false;
        }
        if (stop) {
            LogMasking.stop(this);
        }
    }

    @Override
    public String toString() {
        return "SecretMask[" + values() + " values]";
    }
}
