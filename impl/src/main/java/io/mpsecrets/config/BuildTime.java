package io.mpsecrets.config;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.runtime.SecretReference;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import io.smallrye.config.SecretKeysHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A config built while an application is built rather than run (Quarkus reads every property at build time to
 * record it) must not decrypt or fetch: the build would need production keys and stores, and could print or store
 * what it read. A build tool marks such a config by installing {@link #guard()}, which answers the reserved name
 * {@link #PHASE}; mp-secrets' interceptors and store source factory then pass every value through as the sources
 * hold it, so the build records {@code ENC(...)} text and references, never plaintext. The name is answered by an
 * interceptor, not a source, so it never appears among the config's property names and is never recorded for run
 * time.
 */
public final class BuildTime {

    /** A reserved name no config source holds (control characters). */
    public static final String PHASE = SecretTag.START + "mpsecrets-build-time" + SecretTag.END;

    /** Below the marker (closer to the sources), so that its factory sees the answer. */
    public static final int GUARD_PRIORITY = Priorities.LIBRARY + 250;

    private BuildTime() {}

    /** The interceptor a build tool installs in its build-time configs. */
    public static ConfigSourceInterceptor guard() {
        return new Guard();
    }

    /** The guard's priority, for builders that take interceptors with one. */
    public static OptionalInt guardPriority() {
        return OptionalInt.of(GUARD_PRIORITY);
    }

    static boolean building(ConfigSourceInterceptorContext context) {
        ConfigValue value = context.proceed(PHASE);
        return value != null && value.getValue() != null;
    }

    /**
     * The handlers a build tool registers for the stores' names in SmallRye's secret-handler expressions, for
     * configs that expand {@code ${store::id}} while the application is built (Quarkus maps build-time properties
     * then): each leaves the reference as it was written, never fetching, so the build can find it and refuse it on
     * a property it fixes ({@link FixedAtBuild}) rather than fail on a handler it does not know.
     */
    public static List<SecretKeysHandler> referenceHandlers(ClassLoader loader) {
        Set<String> stores = new TreeSet<>(SecretReference.SHIPPED_STORES);
        stores.addAll(Backends.discover(loader).storeNames());
        List<SecretKeysHandler> handlers = new ArrayList<>();
        for (String store : stores) {
            handlers.add(new SecretKeysHandler() {
                @Override
                public String decode(String secret) {
                    return "${" + store + "::" + secret + "}";
                }

                @Override
                public String getName() {
                    return store;
                }
            });
        }
        return handlers;
    }

    /** What mp-secrets' interceptors are while a config is built for a build: nothing. */
    static ConfigSourceInterceptor passThrough() {
        return ConfigSourceInterceptorContext::proceed;
    }

    private static final class Guard implements ConfigSourceInterceptor {
        private static final long serialVersionUID = 1L;

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            return name.equals(PHASE)
                    ? ConfigValue.builder().withName(PHASE).withValue("true").build()
                    : context.proceed(name);
        }
    }
}
