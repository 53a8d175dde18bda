package io.mpsecrets.tck.config;

import io.mpsecrets.cdi.MpSecretsExtension;
import io.smallrye.config.SmallRyeConfigProviderResolver;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.arquillian.container.test.spi.client.deployment.AuxiliaryArchiveAppender;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * Installs MicroProfile Config the way an application server does, with mp-secrets in it, into every deployment
 * the TCK makes: embedded Weld loads CDI extensions from the deployed archives only, so an auxiliary archive
 * registers SmallRye's config extension and mp-secrets' extension. mp-secrets' interceptors and config source
 * factory need nothing here: SmallRye discovers them through {@code META-INF/services} of mpsecrets-impl on the
 * class path, as it does in Liberty.
 */
public final class MpSecretsArquillianExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(AuxiliaryArchiveAppender.class, Appender.class);
    }

    public static final class Appender implements AuxiliaryArchiveAppender {
        @Override
        public Archive<?> createAuxiliaryArchive() {
            return ShrinkWrap.create(JavaArchive.class, "mpsecrets-config-runtime.jar")
                    .addAsServiceProvider(Extension.class, ConfigExtension.class, MpSecretsExtension.class)
                    .addAsServiceProvider(ConfigProviderResolver.class, SmallRyeConfigProviderResolver.class);
        }
    }
}
