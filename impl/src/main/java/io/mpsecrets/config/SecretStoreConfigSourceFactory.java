package io.mpsecrets.config;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.runtime.StoreProperties;
import io.mpsecrets.runtime.StoreSettings;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Builds one {@link SecretStoreConfigSource} per store named in {@code mpsecrets.sources}, reading {@code mpsecrets.*}
 * from the sources below it (the settings may themselves be {@code ENC(...)} values or references: a Vault token,
 * say). What each store serves is fetched at start-up by the runtime ({@link StoreProperties}); this only makes it a
 * source.
 */
public final class SecretStoreConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue building = context.getValue(BuildTime.PHASE);
        if (building != null && building.getValue() != null) {
            return List.of();
        }
        Settings settings = new Settings(name -> {
            ConfigValue value = context.getValue(name);
            return value == null ? Optional.empty() : Optional.ofNullable(value.getValue());
        });
        List<String> stores = settings.list(StoreSettings.SOURCES);
        if (stores.isEmpty()) {
            return List.of();
        }
        ConfigValue bindingId = context.getValue(ConfigRegistry.LOOKUP);
        SecretsRuntime runtime = ConfigRegistry.find(bindingId == null ? null : bindingId.getValue())
                .map(ConfigBinding::runtime)
                .orElseThrow(() -> new ConfigurationException(StoreSettings.SOURCES
                        + " is set but mp-secrets' interceptors are not installed in this config"));
        List<ConfigSource> sources = new ArrayList<>();
        try {
            for (String store : stores) {
                // Fails here, naming the store and what is on the class path, when no backend of that name is.
                runtime.backends().store(store, StoreSettings.SOURCES);
                StoreSettings storeSettings = StoreSettings.read(store, settings, context.iterateNames());
                sources.add(new SecretStoreConfigSource(
                        store,
                        storeSettings.ordinal(),
                        StoreProperties.fetch(runtime.stores(), storeSettings, settings)));
            }
        } catch (RuntimeException | Error e) {
            // The config's build fails with this: no application will hold the config, so none could close the
            // runtime the build made, whose stores and rotation watcher the fetches above opened.
            runtime.close();
            throw e;
        }
        return sources;
    }
}
