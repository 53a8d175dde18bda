package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Properties a build tool fixes when the application is built (Quarkus' build-time and build-and-run-time-fixed
 * properties) can never be secrets: the build reads them with mp-secrets passing values through as written
 * ({@link BuildTime}), so what it records is the {@code ENC(...)} text or the reference, and at run time the
 * implementation compares a value set later with the recorded one and prints both. The build refuses such a value
 * ({@link #refusal}); at run time {@link #guard} refuses to read one, so that it is never decrypted or fetched for a
 * property whose value the framework prints.
 */
public final class FixedAtBuild {

    /**
     * Between the build-time guard and the marker: it sees the value the sources hold, after profiles, before
     * mp-secrets marks it.
     */
    public static final int GUARD_PRIORITY = Priorities.LIBRARY + 255;

    private FixedAtBuild() {}

    /** Whether a value set on a property fixed at build time is one mp-secrets would decrypt or fetch. */
    public static boolean isSecret(String raw) {
        return RawValues.needsMpSecrets(raw, store -> true);
    }

    /**
     * The build's error for properties fixed at build time that hold {@code ENC(...)} values or secret references,
     * or null when there are none.
     */
    public static ConfigurationException refusal(Collection<String> properties) {
        if (properties.isEmpty()) {
            return null;
        }
        SortedSet<String> sorted = new TreeSet<>(properties);
        return new ConfigurationException(String.join(", ", sorted)
                + (sorted.size() == 1 ? " is" : " are")
                + " fixed when the application is built and cannot be an ENC(...) value or hold a secret reference:"
                + " the build records values as written, so the application would get the ciphertext or the"
                + " reference. Set a plain value, or use a property read at run time");
    }

    /** The run-time interceptor that refuses to read a secret on any of {@code properties}. */
    public static ConfigSourceInterceptor guard(Set<String> properties) {
        return new Guard(Set.copyOf(properties));
    }

    private static final class Guard implements ConfigSourceInterceptor {
        private static final long serialVersionUID = 1L;

        private final transient Set<String> properties;

        Guard(Set<String> properties) {
            this.properties = properties;
        }

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            ConfigValue value = context.proceed(name);
            if (value != null && properties.contains(name) && isSecret(value.getValue())) {
                throw refusal(Set.of(name));
            }
            return value;
        }
    }
}
