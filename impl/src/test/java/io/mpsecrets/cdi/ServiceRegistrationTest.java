package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.config.SecretMarkerFactory;
import io.mpsecrets.config.SecretResolverFactory;
import io.mpsecrets.config.SecretStoreConfigSourceFactory;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import jakarta.enterprise.inject.spi.Extension;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The drop-in jar registers everything through META-INF/services, as containers and SmallRye discover them. */
class ServiceRegistrationTest {

    @Test
    void everyPieceIsRegistered() {
        assertThat(ServiceLoader.load(Extension.class)).anyMatch(e -> e instanceof MpSecretsExtension);
        assertThat(ServiceLoader.load(ConfigSourceInterceptorFactory.class))
                .anyMatch(f -> f instanceof SecretMarkerFactory)
                .anyMatch(f -> f instanceof SecretResolverFactory);
        assertThat(ServiceLoader.load(ConfigSourceFactory.class))
                .anyMatch(f -> f instanceof SecretStoreConfigSourceFactory);
    }
}
