package io.mpsecrets.rotation;

import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.SecretCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Polls each cached store secret's current version cheaply (Secrets Manager DescribeSecret, Vault KV metadata, a
 * file's content hash) every interval, a little early by a random jitter so instances do not poll in step; on a
 * new version it fetches the secret and swaps it into the cache atomically, which reports the rotation. One daemon
 * thread per application, named, carrying the application's class loader, stopped by {@link #close()}.
 */
public final class RotationWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.rotation");

    /** What the watcher needs of a store: its store and cache policy, if the application opened it. */
    public interface Stores {
        Optional<io.mpsecrets.api.SecretStore> store(String store);

        CachePolicy policy(String store);

        /**
         * A check of this secret failed: after a transient failure the cached value stays in service; after a
         * refusal it has been made stale, and the next read asks the store.
         */
        void checkFailed(SecretCache.Key key, SecretException failure);

        /** A check of this secret succeeded: its store answered. */
        default void checkSucceeded(SecretCache.Key key) {}

        /**
         * Whether this store tells many secrets' versions in one call ({@code BATCH_VERSIONS}): its secrets are then
         * checked together, each confirmed one by one only when the batch says it changed or does not name it.
         */
        default boolean batched(String store) {
            return false;
        }
    }

    private final SecretCache cache;
    private final Stores stores;
    private final Duration interval;
    private boolean checkedOnce;
    private final ScheduledExecutorService executor;
    private final Set<SecretCache.Key> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> batchFailing = ConcurrentHashMap.newKeySet();
    /**
     * Per batched store, the share of rounds that ask the batch call, and the credit that spends it (a round asks
     * when the credit reaches one). A throttled batch call halves the share, down to {@link #MIN_BATCH_SHARE}; one
     * answered adds {@link #BATCH_SHARE_STEP}: a fleet whose rounds ask a listing more often than its quota answers
     * (50,000 instances x one {@code ListSecrets} per 270 s is 185 a second, against 100) settles near the quota
     * instead of being throttled on every other round; the rounds that do not list check each secret by itself, so
     * freshness does not change (docs/scale.md).
     */
    private final Map<String, double[]> batchShares = new ConcurrentHashMap<>();

    static final double MIN_BATCH_SHARE = 1.0 / 16;
    static final double BATCH_SHARE_STEP = 1.0 / 32;
    /** Batched rounds run, to take each store's secrets in turn as the one asked by itself. */
    private final java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();

    private RotationWatcher(SecretCache cache, Stores stores, Duration interval, String application) {
        this.cache = cache;
        this.stores = stores;
        this.interval = interval;
        this.executor = application == null ? null : DaemonScheduler.start("mpsecrets-rotation-" + application);
    }

    /**
     * A watcher without a thread, whose rounds the caller runs with {@link #poll()} (the fleet simulator, on its
     * virtual clock, with {@link #delayNanos} for the waits between them).
     */
    public static RotationWatcher manual(SecretCache cache, Stores stores, Duration interval) {
        return new RotationWatcher(cache, stores, interval, null);
    }

    /** Starts watching; the first check is at most one interval from now. */
    public static RotationWatcher start(SecretCache cache, Stores stores, Duration interval, String application) {
        RotationWatcher watcher = new RotationWatcher(cache, stores, interval, application);
        watcher.scheduleNext();
        return watcher;
    }

    /**
     * The wait before a check. The first one falls anywhere in the first interval, so that a fleet started together
     * does not poll together (10,000 instances with 50 secrets each would ask for 500,000 versions within the same
     * half second, twelve times Secrets Manager's quota for {@code DescribeSecret}); later ones follow one interval
     * apart, a little early by up to a tenth of it (at most 0.5 s), so that instances do not fall into step.
     */
    public static long delayNanos(Duration interval, boolean first, RandomGenerator random) {
        long nanos = interval.toNanos();
        if (first) {
            return random.nextLong(nanos) + 1;
        }
        return nanos - random.nextLong(Math.min(nanos / 10, TimeUnit.MILLISECONDS.toNanos(500)) + 1);
    }

    private void scheduleNext() {
        long delay = delayNanos(interval, !checkedOnce, ThreadLocalRandom.current());
        checkedOnce = true;
        try {
            executor.schedule(this::pollAndReschedule, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed meanwhile
        }
    }

    private void pollAndReschedule() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "mp-secrets: rotation check failed: " + e.getClass().getName());
        } finally {
            if (!executor.isShutdown()) {
                scheduleNext();
            }
        }
    }

    /**
     * One round: every cached secret whose store is open. A batched store's secrets are asked together: those whose
     * version the batch confirms stay fresh for another TTL; a changed one is confirmed with the per-secret call
     * before it is fetched (a batch answer may lag behind the store); one the batch does not name is checked by
     * itself, never taken as deleted or unchanged; one secret a round, in turn, is asked by itself whatever the batch
     * says, and a refusal there distrusts the batch for the round. When the batch call fails, nothing is renewed from
     * it: every secret of that store is checked by itself this round. A store whose batch call was throttled asks it
     * in fewer rounds (half as many per throttled call, one in 16 at least, a thirty-second more per answered one);
     * the other rounds check every secret by itself.
     */
    public void poll() {
        Map<String, List<SecretCache.Key>> batches = new LinkedHashMap<>();
        for (SecretCache.Key key : cache.keys()) {
            if (key.id().versionId() != null || Thread.currentThread().isInterrupted()) {
                continue; // a pinned version never changes
            }
            Optional<io.mpsecrets.api.SecretStore> store = stores.store(key.store());
            if (store.isEmpty()) {
                continue;
            }
            if (stores.batched(key.store())) {
                batches.computeIfAbsent(key.store(), s -> new ArrayList<>()).add(key);
            } else {
                check(key, store.get(), Optional.empty());
            }
        }
        batches.forEach((name, keys) -> stores.store(name).ifPresent(store -> checkTogether(store, keys)));
        cache.zeroRetired();
    }

    private void checkTogether(io.mpsecrets.api.SecretStore store, List<SecretCache.Key> keys) {
        Map<io.mpsecrets.api.SecretId, String> listed = Map.of();
        double[] share = batchShares.computeIfAbsent(store.name(), s -> new double[] {1, 0});
        share[1] += share[0];
        try {
            if (share[1] >= 1 - 1e-9) {
                share[1] -= 1;
                listed = store.currentVersions(
                        keys.stream().map(SecretCache.Key::id).toList());
                share[0] = Math.min(1, share[0] + BATCH_SHARE_STEP);
                batchFailing.remove(store.name());
            }
        } catch (SecretException e) {
            // Fail closed: no value is renewed on a batch that did not answer; each is asked by itself instead.
            listed = Map.of();
            if (e.reason() == io.mpsecrets.api.FailureReason.THROTTLED) {
                share[0] = Math.max(MIN_BATCH_SHARE, share[0] / 2);
            }
            if (batchFailing.add(store.name())) {
                LOG.log(
                        Level.WARNING,
                        "mp-secrets: the batched version check of store ''{0}'' failed ({1}); its secrets are checked"
                                + " one by one until it answers again",
                        new Object[] {store.name(), e.reason()});
            }
        }
        // One secret a round, in turn, is asked by itself even when listed: a listing answers for names, not for
        // this worker's right to read them, so a revoked permission (or a deleted secret) is seen within a round. A
        // refusal there distrusts the listing: every secret is then asked by itself this round.
        SecretCache.Key sentinel = keys.get(Math.floorMod(rounds.getAndIncrement(), keys.size()));
        SecretException refused = check(sentinel, store, Optional.empty());
        if (refused != null && !refused.reason().transientFailure()) {
            listed = Map.of();
        }
        for (SecretCache.Key key : keys) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (!key.equals(sentinel)) {
                check(key, store, Optional.ofNullable(listed.get(key.id())));
            }
        }
    }

    /**
     * Checks one secret: a version the batch gave that equals the cached one renews it without asking again; any
     * other case asks the store for this secret's version (a change the batch saw is confirmed that way).
     */
    private SecretException check(SecretCache.Key key, io.mpsecrets.api.SecretStore store, Optional<String> listed) {
        try {
            Optional<String> cached = cache.peek(key).flatMap(CachedSecret::version);
            Optional<String> current =
                    listed.isPresent() && listed.equals(cached) ? listed : store.currentVersion(key.id());
            if (current.isPresent() && !Objects.equals(current, cached)) {
                SecretValue value = store.fetch(key.id());
                cache.replace(key, value, stores.policy(key.store()));
            } else if (current.isPresent()) {
                // Confirmed current: fresh for another TTL, so that the TTL does not ask the store again.
                cache.renew(key, current.get(), stores.policy(key.store()));
            }
            failing.remove(key);
            stores.checkSucceeded(key);
            return null;
        } catch (SecretException e) {
            if (!e.reason().transientFailure()) {
                // Fail closed: a store that refuses the check (access revoked, secret deleted) is not outvoted by
                // the cached value's TTL; the next read asks the store and gets its refusal or its answer.
                cache.expire(key);
            }
            if (failing.add(key)) {
                stores.checkFailed(key, e);
            }
            return e;
        }
    }

    public Duration interval() {
        return interval;
    }

    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
