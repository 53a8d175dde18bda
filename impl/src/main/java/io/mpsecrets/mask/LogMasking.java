package io.mpsecrets.mask;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The masks of the applications in this class loader, applied to java.util.logging when a mask starts, on every
 * handler of every logger there is (Open Liberty, WildFly, Payara and Quarkus route java.util.logging through such
 * handlers, or bridge it to them): a handler known to consult its filter (the JDK's, JBoss LogManager's, which
 * WildFly and Quarkus use) gets a {@link MaskingFilter} in front of its own; any other (Open Liberty's root handler
 * publishes without asking its filter) is replaced on its logger by a {@link MaskingHandler} around it. Both are
 * taken out again when the last mask stops, unless something replaced them meanwhile. A handler added later is not
 * covered; nor is output that does not go through java.util.logging (System.out, Logback or Log4j 2 used directly:
 * their appenders can call {@link #mask(String)}).
 */
public final class LogMasking {

    private static final List<SecretMask> MASKS = new CopyOnWriteArrayList<>();
    /** The handlers this class put a filter on, with the filter it replaced; guarded by LogMasking.class. */
    private static final Map<Handler, MaskingFilter> INSTALLED = new IdentityHashMap<>();
    /** The loggers on which a handler was replaced by a masking one; guarded by LogMasking.class. */
    private static final List<Wrapped> WRAPPED = new ArrayList<>();

    private record Wrapped(Logger logger, MaskingHandler handler) {}

    private static volatile Union UNION;

    private LogMasking() {}

    /**
     * {@code text} with every value the running applications of this class loader are served replaced by its
     * property's marker ({@code ***db.password***}), in each of the forms a value commonly takes in a log.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        Object[] masks = MASKS.toArray();
        if (masks.length == 0) {
            return text;
        }
        if (masks.length == 1) {
            return ((SecretMask) masks[0]).mask(text);
        }
        // Several applications' configs in this class loader: one matcher over all their values, rebuilt when any
        // of theirs was, so the longest value at each position is masked whichever holds it.
        SecretMatcher[] parts = new SecretMatcher[masks.length];
        for (int i = 0; i < masks.length; i++) {
            parts[i] = ((SecretMask) masks[i]).matcherFor(text);
        }
        Union union = UNION;
        if (union == null || !union.of(parts)) {
            union = new Union(parts, SecretMatcher.union(parts));
            UNION = union;
        }
        return union.matcher().mask(text);
    }

    /** The matchers a union was built from, compared by identity: a rebuilt matcher is a new one. */
    private record Union(SecretMatcher[] parts, SecretMatcher matcher) {
        boolean of(SecretMatcher[] others) {
            if (others.length != parts.length) {
                return false;
            }
            for (int i = 0; i < parts.length; i++) {
                if (others[i] != parts[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Whether any mask is running (a filter with nothing to mask costs a volatile read). */
    static boolean active() {
        return !MASKS.isEmpty();
    }

    /** How many masks are running (tests: an application that stopped, or failed to start, leaves none). */
    static int running() {
        return MASKS.size();
    }

    static synchronized void start(SecretMask mask) {
        if (!MASKS.contains(mask)) {
            MASKS.add(mask);
        }
        install();
    }

    static synchronized void stop(SecretMask mask) {
        MASKS.remove(mask);
        UNION = null;
        if (MASKS.isEmpty()) {
            uninstall();
        }
    }

    /** Puts a masking filter on each handler that has none yet. */
    private static void install() {
        LogManager manager = LogManager.getLogManager();
        for (String name : Collections.list(manager.getLoggerNames())) {
            Logger logger = manager.getLogger(name);
            if (logger == null) {
                continue;
            }
            for (Handler handler : logger.getHandlers()) {
                if (handler instanceof MaskingHandler || INSTALLED.containsKey(handler)) {
                    continue;
                }
                try {
                    if (consultsItsFilter(handler)) {
                        Filter filter = handler.getFilter();
                        if (filter instanceof MaskingFilter) {
                            continue;
                        }
                        MaskingFilter masking = new MaskingFilter(filter);
                        handler.setFilter(masking);
                        INSTALLED.put(handler, masking);
                    } else {
                        MaskingHandler masking = new MaskingHandler(handler);
                        logger.addHandler(masking);
                        logger.removeHandler(handler);
                        WRAPPED.add(new Wrapped(logger, masking));
                    }
                } catch (RuntimeException refused) {
                    // A security manager or a handler that does not take filters: its output is not masked (docs).
                }
            }
        }
    }

    /**
     * Whether a handler is known to ask its filter before it publishes: its {@code publish} is the JDK's or JBoss
     * LogManager's ({@code ExtHandler}'s, by name: it is not on mp-secrets' class path). Any other, a subclass that
     * publishes its own way included, is wrapped rather than trusted.
     */
    static boolean consultsItsFilter(Handler handler) {
        String publisher;
        try {
            publisher = handler.getClass()
                    .getMethod("publish", LogRecord.class)
                    .getDeclaringClass()
                    .getName();
        } catch (NoSuchMethodException e) {
            return false;
        }
        return (publisher.startsWith("java.util.logging.") && !publisher.equals("java.util.logging.Handler"))
                || publisher.equals("org.jboss.logmanager.ExtHandler");
    }

    /** Gives each handler its filter back, where ours is still the one it has. */
    private static void uninstall() {
        INSTALLED.forEach((handler, masking) -> {
            if (handler.getFilter() == masking) {
                try {
                    handler.setFilter(masking.delegate());
                } catch (RuntimeException refused) {
                    // Left in place: with no mask running it only passes records on.
                }
            }
        });
        INSTALLED.clear();
        for (Wrapped wrapped : WRAPPED) {
            try {
                for (Handler handler : wrapped.logger().getHandlers()) {
                    if (handler == wrapped.handler()) {
                        wrapped.logger().addHandler(wrapped.handler().delegate());
                        wrapped.logger().removeHandler(wrapped.handler());
                    }
                }
            } catch (RuntimeException refused) {
                // Left in place: with no mask running it only passes records on.
            }
        }
        WRAPPED.clear();
    }
}
