package io.mpsecrets.jdbc;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretChanges;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stores one datasource reads its credentials from, each opened on first use through its
 * {@link SecretStoreFactory} (found with {@link ServiceLoader} in this jar's class loader, then the thread's), with
 * its settings from {@link JdbcSettings}. A store that moves its secrets on by itself (a Vault lease re-issued) reports
 * it through {@link BackendContext#changes()}, which here marks the credentials for fetching again.
 */
final class SecretStores implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.jdbc");

    private final JdbcSettings settings;
    private final Consumer<SecretId> changed;
    private final Map<String, SecretStore> open = new LinkedHashMap<>();
    private boolean closed;

    SecretStores(JdbcSettings settings, Consumer<SecretId> changed) {
        this.settings = settings;
        this.changed = changed;
    }

    /**
     * The store named {@code name}, opened now if it is not yet.
     *
     * @throws ConfigurationException when no store or two stores of that name are on the class path, or its settings
     *     are wrong
     */
    synchronized SecretStore store(String name) {
        if (closed) {
            throw new ConfigurationException("the datasource was closed");
        }
        SecretStore store = open.get(name);
        if (store == null) {
            store = factory(name).create(context(name));
            open.put(name, store);
        }
        return store;
    }

    private static SecretStoreFactory factory(String name) {
        List<SecretStoreFactory> found = new ArrayList<>();
        List<Class<?>> seen = new ArrayList<>();
        for (ClassLoader loader : loaders()) {
            for (SecretStoreFactory factory : ServiceLoader.load(SecretStoreFactory.class, loader)) {
                if (factory.name().equals(name) && !seen.contains(factory.getClass())) {
                    seen.add(factory.getClass());
                    found.add(factory);
                }
            }
        }
        if (found.isEmpty()) {
            throw new ConfigurationException("no secret store named " + name + " on the class path: put its jar"
                    + " (mpsecrets-" + name + ") beside mpsecrets-jdbc");
        }
        if (found.size() > 1) {
            throw new ConfigurationException("two secret stores are named " + name + " on the class path");
        }
        return found.get(0);
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(SecretStores.class.getClassLoader());
        ClassLoader thread = Thread.currentThread().getContextClassLoader();
        if (thread != null && thread != loaders.get(0)) {
            loaders.add(thread);
        }
        return loaders;
    }

    private BackendContext context(String name) {
        String prefix = CommonSettings.storePrefix(name);
        SecretChanges changes = new SecretChanges() {
            @Override
            public void changed(SecretId id) {
                SecretStores.this.changed.accept(id);
            }

            @Override
            public void failed(SecretId id, SecretException failure) {
                LOG.log(
                        Level.WARNING,
                        () -> "mp-secrets: keeping " + name + "::" + id.path() + " current failed (" + failure.reason()
                                + "); the credentials in service stay in service");
            }
        };
        return new BackendContext() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String prefix() {
                return prefix;
            }

            @Override
            public Optional<String> setting(String setting) {
                return settings.setting(setting);
            }

            @Override
            public Settings settings() {
                return settings.typed();
            }

            @Override
            public Map<String, String> environment() {
                return settings.environment();
            }

            @Override
            public String application() {
                return settings.setting("mpsecrets.app").orElse("default");
            }

            @Override
            public SecretChanges changes() {
                return changes;
            }
        };
    }

    /** Closes the stores opened: a Vault store revokes its leases unless its settings keep them. */
    @Override
    public void close() {
        List<SecretStore> stores;
        synchronized (this) {
            closed = true;
            stores = List.copyOf(open.values());
            open.clear();
        }
        for (SecretStore store : stores) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        () -> "mp-secrets: closing the store " + store.name() + " failed: "
                                + e.getClass().getName());
            }
        }
    }
}
