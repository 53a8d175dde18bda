package io.mpsecrets.testing;

import io.mpsecrets.cdi.MpSecretsExtension;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.net.URL;
import java.net.URLClassLoader;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * An application in Weld SE with a config of its own, registered for a class loader that is the thread context class
 * loader while it runs (as an application server does per application), with SmallRye's and mp-secrets' CDI
 * extensions (SmallRye's only with a SmallRye config). Closing it shuts the container down and puts everything back.
 */
public final class WeldApplication implements AutoCloseable {

    private final Config config;
    private final ClassLoader previous;
    private final WeldContainer container;

    private WeldApplication(Config config, ClassLoader previous, WeldContainer container) {
        this.config = config;
        this.previous = previous;
        this.container = container;
    }

    /** Deploys {@code beans} with {@code config}; a deployment problem is thrown, with everything put back. */
    public static WeldApplication start(Config config, Class<?>... beans) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader application = new URLClassLoader(new URL[0], previous);
        ConfigProviderResolver.instance().registerConfig(config, application);
        Thread.currentThread().setContextClassLoader(application);
        try {
            // With discovery off Weld SE loads no extension from META-INF/services; a container does.
            Weld weld = new Weld().disableDiscovery().addExtension(new MpSecretsExtension());
            if (config instanceof SmallRyeConfig) {
                weld.addExtension(new ConfigExtension());
            } else {
                // SmallRye's injection needs its own config; a server with another MicroProfile Config (Payara) has
                // its own injection, of which the Config bean is what mp-secrets' beans use.
                weld.addBeanClass(ConfigBean.class);
            }
            WeldContainer container = weld.addBeanClasses(beans).initialize();
            return new WeldApplication(config, previous, container);
        } catch (RuntimeException | Error e) {
            ConfigProviderResolver.instance().releaseConfig(config);
            Thread.currentThread().setContextClassLoader(previous);
            throw e;
        }
    }

    /** The {@code Config} bean a server's own MicroProfile Config provides. */
    @Dependent
    public static class ConfigBean {
        @Produces
        Config config() {
            return ConfigProvider.getConfig();
        }
    }

    public WeldContainer container() {
        return container;
    }

    public <T> T bean(Class<T> type) {
        return container.select(type).get();
    }

    @Override
    public void close() {
        try {
            if (container.isRunning()) {
                container.shutdown();
            }
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
