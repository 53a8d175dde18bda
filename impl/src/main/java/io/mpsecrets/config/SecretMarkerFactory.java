package io.mpsecrets.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import java.util.OptionalInt;

/**
 * Registers {@link SecretMarker} with its priority stated here rather than read from its {@code @Priority}
 * annotation, which SmallRye cannot see where {@code jakarta.annotation} is not on the class path (the CLI).
 */
public final class SecretMarkerFactory implements ConfigSourceInterceptorFactory {

    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        return new SecretMarker();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(SecretMarker.PRIORITY);
    }
}
