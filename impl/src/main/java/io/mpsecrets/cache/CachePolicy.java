package io.mpsecrets.cache;

import java.time.Duration;

/**
 * How long a store's secrets are served from memory.
 *
 * @param ttl how long a fetched value is fresh; after it, the next read refetches
 * @param maxStale how long past its TTL the last good value is still served while the store fails
 * @param backoffBase first wait before asking a failing store again; doubles per failure, with jitter
 * @param backoffMax the longest such wait
 * @param grace how long a value replaced by a new version stays intact for readers that hold it, before it is zeroed
 */
public record CachePolicy(Duration ttl, Duration maxStale, Duration backoffBase, Duration backoffMax, Duration grace) {

    public static final CachePolicy DEFAULT = new CachePolicy(
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5));

    public CachePolicy {
        if (ttl.isNegative()
                || maxStale.isNegative()
                || backoffBase.isNegative()
                || grace.isNegative()
                || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("negative durations or backoff max below base");
        }
    }
}
