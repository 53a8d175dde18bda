package io.mpsecrets.envelope;

import io.mpsecrets.api.DataKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.SecretKey;

/**
 * Unwrapped data keys by key id and wrapped bytes, so that N values sharing a data key cost one KMS call.
 * Bounded (least recently used goes first); an evicted or cleared key is zeroed. Concurrent misses for the same
 * wrapped key wait for one unwrap instead of each calling the KMS.
 */
public final class DataKeyCache implements AutoCloseable {

    /** Rounds of waiting on others' unwraps before a reader unwraps for itself. */
    private static final int MAX_ROUNDS = 3;

    private final int maxEntries;
    private final LinkedHashMap<CacheKey, DataKey> entries;
    private final ConcurrentHashMap<CacheKey, CompletableFuture<DataKey>> inFlight = new ConcurrentHashMap<>();

    public DataKeyCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<CacheKey, DataKey> eldest) {
                if (size() > DataKeyCache.this.maxEntries) {
                    eldest.getValue().destroy();
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * A JCA key for one operation with the data key that {@code unwrap} yields, unwrapping only on a miss. The
     * returned key is a copy made under the cache's lock, so a concurrent eviction cannot zero it mid-use.
     *
     * <p>A miss registers one unwrap in flight; concurrent misses for the same wrapped key wait for it. The unwrap
     * leaves the in-flight map before it completes, so a waiter that finds the key evicted again (a tiny cache under
     * pressure) starts a fresh unwrap instead of waiting on the finished one; after a few such rounds it unwraps for
     * itself without caching. No path recurses.
     */
    public SecretKey get(String keyId, byte[] wrappedKey, Supplier<DataKey> unwrap) {
        CacheKey key = new CacheKey(keyId, wrappedKey);
        for (int round = 0; ; round++) {
            SecretKey cached = lookup(key);
            if (cached != null) {
                return cached;
            }
            if (round == MAX_ROUNDS) {
                DataKey own = unwrap.get();
                try {
                    return own.secretKey();
                } finally {
                    own.destroy();
                }
            }
            CompletableFuture<DataKey> mine = new CompletableFuture<>();
            CompletableFuture<DataKey> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                return unwrapAndCache(key, unwrap, mine);
            }
            try {
                running.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    private SecretKey unwrapAndCache(CacheKey key, Supplier<DataKey> unwrap, CompletableFuture<DataKey> mine) {
        try {
            DataKey unwrapped = unwrap.get();
            SecretKey out;
            synchronized (entries) {
                out = unwrapped.secretKey();
                DataKey previous = entries.put(key, unwrapped);
                if (previous != null && previous != unwrapped) {
                    previous.destroy();
                }
            }
            inFlight.remove(key, mine);
            mine.complete(unwrapped);
            return out;
        } catch (RuntimeException e) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private SecretKey lookup(CacheKey key) {
        synchronized (entries) {
            DataKey dataKey = entries.get(key);
            return dataKey == null ? null : dataKey.secretKey();
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Zeroes and forgets every key. */
    public void clear() {
        synchronized (entries) {
            entries.values().forEach(DataKey::destroy);
            entries.clear();
        }
    }

    @Override
    public void close() {
        clear();
    }

    private static final class CacheKey {
        private final String keyId;
        private final byte[] wrapped;
        private final int hash;

        CacheKey(String keyId, byte[] wrapped) {
            this.keyId = keyId;
            this.wrapped = wrapped.clone();
            this.hash = 31 * keyId.hashCode() + Arrays.hashCode(wrapped);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey other && keyId.equals(other.keyId) && Arrays.equals(wrapped, other.wrapped);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
