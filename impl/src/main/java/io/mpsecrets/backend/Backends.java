package io.mpsecrets.backend;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The backends on a class path: every {@link KeyManagementServiceFactory} and {@link SecretStoreFactory} that
 * {@link ServiceLoader} finds, by name. Finding one uses nothing: the runtime, the CLI, validation and the inventory
 * ask this one registry for a backend by the name configuration gives, and only a KMS that {@code mpsecrets.kms}
 * enables is ever built (a jar planted on the class path receives no key). Two backends of one kind with the same
 * name are refused when that name is used, naming both classes, rather than one silently winning.
 */
public final class Backends {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.backend");

    private final Map<String, List<KeyManagementServiceFactory>> kms;
    private final Map<String, List<SecretStoreFactory>> stores;

    private Backends(Map<String, List<KeyManagementServiceFactory>> kms, Map<String, List<SecretStoreFactory>> stores) {
        this.kms = kms;
        this.stores = stores;
    }

    /**
     * Finds the factories registered in {@code META-INF/services} that {@code loader} (the application's) sees, and
     * those mp-secrets' own class loader sees. Both, because a server may build an application's config on a thread
     * whose context class loader is its own (WildFly does): mp-secrets in WEB-INF/lib then still finds the backends
     * beside it, and mp-secrets installed in the server (a shared library, a global module) finds those installed
     * with it. A factory class both loaders see (by name) counts once, the application's first.
     */
    public static Backends discover(ClassLoader loader) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        if (loader != null) {
            loaders.add(loader);
        }
        loaders.add(Backends.class.getClassLoader());
        List<KeyManagementServiceFactory> kms = new ArrayList<>();
        List<SecretStoreFactory> stores = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassLoader from : loaders) {
            load(KeyManagementServiceFactory.class, from).stream()
                    .filter(f -> seen.add(f.getClass().getName()))
                    .forEach(kms::add);
            load(SecretStoreFactory.class, from).stream()
                    .filter(f -> seen.add(f.getClass().getName()))
                    .forEach(stores::add);
        }
        return of(kms, stores);
    }

    /** A registry of exactly these factories (tests, tools). */
    public static Backends of(
            Collection<? extends KeyManagementServiceFactory> kms, Collection<? extends SecretStoreFactory> stores) {
        return new Backends(byName(kms, KeyManagementServiceFactory::name), byName(stores, SecretStoreFactory::name));
    }

    private static <T> List<T> load(Class<T> type, ClassLoader loader) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return found;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                // A broken or foreign registration (another copy of mp-secrets' api, say) is skipped; a name that
                // configuration uses and no factory serves then fails clearly where it is used.
                LOG.warning("mp-secrets: skipping a " + type.getSimpleName() + " that cannot be loaded: "
                        + e.getClass().getSimpleName());
            }
        }
    }

    private static <T> Map<String, List<T>> byName(Collection<? extends T> factories, Function<T, String> name) {
        Map<String, List<T>> out = new TreeMap<>();
        for (T factory : factories) {
            out.computeIfAbsent(name.apply(factory), n -> new ArrayList<>()).add(factory);
        }
        out.replaceAll((n, list) -> List.copyOf(list));
        return Collections.unmodifiableMap(out);
    }

    /** Names of the KMSs found, sorted. */
    public Set<String> kmsNames() {
        return kms.keySet();
    }

    /** Names of the stores found, sorted. */
    public Set<String> storeNames() {
        return stores.keySet();
    }

    /** Each store's declared settings (relative to its prefix), by name; two of one name declare both sets. */
    public Map<String, Set<String>> storeSettingNames() {
        return settingNames(stores, SecretStoreFactory::settingNames);
    }

    /** Each KMS's declared settings (relative to its prefix), by name. */
    public Map<String, Set<String>> kmsSettingNames() {
        return settingNames(kms, KeyManagementServiceFactory::settingNames);
    }

    private static <T> Map<String, Set<String>> settingNames(
            Map<String, List<T>> byName, Function<T, Set<String>> declared) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        byName.forEach((name, factories) -> {
            Set<String> names = new java.util.TreeSet<>();
            factories.forEach(factory -> names.addAll(declared.apply(factory)));
            out.put(name, Set.copyOf(names));
        });
        return out;
    }

    public boolean hasStore(String name) {
        return stores.containsKey(name);
    }

    /**
     * The store factory called {@code name}.
     *
     * @throws ConfigurationException naming {@code where} (the setting or reference that named it) when no store of
     *         that name is on the class path, or more than one is
     */
    public SecretStoreFactory store(String name, String where) {
        return one(stores, name, "secret store", where);
    }

    /**
     * Builds the store called {@code name} with {@code context}.
     *
     * @throws ConfigurationException as {@link #store} does, or when the store's settings are wrong
     */
    public StoreBackend openStore(String name, String where, BackendContext context) {
        SecretStoreFactory factory = store(name, where);
        SecretStore store = build("secret store", name, () -> factory.create(context));
        return new StoreBackend(Guarded.store(store), factory.capabilities(context));
    }

    /** The KMS factory called {@code name}; throws as {@link #store} does. */
    public KeyManagementServiceFactory kms(String name, String where) {
        return one(kms, name, "key management service", where);
    }

    /** The found KMS factories whose key ids look like {@code keyId}, enabled or not. Never builds one. */
    public List<KeyManagementServiceFactory> kmsSupporting(String keyId) {
        List<KeyManagementServiceFactory> out = new ArrayList<>();
        for (List<KeyManagementServiceFactory> named : kms.values()) {
            for (KeyManagementServiceFactory factory : named) {
                if (supports(factory, keyId)) {
                    out.add(factory);
                }
            }
        }
        return out;
    }

    static boolean supports(KeyManagementServiceFactory factory, String keyId) {
        try {
            return factory.supports(keyId);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A registry of the KMSs {@code enabled} names (each built on first use with the context {@code contexts}
     * gives), which routes a key id to the one enabled KMS that supports it.
     *
     * @throws ConfigurationException when a name has no KMS, naming it and the ones found
     */
    public KmsRegistry kmsRegistry(Collection<String> enabled, Function<String, BackendContext> contexts) {
        KmsRegistry.Builder builder = KmsRegistry.builder(this);
        for (String name : new TreeSet<>(enabled)) {
            KeyManagementServiceFactory factory = kms(name, "mpsecrets.kms");
            builder.add(
                    name,
                    keyId -> supports(factory, keyId),
                    () -> Guarded.kms(
                            build("key management service", name, () -> factory.create(contexts.apply(name)))));
        }
        return builder.build();
    }

    /** A backend built by its factory; an unexpected failure to build is a configuration error naming it. */
    private static <T> T build(String kind, String name, java.util.function.Supplier<T> create) {
        try {
            return create.get();
        } catch (io.mpsecrets.api.exception.SecretException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException("the " + kind + " '" + name + "' could not be built from its settings ("
                    + e.getClass().getName() + ")");
        }
    }

    private static <T> T one(Map<String, List<T>> byName, String name, String kind, String where) {
        List<T> found = byName.get(name);
        if (found == null) {
            throw new ConfigurationException(
                    where + " names the " + kind + " '" + name + "', which is not on the class path" + " (found: "
                            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")");
        }
        if (found.size() > 1) {
            throw new ConfigurationException("more than one " + kind + " is called '" + name + "' ("
                    + found.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "))
                    + "); remove all but one from the class path");
        }
        return found.get(0);
    }

    @Override
    public String toString() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kms", kms.keySet());
        out.put("stores", stores.keySet());
        return "Backends" + out;
    }
}
