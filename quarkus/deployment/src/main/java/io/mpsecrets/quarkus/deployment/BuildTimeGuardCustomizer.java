package io.mpsecrets.quarkus.deployment;

import io.mpsecrets.config.BuildTime;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.SecretKeysHandler;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.util.OptionalInt;

/**
 * Installs mp-secrets' build-time guard in every config Quarkus builds while it builds the application (it reads
 * every property then, to record them): mp-secrets' interceptors and store sources then pass values through as
 * written, so the build needs no keyring, KMS or store and records {@code ENC(...)} text, never plaintext. Found
 * through {@code META-INF/services} of this deployment jar, which the build sees and the running application does
 * not.
 */
public final class BuildTimeGuardCustomizer implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        builder.withSecretKeysHandlers(
                BuildTime.referenceHandlers(loader != null ? loader : BuildTimeGuardCustomizer.class.getClassLoader())
                        .toArray(SecretKeysHandler[]::new));
        builder.withInterceptorFactories(new ConfigSourceInterceptorFactory() {
            @Override
            public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
                return BuildTime.guard();
            }

            @Override
            public OptionalInt getPriority() {
                return BuildTime.guardPriority();
            }
        });
    }
}
