package io.mpsecrets.rotation;

import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.SecretCache;
import java.time.Duration;
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

        /** A check of this secret failed; the cached value stays in service. */
        void checkFailed(SecretCache.Key key, SecretException failure);

        /** A check of this secret succeeded: its store answered. */
        default void checkSucceeded(SecretCache.Key key) {}
    }

    private final SecretCache cache;
    private final Stores stores;
    private final Duration interval;
    private boolean checkedOnce;
    private final ScheduledExecutorService executor;
    private final Set<SecretCache.Key> failing = ConcurrentHashMap.newKeySet();

    private RotationWatcher(SecretCache cache, Stores stores, Duration interval, String application) {
        this.cache = cache;
        this.stores = stores;
        this.interval = interval;
        this.executor = DaemonScheduler.start("mpsecrets-rotation-" + application);
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

    /** One round: every cached secret whose store is open. */
    public void poll() {
        for (SecretCache.Key key : cache.keys()) {
            if (key.id().versionId() != null || Thread.currentThread().isInterrupted()) {
                continue; // a pinned version never changes
            }
            Optional<io.mpsecrets.api.SecretStore> store = stores.store(key.store());
            if (store.isEmpty()) {
                continue;
            }
            try {
                Optional<String> current = store.get().currentVersion(key.id());
                Optional<String> cached = cache.peek(key).flatMap(CachedSecret::version);
                if (current.isPresent() && !Objects.equals(current, cached)) {
                    SecretValue value = store.get().fetch(key.id());
                    cache.replace(key, value, stores.policy(key.store()));
                } else if (current.isPresent()) {
                    // Confirmed current: fresh for another TTL, so that the TTL does not ask the store again.
                    cache.renew(key, current.get(), stores.policy(key.store()));
                }
                failing.remove(key);
                stores.checkSucceeded(key);
            } catch (SecretException e) {
                if (failing.add(key)) {
                    stores.checkFailed(key, e);
                }
            }
        }
        cache.zeroRetired();
    }

    public Duration interval() {
        return interval;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
