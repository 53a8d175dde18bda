package io.mpsecrets.tls;

import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.Auditor;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.runtime.StoreSecrets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The TLS materials of one application (one runtime): each loaded on first use, then read again every
 * {@code mpsecrets.tls.<name>.refresh} and at once when a secret it is made of rotates (a {@link SecretRotated} for
 * one of its properties, from the rotation watcher or a store that moves its secrets on by itself), on one daemon
 * thread. Closed with the runtime.
 */
public final class TlsMaterials implements AutoCloseable {

    /** The settings that make a name a TLS material. */
    private static final Pattern MATERIAL =
            Pattern.compile("mpsecrets\\.tls\\.([A-Za-z0-9_-]+)\\.(key|certificate|trust|directory|vault-pki)");

    private static final Map<SecretsRuntime, TlsMaterials> BY_RUNTIME =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final Function<String, Optional<String>> config;
    private final TlsMaterial.StoreReader stores;
    private final Auditor auditor;
    private final String application;
    private final Clock clock;
    private final ConcurrentHashMap<String, TlsMaterial> materials = new ConcurrentHashMap<>();
    private volatile ScheduledThreadPoolExecutor scheduler;
    private boolean closed;

    TlsMaterials(
            Function<String, Optional<String>> config,
            TlsMaterial.StoreReader stores,
            Auditor auditor,
            String application,
            Clock clock) {
        this.config = config;
        this.stores = stores;
        this.auditor = auditor;
        this.application = application;
        this.clock = clock;
        if (auditor != null) {
            auditor.observe(this::observe);
        }
    }

    /**
     * The TLS materials of a config's application.
     *
     * @throws ConfigurationException when mp-secrets is not installed in that config
     */
    public static TlsMaterials of(Config config) {
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config)
                .orElseThrow(() -> new ConfigurationException(
                        "TLS materials need mp-secrets in the application's config (its interceptors or portable "
                                + "source): see docs/servers.md"));
        synchronized (BY_RUNTIME) {
            TlsMaterials materials = BY_RUNTIME.get(runtime);
            if (materials == null) {
                Function<String, Optional<String>> lookup = name -> config.getOptionalValue(name, String.class);
                StoreSecrets secrets = runtime.stores();
                materials = new TlsMaterials(
                        lookup,
                        (property, reference) -> secrets.value(property, reference, new Settings(lookup)),
                        runtime.auditor(),
                        runtime.settings().application(),
                        Clock.systemUTC());
                runtime.onClose(materials);
                BY_RUNTIME.put(runtime, materials);
            }
            return materials;
        }
    }

    /** The TLS materials of a runtime, if any were asked for. */
    public static Optional<TlsMaterials> ofRuntime(SecretsRuntime runtime) {
        return Optional.ofNullable(BY_RUNTIME.get(runtime));
    }

    /** The names of the materials a config sets ({@code mpsecrets.tls.<name>.key}, {@code .directory}, ...). */
    public static SortedSet<String> configuredNames(Config config) {
        SortedSet<String> names = new TreeSet<>();
        for (String property : config.getPropertyNames()) {
            Matcher matcher = MATERIAL.matcher(property);
            if (matcher.matches()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /**
     * The material called {@code name}, loaded and checked on first use and kept current from then on.
     *
     * @throws io.mpsecrets.api.exception.SecretException naming the material when it cannot be loaded or fails its
     *         checks (nothing is kept then: the next call tries again)
     */
    public TlsMaterial material(String name) {
        TlsMaterial existing = materials.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the application's TLS materials were closed");
            }
            existing = materials.get(name);
            if (existing != null) {
                return existing;
            }
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigurationException("a TLS material's name is letters, digits, '-' and '_': " + name);
            }
            TlsMaterial material = new TlsMaterial(name, config, stores, auditor, clock);
            material.refresh(); // throws: no material is kept that never passed
            Duration interval = material.refreshInterval();
            if (scheduler == null) {
                scheduler = DaemonScheduler.start("mpsecrets-tls-" + application);
            }
            scheduler.scheduleWithFixedDelay(
                    () -> refreshQuietly(material), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            materials.put(name, material);
            return material;
        }
    }

    /** The materials loaded so far. */
    public List<TlsMaterial> loaded() {
        return List.copyOf(
                new TreeSet<>(materials.keySet()).stream().map(materials::get).toList());
    }

    /** Refreshes every loaded material now, on the calling thread (tests, operators' tools). */
    public void refreshAll() {
        materials.values().forEach(TlsMaterials::refreshQuietly);
    }

    private static void refreshQuietly(TlsMaterial material) {
        try {
            material.refresh();
        } catch (RuntimeException e) {
            // refresh() throws only before the first load; later refusals are audited and kept in its state
        }
    }

    /** A secret a material is made of rotated: that material is read again now, on the TLS thread. */
    private void observe(SecretEvent event) {
        if (!(event instanceof SecretRotated) || event.ref().property() == null) {
            return;
        }
        String property = event.ref().property();
        if (!property.startsWith(TlsMaterial.PREFIX)) {
            return;
        }
        String rest = property.substring(TlsMaterial.PREFIX.length());
        int dot = rest.indexOf('.');
        TlsMaterial material = dot < 0 ? null : materials.get(rest.substring(0, dot));
        // No lock here: the event may come from a thread a loading material waits for (a store's fetch).
        ScheduledThreadPoolExecutor current = scheduler;
        if (material != null && current != null) {
            try {
                current.execute(() -> refreshQuietly(material));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        synchronized (BY_RUNTIME) {
            BY_RUNTIME.values().remove(this);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        materials.values().forEach(TlsMaterial::close);
        materials.clear();
    }
}
