package io.mpsecrets.config;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.runtime.MpSecretsSettings;
import io.mpsecrets.runtime.SecretsRuntime;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigSourceInterceptorFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the {@link SecretResolver} of one config and its {@link SecretsRuntime}, configured from the
 * {@code mpsecrets.*} settings of the sources. Reading settings opens nothing: a KMS is built, with its own
 * settings read through the same chain, on the first decryption. Priority 3305: after expression expansion (3300),
 * before SmallRye's secret-keys handlers (3310). SmallRye builds interceptors in priority order, each given the
 * chain below it, so the marker (3260) is there to answer {@link ConfigRegistry#LOOKUP}.
 */
public final class SecretResolverFactory implements ConfigSourceInterceptorFactory {

    public static final int PRIORITY = Priorities.LIBRARY + 305;
    private static final String KMS_SETTINGS = MpSecretsSettings.KMS + ".";

    @Override
    public ConfigSourceInterceptor getInterceptor(ConfigSourceInterceptorContext context) {
        if (BuildTime.building(context)) {
            return BuildTime.passThrough();
        }
        ConfigValue id = context.proceed(ConfigRegistry.LOOKUP);
        ConfigBinding binding = ConfigRegistry.find(id == null ? null : id.getValue())
                .orElseThrow(() ->
                        new ConfigurationException("mp-secrets' resolver is installed without its marker interceptor "
                                + "(io.mpsecrets.config.SecretMarkerFactory)"));
        synchronized (binding) {
            if (binding.runtime() == null) {
                MpSecretsSettings settings = MpSecretsSettings.read(name -> setting(context, name));
                // KMS settings are read when a KMS is first used; one that is encrypted fails now, with the config.
                context.iterateNames().forEachRemaining(name -> {
                    if (name.startsWith(KMS_SETTINGS)) {
                        setting(context, name);
                    }
                });
                binding.runtime(SecretsRuntime.create(settings, binding.backends(), name -> setting(context, name)));
            }
        }
        return new SecretResolver(binding);
    }

    /** A setting mp-secrets needs in order to decrypt, which cannot itself be encrypted or a reference. */
    static Optional<String> setting(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null) {
            return Optional.empty();
        }
        if (SecretTag.contains(value.getValue())) {
            throw new ConfigurationException(
                    name + " cannot be an ENC(...) value or a secret reference: mp-secrets needs it to decrypt");
        }
        return Optional.of(value.getValue());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(PRIORITY);
    }
}
