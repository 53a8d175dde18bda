package io.mpsecrets.mask;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values one application is served, as a log mask: each property's current value, and the values rotation
 * replaced, kept for the rotation grace (the application may still hold and log them). Told of every value served
 * ({@link #served}). A log line is checked by the matcher over all their {@link MaskPatterns forms}, and for the
 * forms served since it was built (found by the hash of their first {@code minLength} characters, then compared).
 * The matcher is rebuilt by the line that needs it, one that holds a form served since (so a value logged right after
 * it was served is masked whole) or the first line once no value was served for the {@code quiet} period (so a
 * steady application's lines take one pass); and on {@code rebuilder}, off the logging path, when more forms wait
 * than {@value #BACKGROUND_REBUILD_FORMS} and half the matcher holds, so that a start-up serving thousands of values
 * builds it a logarithmic number of times on the other core. A start-up of a few dozen values thus builds it once or
 * twice (each line rebuilding made start-up quadratic in the number of secrets: 10,000 file secrets took 1.5-2.5 s
 * more to read; a rebuild on the rebuilder after every value cost a 50-value start-up 20-35 ms of CPU). Each
 * value's forms are worked out once. The hot path of a read that serves the same value again is one map lookup.
 * Thread-safe.
 */
public final class SecretMask implements AutoCloseable {

    private record Retired(String property, long until) {}

    /**
     * Served forms the matcher does not hold yet beyond which (and beyond half the matcher) a value served hands a
     * rebuild to the rebuilder: about a hundred values, more than most applications serve at start-up.
     */
    static final int BACKGROUND_REBUILD_FORMS = 1024;

    private final int minLength;
    /** What rolling the window of {@code minLength} characters by one takes out, worked out once. */
    private final long windowPower;

    private final long graceNanos;
    private final long quietNanos;
    private final Ticker ticker;
    private final Executor rebuilder;
    private final ConcurrentHashMap<String, String> current = new ConcurrentHashMap<>();
    /** Values rotated out, by value; guarded by this. */
    private final Map<String, Retired> retired = new HashMap<>();
    /** Each current or retired value's forms, worked out once; guarded by this. */
    private final Map<String, Set<String>> forms = new HashMap<>();
    /**
     * Forms served since the matcher was built, by the hash of their first {@code minLength} characters; written under
     * this, read by logging threads. Each list is immutable.
     */
    private final ConcurrentHashMap<Long, List<String>> pending = new ConcurrentHashMap<>();

    private volatile int pendingForms;
    /** When a value was last served that the matcher does not hold ({@link Ticker} time). */
    private volatile long lastChange;

    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();

    private volatile SecretMatcher matcher = SecretMatcher.EMPTY;
    private volatile boolean stale;
    /** Whether this mask is among those {@link LogMasking} applies; guarded by this. */
    private boolean started;
    /** How many times the matcher was built (tests: start-up must not rebuild it for every line). */
    private final AtomicInteger rebuilds = new AtomicInteger();

    /**
     * @param minLength values shorter than this are not masked ({@code mpsecrets.mask.min-length})
     * @param grace how long a value rotation replaced stays masked ({@code mpsecrets.rotation.grace})
     * @param quiet how long after the last value served a log line rebuilds the matcher, so that later lines take
     *     one pass ({@link Duration#ZERO}: the first line after any change)
     * @param rebuilder where a rebuild runs when many forms wait (a start-up serving thousands of values)
     */
    public SecretMask(int minLength, Duration grace, Duration quiet, Ticker ticker, Executor rebuilder) {
        this.minLength = minLength;
        this.windowPower = SecretMatcher.power(minLength);
        this.graceNanos = grace.toNanos();
        this.quietNanos = quiet.toNanos();
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
        boolean handOff;
        synchronized (this) {
            before = current.put(property, value);
            if (before != null && !before.equals(value)) {
                retired.put(before, new Retired(property, ticker.nanos() + graceNanos));
            }
            retired.remove(value);
            if (!forms.containsKey(value)) {
                Set<String> of = MaskPatterns.of(value, minLength);
                forms.put(value, of);
                for (String form : of) {
                    pending.merge(SecretMatcher.hash(form, 0, minLength), List.of(form), SecretMask::concat);
                }
                pendingForms += of.size();
            }
            lastChange = ticker.nanos();
            // After the pending forms: a logging thread that sees stale sees them.
            stale = true;
            handOff = pendingForms > Math.max(BACKGROUND_REBUILD_FORMS, matcher.size() / 2);
            if (!started) {
                started = true;
                start = true;
            }
        }
        if (start) {
            // Outside this mask's lock: installing takes handlers' locks, which a logging thread holds while it masks.
            LogMasking.start(this);
        }
        if (handOff && rebuildScheduled.compareAndSet(false, true)) {
            try {
                rebuilder.execute(this::rebuild);
            } catch (RuntimeException rejected) {
                rebuild(); // no thread to rebuild on: here, once per doubling
            }
        }
    }

    /** {@code text} with every value this mask holds, in each of its forms, replaced by its property's marker. */
    public String mask(String text) {
        return matcherFor(text).mask(text);
    }

    /**
     * The matcher to mask {@code text} with: the one built, unless the text holds a value served since or none was
     * served for the quiet period: then it is rebuilt first (only a matcher over all of them masks a line in one pass,
     * the longest form first).
     */
    SecretMatcher matcherFor(String text) {
        if (stale && (ticker.nanos() - lastChange >= quietNanos || holdsPending(text))) {
            rebuild();
        }
        return matcher;
    }

    /** Whether {@code text} holds a form served since the matcher was built. */
    private boolean holdsPending(String text) {
        if (pending.isEmpty()) {
            return false;
        }
        if (minLength < 1) {
            return true; // no window to find forms by: the matcher is rebuilt
        }
        if (text.length() < minLength) {
            return false;
        }
        long hash = SecretMatcher.hash(text, 0, minLength);
        for (int at = 0; ; at++) {
            List<String> candidates = pending.get(hash);
            if (candidates != null) {
                for (String form : candidates) {
                    if (text.startsWith(form, at)) {
                        return true;
                    }
                }
            }
            if (at + minLength >= text.length()) {
                return false;
            }
            hash = SecretMatcher.roll(hash, text.charAt(at), text.charAt(at + minLength), windowPower);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        both.addAll(b);
        return List.copyOf(both);
    }

    /** How many times the matcher was built. */
    int rebuilds() {
        return rebuilds.get();
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
            if (forms.size() > current.size() + retired.size()) {
                Set<String> live = new HashSet<>(current.values());
                live.addAll(retired.keySet());
                forms.keySet().retainAll(live);
            }
            // Published before stale is cleared: a logger that sees stale cleared sees this matcher.
            matcher = SecretMatcher.of(markers);
            rebuilds.incrementAndGet();
            pending.clear();
            pendingForms = 0;
            stale = false;
        }
    }

    private void add(Map<String, String> markers, String value, String property) {
        String marker = marker(property);
        for (String form : forms.computeIfAbsent(value, v -> MaskPatterns.of(v, minLength))) {
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
            forms.clear();
            pending.clear();
            pendingForms = 0;
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
