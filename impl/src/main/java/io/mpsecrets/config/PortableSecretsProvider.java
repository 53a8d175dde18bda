package io.mpsecrets.config;

import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * Adds the {@link PortableSecretsSource} to each config of a MicroProfile Config implementation that is not
 * SmallRye Config; under SmallRye it adds nothing, since mp-secrets' interceptors do the work there (a SmallRye
 * config built without them fails closed in the CDI extension instead). Registered in
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSourceProvider}.
 */
public final class PortableSecretsProvider implements ConfigSourceProvider {

    static final String SMALLRYE_RESOLVER = "io.smallrye.config.SmallRyeConfigProviderResolver";

    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
        if (isSmallRye(ConfigProviderResolver.instance())) {
            return List.of();
        }
        ClassLoader loader =
                forClassLoader != null ? forClassLoader : Thread.currentThread().getContextClassLoader();
        return List.of(new PortableSecretsSource(() -> ConfigProvider.getConfig(loader), loader));
    }

    /** Whether a resolver is SmallRye's or a server's subclass of it (Open Liberty's, WildFly's). */
    static boolean isSmallRye(ConfigProviderResolver resolver) {
        for (Class<?> type = resolver.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(SMALLRYE_RESOLVER)) {
                return true;
            }
        }
        return false;
    }
}
