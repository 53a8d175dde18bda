package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.cache.Ticker;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Defect 3: a refresh recorded its failure under the entry's lock and then read it back without the lock, while the
 * rotation watcher's {@code replace()} cleared it: a NullPointerException instead of the stale value. Readers of a
 * failing store racing with replacements see the stale or the replaced value, or a typed failure; nothing else.
 */
class StoreCacheRaceTest {

    private static final CachePolicy ALWAYS_EXPIRED = new CachePolicy(
            Duration.ZERO,
            Duration.ofHours(1),
            Duration.ofNanos(1_000),
            Duration.ofNanos(2_000),
            Duration.ofSeconds(30));
    private static final SecretCache.Key KEY = new SecretCache.Key("aws", SecretId.of("prod/db"));

    @Test
    void readersOfAFailingStoreRacingWithReplacementsSeeValuesOrTypedFailuresOnly() throws Exception {
        SecretCache cache = new SecretCache(Ticker.SYSTEM, new SecretCache.Listener() {
            @Override
            public void fetched(SecretCache.Key key, SecretValue value, String property) {}

            @Override
            public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {}
        });
        cache.replace(KEY, SecretValue.ofUtf8("v0-" + LeakGuard.CANARY, "v0", null), ALWAYS_EXPIRED);
        ConcurrentReaders.Report report = ConcurrentReaders.during(
                8,
                () -> {
                    try {
                        return cache.get(
                                        KEY,
                                        ALWAYS_EXPIRED,
                                        () -> {
                                            throw new ServiceUnavailableException(
                                                    FailureReason.UNAVAILABLE,
                                                    SecretRef.secret("aws", "prod/db"),
                                                    "down",
                                                    null);
                                        },
                                        "db.password")
                                .text(SecretRef.NONE);
                    } catch (SecretException typed) {
                        return "typed " + typed.reason();
                    }
                },
                () -> value -> value.startsWith("v") || value.startsWith("typed ") ? null : value,
                () -> {
                    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    for (int version = 1; System.nanoTime() - end < 0; version++) {
                        cache.replace(
                                KEY,
                                SecretValue.ofUtf8("v" + version + "-" + LeakGuard.CANARY, "v" + version, null),
                                ALWAYS_EXPIRED);
                    }
                });
        cache.close();
        assertThat(report.problems()).isEmpty();
    }
}
