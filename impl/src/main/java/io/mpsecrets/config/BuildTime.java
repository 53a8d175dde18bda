package io.mpsecrets.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.util.OptionalInt;

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
