package io.mpsecrets.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SecretCacheTest {

    private static final CachePolicy POLICY = new CachePolicy(
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(8),
            Duration.ofSeconds(30));
    private static final SecretCache.Key KEY = new SecretCache.Key("aws", SecretId.of("prod/db"));

    private final AtomicLong now = new AtomicLong();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final SecretCache cache = new SecretCache(now::get, new SecretCache.Listener() {
        @Override
        public void fetched(SecretCache.Key key, SecretValue value, String property) {
            events.add("fetched " + value.version().orElse("-"));
        }

        @Override
        public void rotated(SecretCache.Key key, String previousVersion, String newVersion) {
            events.add("rotated " + previousVersion + " -> " + newVersion);
        }

        @Override
        public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {
            events.add((servedStale ? "stale " : "failed ") + failure.reason());
        }
    });
    private final AtomicInteger fetches = new AtomicInteger();

    private Supplier<SecretValue> store(String version) {
        return () -> {
            fetches.incrementAndGet();
            return SecretValue.ofUtf8(LeakGuard.CANARY + version, version, null);
        };
    }

    /** A value that the store says expires {@code in} from now (a lease). */
    private Supplier<SecretValue> expiring(String version, Duration in) {
        return () -> {
            fetches.incrementAndGet();
            byte[] bytes = (LeakGuard.CANARY + version).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return SecretValue.of(bytes, version, null, java.time.Instant.now().plus(in));
        };
    }

    private Supplier<SecretValue> failing(FailureReason reason) {
        return () -> {
            fetches.incrementAndGet();
            if (reason == FailureReason.ACCESS_DENIED) {
                throw new SecretAccessDeniedException(SecretRef.secret("aws", "prod/db"), "denied", null);
            }
            throw new ServiceUnavailableException(reason, SecretRef.secret("aws", "prod/db"), "down", null);
        };
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private String read(Supplier<SecretValue> fetch) {
        return cache.get(KEY, POLICY, fetch, "db.password").text(SecretRef.NONE);
    }

    @Test
    void freshValuesComeFromMemoryAndExpiredOnesAreFetchedAgain() {
        assertEquals(LeakGuard.CANARY + "v1", read(store("v1")));
        advance(Duration.ofSeconds(9));
        assertEquals(LeakGuard.CANARY + "v1", read(store("v2")));
        assertEquals(1, fetches.get());
        advance(Duration.ofSeconds(2));
        assertEquals(LeakGuard.CANARY + "v2", read(store("v2")));
        assertEquals(2, fetches.get());
        assertEquals(List.of("fetched v1", "fetched v2", "rotated v1 -> v2"), events);
    }

    @Test
    void aHundredThreadsAskingAColdSecretCauseOneFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Supplier<SecretValue> slow = () -> {
            fetches.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return SecretValue.ofUtf8("v", "1", null);
        };
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                reads.add(pool.submit(() -> read(slow)));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<String> r : reads) {
                assertEquals("v", r.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, fetches.get());
    }

    @Test
    void anOutageServesTheLastGoodValueUntilMaxStaleWithBackoffThenFailsClearly() {
        read(store("v1"));
        advance(Duration.ofSeconds(11)); // expired; the store is down from now on
        Supplier<SecretValue> down = failing(FailureReason.UNAVAILABLE);
        int failedReads = 0;
        for (int second = 0; second < 59; second++) {
            try {
                assertEquals(LeakGuard.CANARY + "v1", read(down));
            } catch (SecretException e) {
                failedReads++;
            }
            advance(Duration.ofSeconds(1));
        }
        assertEquals(0, failedReads, "within max-stale every read succeeds");
        // Backoff: 1, 2, 4, 8, 8, ... seconds (with jitter, at least half of each): far fewer than 59 attempts.
        assertThat(fetches.get() - 1).isBetween(6, 20);
        assertEquals(List.of("fetched v1", "stale UNAVAILABLE"), events, "the outage is reported once");

        advance(Duration.ofSeconds(10)); // past max-stale
        SecretException e = assertThrows(ServiceUnavailableException.class, () -> read(down));
        assertEquals(FailureReason.UNAVAILABLE, e.reason());
        assertThat(events).last().isEqualTo("failed UNAVAILABLE");
    }

    @Test
    void theStoreRecoveringEndsTheOutage() {
        read(store("v1"));
        advance(Duration.ofSeconds(11));
        read(failing(FailureReason.THROTTLED));
        advance(Duration.ofSeconds(2));
        assertEquals(LeakGuard.CANARY + "v2", read(store("v2")));
        advance(Duration.ofSeconds(11));
        read(failing(FailureReason.TIMEOUT));
        assertThat(events)
                .containsExactly("fetched v1", "stale THROTTLED", "fetched v2", "rotated v1 -> v2", "stale TIMEOUT");
    }

    @Test
    void aDenialIsNeverPaperedOverWithAStaleValue() {
        read(store("v1"));
        advance(Duration.ofSeconds(11));
        assertThrows(SecretAccessDeniedException.class, () -> read(failing(FailureReason.ACCESS_DENIED)));
        assertThat(events).last().isEqualTo("failed ACCESS_DENIED");
    }

    @Test
    void aColdFailureIsThrownToEveryReader() {
        assertThrows(ServiceUnavailableException.class, () -> read(failing(FailureReason.UNAVAILABLE)));
        assertThrows(ServiceUnavailableException.class, () -> read(failing(FailureReason.UNAVAILABLE)));
        assertEquals(2, fetches.get(), "a cold secret is asked for again on the next read");
    }

    @Test
    void aReplacedValueStaysIntactForItsGracePeriodThenIsZeroed() {
        CachedSecret old = cache.get(KEY, POLICY, store("v1"), null);
        cache.replace(KEY, SecretValue.ofUtf8("new", "v2", null), POLICY);
        assertThat(events).contains("rotated v1 -> v2");
        advance(Duration.ofSeconds(29));
        cache.zeroRetired();
        assertEquals(LeakGuard.CANARY + "v1", old.text(SecretRef.NONE), "a reader holding the old value can finish");
        assertThat(old.value().isDestroyed()).isFalse();
        advance(Duration.ofSeconds(2));
        cache.zeroRetired();
        assertThat(old.value().isDestroyed()).isTrue();
    }

    @Test
    void closingZeroesTheValues() {
        CachedSecret secret = cache.get(KEY, POLICY, store("v1"), null);
        cache.close();
        assertThat(secret.value().isDestroyed()).isTrue();
        assertThat(cache.peek(KEY)).isEmpty();
    }

    @Test
    void fieldsAreReadFromJsonSecrets() {
        CachedSecret secret = cache.get(
                KEY,
                POLICY,
                () -> SecretValue.ofUtf8(
                        "{\"user\":\"orders\",\"password\":\"" + LeakGuard.CANARY + "\",\"port\":5432}", "v1", null),
                null);
        assertEquals("orders", secret.field("user", SecretRef.NONE));
        assertEquals("5432", secret.field("port", SecretRef.NONE));
        assertSame(secret.fields().orElseThrow(), secret.fields().orElseThrow(), "decoded once");
        SecretException missing =
                assertThrows(SecretException.class, () -> secret.field("nope", SecretRef.secret("aws", "prod/db")));
        assertEquals(FailureReason.NOT_FOUND, missing.reason());
        LeakGuard.assertNoLeak(missing, secret);
    }

    /**
     * Found by fuzzing the config value (ReferenceFuzzTest, hours): every id a reference ever named that never
     * resolved kept an entry, until the JVM ran out of memory. Entries that never held a value now go.
     */
    @Test
    void idsThatNeverResolveLeaveNothingBehind() {
        for (int i = 0; i < 10_000; i++) {
            SecretCache.Key key = new SecretCache.Key("file", SecretId.of("typo-" + i));
            assertThrows(SecretException.class, () -> cache.get(key, POLICY, failing(FailureReason.UNAVAILABLE), "p"));
        }
        assertThat(cache.keys()).isEmpty();
        cache.get(KEY, POLICY, store("v1"), "p");
        assertThat(cache.keys()).containsExactly(KEY);
    }

    @Test
    void aVersionTheStoreConfirmsStaysFreshForAnotherTtlAndAnotherVersionIsNotRenewed() {
        assertEquals("v1", cache.get(KEY, POLICY, store("v1"), "p").version().orElseThrow());
        advance(Duration.ofSeconds(8));
        cache.renew(KEY, "v1", POLICY); // a rotation check said v1 is current: fresh until 18 s
        advance(Duration.ofSeconds(8));
        cache.get(KEY, POLICY, store("v2"), "p");
        assertEquals(1, fetches.get(), "16 s after the fetch, 8 s after the renewal: still fresh");

        cache.renew(KEY, "v0", POLICY); // not the cached version: nothing changes
        advance(Duration.ofSeconds(3));
        assertEquals("v2", cache.get(KEY, POLICY, store("v2"), "p").version().orElseThrow());
        assertEquals(2, fetches.get(), "the TTL from the renewal ran out");
    }

    /**
     * Issue 23: a leased value (Vault's database credentials) was served for the store's TTL (5 minutes) after its
     * lease ended, and the database refused it. A value is fresh no longer than its expiry.
     */
    @Test
    void aValueIsNeverFreshPastItsExpiry() {
        assertEquals(LeakGuard.CANARY + "lease-1", read(expiring("lease-1", Duration.ofSeconds(3))));
        advance(Duration.ofSeconds(2));
        read(store("lease-2"));
        assertEquals(1, fetches.get(), "within its expiry and the TTL: from memory");
        advance(Duration.ofSeconds(2)); // 4 s: within the TTL (10 s), past the expiry
        assertEquals(LeakGuard.CANARY + "lease-2", read(store("lease-2")));
        assertEquals(2, fetches.get());
    }

    /** Issue 23: nor is an expired value served stale while the store fails: the read fails as the store does. */
    @Test
    void aValueIsNeverServedStalePastItsExpiry() {
        read(expiring("lease-1", Duration.ofSeconds(15)));
        advance(Duration.ofSeconds(11)); // past the TTL, within the expiry: stale is allowed
        assertEquals(LeakGuard.CANARY + "lease-1", read(failing(FailureReason.UNAVAILABLE)));
        advance(Duration.ofSeconds(5)); // 16 s: within max-stale (70 s) but past the expiry
        SecretException e =
                assertThrows(ServiceUnavailableException.class, () -> read(failing(FailureReason.UNAVAILABLE)));
        LeakGuard.assertNoLeak(e);
        assertThat(events).containsExactly("fetched lease-1", "stale UNAVAILABLE", "failed UNAVAILABLE");
        // Within the backoff the store is not asked again, and the expired value is still not served.
        assertThrows(ServiceUnavailableException.class, () -> read(store("lease-2")));
    }

    /** A rotation check that confirms the version renews its TTL, never past its expiry. */
    @Test
    void aConfirmedVersionStaysFreshNoLongerThanItsExpiry() {
        read(expiring("lease-1", Duration.ofSeconds(12)));
        advance(Duration.ofSeconds(8));
        cache.renew(KEY, "lease-1", POLICY); // another TTL would reach 18 s; the expiry is at 12 s
        advance(Duration.ofSeconds(5));
        assertEquals(LeakGuard.CANARY + "lease-2", read(store("lease-2")));
        assertEquals(2, fetches.get());
    }

    /** While another reader refreshes, a value past its expiry is not handed out: the reader waits for the new one. */
    @Test
    void aReaderDoesNotGetAnExpiredValueWhileAnotherRefreshes() throws Exception {
        read(expiring("lease-1", Duration.ofSeconds(5)));
        advance(Duration.ofSeconds(6));
        CountDownLatch fetching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<SecretValue> slow = () -> {
            fetching.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return SecretValue.ofUtf8(LeakGuard.CANARY + "lease-2", "lease-2", null);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> refreshing = pool.submit(() -> read(slow));
            assertThat(fetching.await(10, TimeUnit.SECONDS)).isTrue();
            // Released a moment from now: this reader must be waiting for the refresh by then, or see its result.
            pool.submit(() -> {
                Thread.sleep(200);
                release.countDown();
                return null;
            });
            assertEquals(LeakGuard.CANARY + "lease-2", read(store("lease-3")));
            assertEquals(LeakGuard.CANARY + "lease-2", refreshing.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
