package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.Backends;
import io.mpsecrets.backend.StoreBackend;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.RevalidatingFetch;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.cache.StartupFetch;
import io.mpsecrets.cache.Ticker;
import io.mpsecrets.rotation.RotationWatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One application's store secrets: the stores it names (each built from its factory on first use, with its
 * settings), the cache they are served from, and the rotation watcher, started with the first store when
 * {@code mpsecrets.rotation.interval} is set. Reads are counted per property, and each secret remembers which
 * properties read it, so that a rotation names them.
 */
public final class StoreSecrets implements AutoCloseable {

    /** A store in use: its backend and cache policy. */
    public record OpenStore(String name, StoreBackend backend, CachePolicy policy) {
        public SecretStore store() {
            return backend.store();
        }

        public boolean can(SecretStore.Capability capability) {
            return backend.can(capability);
        }
    }

    private final Backends backends;
    private final Map<String, String> environment;
    private final String application;
    private final Optional<Duration> rotationInterval;
    private final Auditor auditor;
    private final Gate gate;
    private final CacheAuditing auditing;
    private final SecretCache cache;
    private final ConcurrentHashMap<String, OpenStore> stores = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SecretCache.Key, Set<String>> readers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> reads = new ConcurrentHashMap<>();
    private RotationWatcher watcher;
    /** Per store that tells many versions at once: the watcher whose batched checks stand in for its TTL refreshes. */
    private final Map<String, RotationWatcher> batchWatchers = new ConcurrentHashMap<>();

    /** Told of each store that answered a rotation check (health: a store that recovers while nothing reads). */
    private final Consumer<String> reachable;

    private final ServedValues served;

    StoreSecrets(
            Backends backends,
            Map<String, String> environment,
            String application,
            Optional<Duration> rotationInterval,
            Auditor auditor,
            Gate gate,
            Ticker ticker,
            Consumer<String> reachable,
            ServedValues served) {
        this.reachable = reachable;
        this.served = served;
        this.backends = backends;
        this.environment = environment;
        this.application = application;
        this.rotationInterval = rotationInterval;
        this.auditor = auditor;
        this.gate = gate;
        this.auditing = new CacheAuditing(auditor, key -> readers.getOrDefault(key, Set.of()));
        this.cache = new SecretCache(ticker, auditing);
    }

    /**
     * A store secret's current value (or field) for {@code property}, through the cache; {@code lookup} reads the
     * store's settings if it is not open yet.
     *
     * @throws SecretException naming the property, store and secret when it cannot be served (audited)
     */
    public String value(String property, SecretReference reference, Settings lookup) {
        SecretRef ref =
                new SecretRef(property, reference.store(), reference.id().toString(), null, null);
        SecretReads.read(property);
        gate.enter(property);
        try {
            OpenStore open;
            try {
                open = store(reference.store(), "the reference ${" + reference + "}", lookup);
            } catch (SecretException e) {
                // A store that cannot be opened (a login misconfigured, a setting missing) fails every read: each
                // is audited, as a failed fetch would be.
                throw failed(e, ref);
            }
            SecretId whole = reference.id().withoutField();
            SecretCache.Key key = new SecretCache.Key(reference.store(), whole);
            CachedSecret secret = cache.get(
                    key,
                    open.policy(),
                    () -> RevalidatingFetch.fetch(
                            cache, key, open.store(), open.can(SecretStore.Capability.ROTATION_CHECK)),
                    property);
            // After the read: a reference that never resolves leaves nothing behind (a config that changes keeps
            // no trail of every id it once named).
            readers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(property);
            String value;
            try {
                value = reference.id().field() == null
                        ? secret.text(ref)
                        : secret.field(reference.id().field(), ref);
            } catch (SecretException e) {
                // The fetch was audited as a success; that this value has no such field (or is not text) is not.
                throw failed(e, ref);
            }
            served.served(property, value);
            reads.computeIfAbsent(property, p -> new LongAdder()).increment();
            auditor.accessed(ref);
            return value;
        } catch (SecretException e) {
            throw e.ref().property() == null ? e.withProperty(property) : e;
        } finally {
            gate.exit();
        }
    }

    /** Audits a failure to serve {@code ref} and returns it, named after the property. */
    private SecretException failed(SecretException failure, SecretRef ref) {
        SecretException named = failure.ref().property() == null ? failure.withRef(ref) : failure;
        auditor.failed(named, false);
        return named;
    }

    /**
     * The store called {@code name}, built from its settings on first use; starts the rotation watcher if one is set.
     *
     * @param where what named the store, for the error when no such store is on the class path
     */
    public OpenStore store(String name, String where, Settings lookup) {
        OpenStore open = stores.get(name);
        if (open == null) {
            synchronized (stores) {
                open = stores.get(name);
                if (open == null) {
                    StoreBackend backend = backends.openStore(
                            name,
                            where,
                            StoreChanges.context(
                                    name,
                                    lookup.lookup(),
                                    environment,
                                    application,
                                    this::changed,
                                    this::changeFailed,
                                    auditor.backendEvents()));
                    open = new OpenStore(name, backend, StoreSettings.cachePolicy(name, lookup));
                    stores.put(name, open);
                    batchChecks(open)
                            .ifPresent(interval -> batchWatchers.put(
                                    name,
                                    RotationWatcher.start(
                                            cache, new WatchedStores(name), interval, application + "-" + name)));
                }
                if (watcher == null && rotationInterval.isPresent()) {
                    watcher =
                            RotationWatcher.start(cache, new WatchedStores(null), rotationInterval.get(), application);
                }
            }
        }
        return open;
    }

