package io.mpsecrets.config;

import io.mpsecrets.backend.Backends;
import io.mpsecrets.runtime.SecretsRuntime;
import java.lang.ref.WeakReference;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * Finds the {@link ConfigBinding} of a config. Why a process-wide map reached through a reserved config name: SmallRye
 * Config 3.3 (Open Liberty's) builds each interceptor and config source factory from {@code ServiceLoader} as a
 * separate instance and gives them, and a CDI extension, no shared object per config; the only thing they can
 * exchange is config values, which are strings. So the marker registers its config's binding here under a random
 * id and answers {@link #LOOKUP} with that id; the resolver, the store config source factory, the CDI extension and
 * tools look it up. Entries are weak: a binding lives as long as its config's interceptors do.
 */
public final class ConfigRegistry {

    /** A reserved config name no config source can hold: the marker answers it with the config's binding id. */
    static final String LOOKUP = SecretTag.START + "mpsecrets-runtime" + SecretTag.END;

    private static final ConcurrentHashMap<String, WeakReference<ConfigBinding>> BINDINGS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConfigRegistry() {}

    static ConfigBinding register(Backends backends) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        ConfigBinding binding = new ConfigBinding(HexFormat.of().formatHex(bytes), backends);
        BINDINGS.values().removeIf(ref -> ref.get() == null);
        BINDINGS.put(binding.id(), new WeakReference<>(binding));
        return binding;
    }

    static Optional<ConfigBinding> find(String id) {
        WeakReference<ConfigBinding> ref = id == null ? null : BINDINGS.get(id);
        return Optional.ofNullable(ref == null ? null : ref.get());
    }

    /** The binding of a config, found through its marker. Empty when mp-secrets is not installed in it. */
    static Optional<ConfigBinding> of(Config config) {
        org.eclipse.microprofile.config.ConfigValue id = config.getConfigValue(LOOKUP);
        return id == null ? Optional.empty() : find(id.getValue());
    }

    /** The runtime of a config. Empty when mp-secrets' interceptors are not installed in it. */
    public static Optional<SecretsRuntime> runtimeOf(Config config) {
        return of(config).map(ConfigBinding::runtime);
    }
}
