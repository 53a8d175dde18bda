package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the {@link SecretResolver} of one config, with a {@link SecretsRuntime} configured from the
 * {@code mpsecrets.*} settings of the sources. Reading settings opens nothing: the KMS is reached on the first
 * decryption. Priority 3305: after expression expansion (3300), before SmallRye's secret-keys handlers (3310).
 */
public final class SecretResolverFactory implements ConfigSourceInterceptorFactory {

    public static final int PRIORITY = Priorities.LIBRARY + 305;

    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        MpSecretsSettings settings = MpSecretsSettings.read(name -> setting(context, name));
        return new SecretResolver(SecretsRuntime.create(settings));
    }

    static Optional<String> setting(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null) {
            return Optional.empty();
        }
        if (SecretTag.contains(value.getValue())) {
            throw new ConfigurationException(name + " cannot be an ENC(...) value or a secret reference: mp-secrets needs it to decrypt");
        }
        return Optional.of(value.getValue());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(PRIORITY);
    }
}