    /**
     * How often a store that tells many versions at once is checked, if it is: a tenth before the TTL or the rotation
     * interval, whichever is shorter, so that each round renews its secrets before their TTL runs out and no read
     * asks for a version by itself (one {@code ListSecrets} for 50 secrets instead of 50 {@code DescribeSecret}).
     * None for a store whose values are not cached.
     */
    private Optional<Duration> batchChecks(OpenStore open) {
        Duration ttl = open.policy().ttl();
        if (!open.can(SecretStore.Capability.BATCH_VERSIONS) || ttl.isZero()) {
            return Optional.empty();
        }
        return Optional.of(batchInterval(ttl, rotationInterval));
    }

    /** Nine tenths of the shorter of {@code ttl} and {@code rotation} (at least a millisecond). */
    public static Duration batchInterval(Duration ttl, Optional<Duration> rotation) {
        Duration shorter = rotation.filter(r -> r.compareTo(ttl) < 0).orElse(ttl);
        return Duration.ofNanos(Math.max(1_000_000L, shorter.toNanos() / 10 * 9));
    }

    /**
     * Fetches a store's listed secrets at start-up as {@link StartupFetch} decides (batches where the store has them,
     * single reads while batches are throttled, jittered backoff), for as long as the store answers within
     * {@code timeout}, and caches them fresh from now.
     *
     * @param progressed told each time the store answered
     */
    public Map<SecretId, SecretValue> fetchAtStartup(
            OpenStore open, List<SecretId> ids, Duration timeout, Runnable progressed) {
        Map<SecretId, SecretValue> values = StartupFetch.run(
                open.store(),
                ids,
                open.can(SecretStore.Capability.BATCH),
                StartupFetch.Policy.DEFAULT,
                timeout,
                Ticker.SYSTEM,
                TimeUnit.NANOSECONDS::sleep,
                progressed);
        cache.putAll(open.name(), values, open.policy());
        return values;
    }

    /** The cached version of a whole secret, if it was fetched. */
    public Optional<CachedSecret> peek(String store, SecretId id) {
        return cache.peek(new SecretCache.Key(store, id));
    }

    public SecretCache cache() {
        return cache;
    }

    /** Whether a rotation watcher thread is running. */
    public boolean watching() {
        synchronized (stores) {
            return watcher != null || !batchWatchers.isEmpty();
        }
    }

    /** Runs one rotation check now (tests, and operators' tools). */
    public void checkRotation() {
        List<RotationWatcher> current = new java.util.ArrayList<>();
        synchronized (stores) {
            if (watcher != null) {
                current.add(watcher);
            }
            current.addAll(batchWatchers.values());
        }
        current.forEach(RotationWatcher::poll);
    }

    /** How many times each store-backed property was read. */
    public Map<String, Long> readCounts() {
        Map<String, Long> out = new TreeMap<>();
        reads.forEach((property, count) -> out.put(property, count.sum()));
        return out;
    }

    /**
     * The stores as a rotation watcher sees them: open ones whose secrets can rotate; for the watcher of one store's
     * batched checks, that store alone, and for the application's watcher every other one.
     */
    private final class WatchedStores implements RotationWatcher.Stores {
        private final String only;

        WatchedStores(String only) {
            this.only = only;
        }

        @Override
        public Optional<SecretStore> store(String store) {
            boolean mine = only == null ? !batchWatchers.containsKey(store) : only.equals(store);
            return Optional.ofNullable(stores.get(store))
                    .filter(s -> mine && s.can(SecretStore.Capability.ROTATION_CHECK))
                    .map(OpenStore::store);
        }

        @Override
        public boolean batched(String store) {
            return only != null;
        }

        @Override
        public CachePolicy policy(String store) {
            OpenStore open = stores.get(store);
            return open == null ? CachePolicy.DEFAULT : open.policy();
        }

        @Override
        public void checkFailed(SecretCache.Key key, SecretException failure) {
            auditing.checkFailed(key, failure);
        }

        @Override
        public void checkSucceeded(SecretCache.Key key) {
            reachable.accept(key.store());
        }
    }

    /**
     * A store changed a secret by itself (a lease re-issued): it is fetched again and swapped in, which reports the
     * rotation to the properties that read it; a failure is audited as a failed check, the value in service staying.
     */
    private void changed(String store, SecretId id) {
        SecretCache.Key key = new SecretCache.Key(store, id.withoutField());
        OpenStore open = stores.get(store);
        if (open == null || cache.peek(key).isEmpty()) {
            return; // not served yet: the first read fetches the current value
        }
        try {
            cache.replace(key, open.store().fetch(key.id()), open.policy());
        } catch (SecretException e) {
            auditing.checkFailed(key, e);
        }
    }

    /** A store could not keep a secret current by itself (a lease renewal failed): audited, the value staying. */
    private void changeFailed(String store, SecretId id, SecretException failure) {
        auditing.checkFailed(new SecretCache.Key(store, id.withoutField()), failure);
    }

    /** Stops the watcher, closes the stores and zeroes every cached value. */
    @Override
    public void close() {
        List<RotationWatcher> stopping = new java.util.ArrayList<>();
        synchronized (stores) {
            if (watcher != null) {
                stopping.add(watcher);
            }
            watcher = null;
            stopping.addAll(batchWatchers.values());
            batchWatchers.clear();
        }
        stopping.forEach(RotationWatcher::close);
        // The stores first: one that moves its secrets on by itself (Vault's leases) stops doing so before the cache
        // is zeroed, so that no change it reports lands in a closed cache.
        stores.values().forEach(open -> open.store().close());
        readers.clear();
        reads.clear();
        cache.close();
        stores.clear();
    }
}
