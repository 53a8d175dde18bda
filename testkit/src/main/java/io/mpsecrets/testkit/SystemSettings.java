package io.mpsecrets.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system properties {@link MockSecrets} sets, held by one test class at a time (and the classes nested in it):
 * they are one set per JVM, and a config built from them cannot tell which class is asking, so two classes holding
 * them at once would point each other's mp-secrets at the wrong mock and, restoring in the wrong order, leave a
 * stopped mock's endpoint set. JUnit's parallel execution keeps {@link MockSecrets} classes apart through their
 * resource lock; a class that comes while another holds the settings anyway (the extension registered without the
 * annotation, so without the lock) is refused, naming both. What a holder set is restored exactly when it lets go: a
 * value that was there before is put back, one that was absent is cleared.
 */
final class SystemSettings {

    /** The holders, innermost first: a class, then the classes nested in it. Guarded by the class's lock. */
    private static final Deque<SystemSettings> HELD = new ArrayDeque<>();

    private final ExtensionContext owner;

    /** Each property this holder set, with its value before (null: it was absent). */
    private final Map<String, String> previous = new LinkedHashMap<>();

    private SystemSettings(ExtensionContext owner) {
        this.owner = owner;
    }

    /**
     * The settings for the class of {@code context} (a class-level context): refused while a class other than one
     * enclosing it holds them.
     */
    static synchronized SystemSettings claim(ExtensionContext context) {
        SystemSettings holder = HELD.peek();
        if (holder != null && !encloses(holder.owner, context)) {
            throw new ExtensionConfigurationException(refusal(context, holder.owner));
        }
        SystemSettings claimed = new SystemSettings(context);
        HELD.push(claimed);
        return claimed;
    }

    /** Sets {@code settings} as system properties, remembering what each was before the first time it is set. */
    void set(Map<String, String> settings) {
        synchronized (SystemSettings.class) {
            settings.forEach((name, value) -> {
                String before = System.setProperty(name, value);
                if (!previous.containsKey(name)) {
                    previous.put(name, before);
                }
            });
        }
    }

    /** Puts back what this holder's properties were before it set them, and lets the next class in. */
    void release() {
        synchronized (SystemSettings.class) {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
            previous.clear();
            HELD.remove(this);
        }
    }

    private static boolean encloses(ExtensionContext outer, ExtensionContext context) {
        for (Optional<ExtensionContext> at = context.getParent();
                at.isPresent();
                at = at.get().getParent()) {
            if (at.get() == outer) {
                return true;
            }
        }
        return false;
    }

    private static String refusal(ExtensionContext refused, ExtensionContext holder) {
        return refused.getRequiredTestClass().getName() + " cannot use @MockSecrets while "
                + holder.getRequiredTestClass().getName()
                + " does: the settings that point mp-secrets at a class's mock are system properties, one set per"
                + " JVM, and the two classes would read each other's mock. @MockSecrets holds JUnit's resource lock on"
                + " the system properties (@ResourceLock(Resources.SYSTEM_PROPERTIES)), so that JUnit's parallel"
                + " execution runs such classes one at a time; MockSecretsExtension registered another way"
                + " (@ExtendWith, @RegisterExtension) has no lock: annotate the class with @MockSecrets, or with"
                + " @ResourceLock(Resources.SYSTEM_PROPERTIES).";
    }
}
