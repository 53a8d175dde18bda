package io.mpsecrets.config;

import io.mpsecrets.backend.Backends;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValue;
import java.util.OptionalInt;

/**
 * Registers {@link SecretMarker}, the first of mp-secrets' interceptors a config builds: it finds the backends the
 * application's class loader sees and registers the config's {@link ConfigBinding}. The priority is stated here
 * rather than read from the marker's {@code @Priority} annotation, which SmallRye cannot see where
 * {@code jakarta.annotation} is not on the class path (the CLI).
 */
public final class SecretMarkerFactory implements ConfigSourceInterceptorFactory {

    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        if (BuildTime.building(context)) {
            return BuildTime.passThrough();
        }
        // Two copies of the jar on one class path (an application's and a shared library's) register the factories
        // twice: the second marker joins the first one's binding, so that one table and one runtime serve the config.
        ConfigValue below = context.proceed(ConfigRegistry.LOOKUP);
        ConfigBinding binding = ConfigRegistry.find(below == null ? null : below.getValue())
                .orElseGet(() -> ConfigRegistry.register(
                        Backends.discover(Thread.currentThread().getContextClassLoader())));
        return new SecretMarker(binding);
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(SecretMarker.PRIORITY);
    }
}
