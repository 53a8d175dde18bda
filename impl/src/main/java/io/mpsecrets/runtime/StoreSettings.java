package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.cache.CachePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The settings common to every secret store, {@code mpsecrets.<store>.*}; store-specific ones (address, region,
 * directory) are read by the store's factory.
 *
 * @param store the store's name ({@code aws}, {@code vault}, {@code file}, {@code env}, ...)
 * @param ordinal the config ordinal of the store's config source (default 275: above properties files, below
 *        environment variables and system properties)
 * @param cache TTL and stale-if-error window
 * @param required whether the application must not start while the store is down
 * @param startupTimeout how long start-up waits for an answer from the store before failing (required) or going on
 *     without it
 * @param secrets the secrets whose fields become properties, each with the prefix of its properties (empty: none)
 */
public record StoreSettings(
        String store, int ordinal, CachePolicy cache, boolean required, Duration startupTimeout, List<Listed> secrets) {

    public static final String SOURCES = "mpsecrets.sources";
    public static final int DEFAULT_ORDINAL = 275;

    /**
     * A listed secret: {@code mpsecrets.<store>.secrets=id,...} (no prefix) or {@code
     * mpsecrets.<store>.secrets.<prefix>=id,...}.
     */
    public record Listed(SecretId id, String prefix) {}

    public static StoreSettings read(String store, Settings settings, Iterator<String> names) {
        String prefix = CommonSettings.storePrefix(store);
        CachePolicy cache = cachePolicy(store, settings);
        List<Listed> secrets = new ArrayList<>();
        for (String id : settings.list(prefix + "secrets")) {
            secrets.add(new Listed(id(prefix + "secrets", id), ""));
        }
        String prefixed = prefix + "secrets.";
        List<String> prefixedNames = new ArrayList<>();
        names.forEachRemaining(name -> {
            if (name.startsWith(prefixed) && name.length() > prefixed.length()) {
                prefixedNames.add(name);
            }
        });
        prefixedNames.sort(null);
        for (String name : prefixedNames) {
            for (String id : settings.list(name)) {
                secrets.add(new Listed(id(name, id), name.substring(prefixed.length())));
            }
        }
        return new StoreSettings(
                store,
                settings.positiveInt(prefix + "ordinal", DEFAULT_ORDINAL),
                cache,
                required(store, settings),
                settings.duration(prefix + "startup-timeout", Duration.ofSeconds(10)),
                List.copyOf(secrets));
    }

    /** {@code mpsecrets.<store>.required}, default true: whether the application needs the store to start. */
    public static boolean required(String store, Settings settings) {
        return settings.bool(CommonSettings.storePrefix(store) + "required", true);
    }

    /**
     * A store's cache policy: {@code mpsecrets.<store>.ttl} and {@code max-stale}, defaulting to
     * {@code mpsecrets.cache.ttl} (PT5M) and {@code mpsecrets.cache.max-stale} (PT1H); the grace period of a rotated
     * value is {@code mpsecrets.rotation.grace} (PT5M).
     */
    public static CachePolicy cachePolicy(String store, Settings settings) {
        String prefix = CommonSettings.storePrefix(store);
        return new CachePolicy(
                settings.duration(prefix + "ttl", settings.duration("mpsecrets.cache.ttl", CachePolicy.DEFAULT.ttl())),
                settings.duration(
                        prefix + "max-stale",
                        settings.duration("mpsecrets.cache.max-stale", CachePolicy.DEFAULT.maxStale())),
                CachePolicy.DEFAULT.backoffBase(),
                CachePolicy.DEFAULT.backoffMax(),
                CommonSettings.rotationGrace(settings));
    }

    private static SecretId id(String setting, String text) {
        if (text.contains("}") || text.contains("${")) {
            throw new ConfigurationException(
                    setting + " lists a secret id with '}' or '${', which references cannot hold");
        }
        try {
            SecretId id = SecretId.parse(text);
            if (id.field() != null) {
                throw new ConfigurationException(setting + " lists '" + text
                        + "' with a #field: list whole secrets; their fields all become properties");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting + " lists a bad secret id: " + e.getMessage());
        }
    }
}
