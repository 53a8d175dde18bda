package io.mpsecrets.cache;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.exception.SecretException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Secrets fetched from stores, per application, by store and secret id (whole secrets: fields are read from a
 * cached secret). A fresh entry is served from memory; an expired one is fetched again by one caller while the
 * others keep the old value (single flight; a cold secret asked by 100 threads is fetched once). When a store fails
 * with a transient error after start-up, the last good value is served for up to {@link CachePolicy#maxStale()}
 * past its TTL, the store is asked again only after a jittered exponential backoff, and the listener hears of it
 * once per outage. Denials and missing secrets are never papered over. A value with an expiry
 * ({@link SecretValue#expiresAt()}: a lease, a credential rotated on a schedule) is fresh no longer than its expiry,
 * and never served after it, not even stale: the next read fetches it again, and fails if the store does.
 * {@link #close()} zeroes every value.
 */
public final class SecretCache implements AutoCloseable {

    /** A whole secret in a store. */
    public record Key(String store, SecretId id) {
        public Key {
            Objects.requireNonNull(store, "store");
            id = id.withoutField();
        }

        // Written out, as SecretId's: a record's generated ones cost tens of milliseconds at start-up.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && store.equals(other.store) && id.equals(other.id);
        }

        @Override
        public int hashCode() {
            return store.hashCode() * 31 + id.hashCode();
        }
    }

    /** Told about fetches, rotations and failures, to audit them. */
    public interface Listener {
        void fetched(Key key, SecretValue value, String property);

        /** A refresh or replacement brought a new version. */
        default void rotated(Key key, String previousVersion, String newVersion) {}

        void failed(Key key, SecretException failure, boolean servedStale, String property);
    }

    private static final Duration CENTURY = Duration.ofDays(36_525);

    /** A replaced value, zeroed once its grace period is over. */
    private record Retired(CachedSecret secret, long zeroAt) {}

    private final java.util.concurrent.ConcurrentLinkedQueue<Retired> retired =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final Listener listener;

    public SecretCache(Ticker ticker, Listener listener) {
        this.ticker = ticker;
        this.listener = listener;
    }

    /**
     * The secret for {@code key}: from memory while fresh, else from {@code fetch}.
     *
     * @param property the property being read, for audit (may be null)
     */
    public CachedSecret get(Key key, CachePolicy policy, Supplier<SecretValue> fetch, String property) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        long now = ticker.nanos();
        CachedSecret current = entry.current;
        if (current != null && now - current.freshUntil() < 0) {
            return current;
        }
        CompletableFuture<CachedSecret> mine;
        CompletableFuture<CachedSecret> running;
        synchronized (entry) {
            current = entry.current;
            if (current != null && now - current.freshUntil() < 0) {
                return current;
            }
            running = entry.refreshing;
            SecretException lastFailure = entry.lastFailure;
            if (running == null && current != null && lastFailure != null && now - entry.retryAt < 0) {
                return staleOrThrow(entry, lastFailure, current, now, policy, key, property);
            }
            if (running == null) {
                mine = new CompletableFuture<>();
                entry.refreshing = mine;
            } else {
                mine = null;
            }
        }
        if (mine == null) {
            if (current != null && current.usableAt(now)) {
                // Someone else is refreshing: the value whose TTL just ran out is still good for this read.
                return current;
            }
            return join(running);
        }
        return refresh(key, entry, policy, fetch, property, mine, current, now);
    }

    private CachedSecret refresh(
            Key key,
            Entry entry,
            CachePolicy policy,
            Supplier<SecretValue> fetch,
            String property,
            CompletableFuture<CachedSecret> mine,
            CachedSecret previous,
            long now) {
        SecretValue value;
        try {
            value = fetch.get();
        } catch (SecretException failure) {
            synchronized (entry) {
                entry.failures++;
                entry.lastFailure = failure;
                entry.retryAt = ticker.nanos() + backoffNanos(policy, entry.failures);
                entry.refreshing = null;
            }
            mine.completeExceptionally(failure);
            if (previous != null) {
                return staleOrThrow(entry, failure, previous, now, policy, key, property);
            }
            forgetIfEmpty(key, entry);
            listener.failed(key, failure, false, property);
            throw failure;
        } catch (RuntimeException unexpected) {
            synchronized (entry) {
                entry.refreshing = null;
            }
            mine.completeExceptionally(unexpected);
            throw unexpected;
        }
        CachedSecret fresh = cached(value, ticker.nanos(), policy);
        synchronized (entry) {
            entry.current = fresh;
            entry.failures = 0;
            entry.lastFailure = null;
            entry.staleReported = false;
            entry.refreshing = null;
        }
        mine.complete(fresh);
        listener.fetched(key, value, property);
        swapped(key, previous, fresh, policy);
        return fresh;
    }

    /**
     * The stale value while the failure allows it, else the failure. {@code failure} is the one this reader saw
     * under the entry's lock: the entry's own field may be cleared meanwhile by a replacement.
     */
    private CachedSecret staleOrThrow(
            Entry entry,
            SecretException failure,
            CachedSecret stale,
            long now,
            CachePolicy policy,
            Key key,
            String property) {
        boolean withinStaleWindow =
                now - (stale.freshUntil() + policy.maxStale().toNanos()) <= 0 && stale.usableAt(now);
        if (failure.reason().transientFailure() && withinStaleWindow) {
            boolean report;
            synchronized (entry) {
                report = !entry.staleReported;
                entry.staleReported = true;
            }
            if (report) {
                listener.failed(key, failure, true, property);
            }
            return stale;
        }
        listener.failed(key, failure, false, property);
        throw failure;
    }

    /**
     * An entry that never held a value serves no reader (back-off applies to stale values only): it goes, so that
     * ids that never resolve (a typo, a config value that keeps changing) do not pile up in memory.
     */
    private void forgetIfEmpty(Key key, Entry entry) {
        synchronized (entry) {
            if (entry.current == null && entry.refreshing == null) {
                entries.remove(key, entry);
            }
        }
    }

    private static long backoffNanos(CachePolicy policy, int failures) {
        return new Backoff(policy.backoffBase(), policy.backoffMax()).nanos(failures);
    }

    private static CachedSecret join(CompletableFuture<CachedSecret> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * {@code value} as cached at {@code now}: fresh for the policy's TTL, or until its expiry if that is sooner. The
     * expiry, a wall-clock instant, is brought onto the ticker's scale once, here.
     */
    private static CachedSecret cached(SecretValue value, long now, CachePolicy policy) {
        long freshUntil = now + policy.ttl().toNanos();
        Optional<Instant> expiry = value.expiresAt();
        if (expiry.isEmpty()) {
            return new CachedSecret(value, freshUntil);
        }
        return new CachedSecret(value, freshUntil, true, now + nanosUntil(expiry.get()));
    }

    /** Nanoseconds from now until {@code instant}, within a century either way (no overflow on far instants). */
    private static long nanosUntil(Instant instant) {
        Instant now = Instant.now();
        if (instant.isAfter(now.plus(CENTURY))) {
            return CENTURY.toNanos();
        }
        if (instant.isBefore(now.minus(CENTURY))) {
            return -CENTURY.toNanos();
        }
        return Duration.between(now, instant).toNanos();
    }

    /** Stores values fetched together at start-up (a batch call), fresh from now, and reports each fetch. */
    public void putAll(String store, Map<SecretId, SecretValue> values, CachePolicy policy) {
        long now = ticker.nanos();
        values.forEach((id, value) -> {
            Key key = new Key(store, id);
            Entry entry = entries.computeIfAbsent(key, k -> new Entry());
            synchronized (entry) {
                entry.current = cached(value, now, policy);
            }
            listener.fetched(key, value, null);
        });
    }

    /** Replaces a value now (the rotation watcher saw a new version); returns the one it replaced. */
    public Optional<CachedSecret> replace(Key key, SecretValue value, CachePolicy policy) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        CachedSecret previous;
        CachedSecret fresh = cached(value, ticker.nanos(), policy);
        synchronized (entry) {
            previous = entry.current;
            entry.current = fresh;
            entry.failures = 0;
            entry.lastFailure = null;
            entry.staleReported = false;
        }
        swapped(key, previous, fresh, policy);
        return Optional.ofNullable(previous);
    }

    /**
     * The store says {@code version} is still the current one (a rotation check): a cached value of that version
     * stays fresh for another TTL (never past its expiry), so that its TTL does not ask the store again. Nothing
     * changes when the cache holds another version by now, or a refresh is under way.
     */
    public void renew(Key key, String version, CachePolicy policy) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            CachedSecret current = entry.current;
            if (current != null && entry.refreshing == null && current.version().equals(Optional.of(version))) {
                entry.current = current.freshUntil(ticker.nanos() + policy.ttl().toNanos());
            }
        }
    }

    /**
     * A rotation check was refused (denied, not found): the cached value is fresh no longer, so the next read asks
     * the store and fails closed when the store refuses it too, instead of serving the value until its TTL runs out.
     * A read that the store answers gets the value back; a reader mid-request keeps what it holds.
     */
    public void expire(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            CachedSecret current = entry.current;
            long now = ticker.nanos();
            if (current != null && entry.refreshing == null && current.freshAt(now)) {
                entry.current = current.freshUntil(now);
            }
        }
    }

    /**
     * After a swap: report a new version, and retire the old value. It is not zeroed at once: a reader may hold it
     * mid-request; it is zeroed after the policy's grace period.
     */
    private void swapped(Key key, CachedSecret previous, CachedSecret fresh, CachePolicy policy) {
        if (previous == null) {
            return;
        }
        String before = previous.version().orElse(null);
        String after = fresh.version().orElse(null);
        if (!java.util.Objects.equals(before, after)) {
            listener.rotated(key, before, after);
        }
        retired.add(new Retired(previous, ticker.nanos() + policy.grace().toNanos()));
        zeroRetired();
    }

    /** Zeroes retired values whose grace period is over. */
    public void zeroRetired() {
        long now = ticker.nanos();
        retired.removeIf(r -> {
            if (now - r.zeroAt() >= 0) {
                r.secret().value().destroy();
                return true;
            }
            return false;
        });
    }

    public Optional<CachedSecret> peek(Key key) {
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.current);
    }

    public Collection<Key> keys() {
        return java.util.List.copyOf(entries.keySet());
    }

    /** Zeroes and forgets every value. */
    @Override
    public void close() {
        retired.forEach(r -> r.secret().value().destroy());
        retired.clear();
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                if (entry.current != null) {
                    entry.current.value().destroy();
                    entry.current = null;
                }
            }
        }
        entries.clear();
    }

    private static final class Entry {
        volatile CachedSecret current;
        CompletableFuture<CachedSecret> refreshing;
        int failures;
        long retryAt;
        SecretException lastFailure;
        boolean staleReported;
    }
}
