/**
 * Store secrets in memory: {@link SecretCache} (TTL, single flight, stale-if-error with backoff, a replaced value
 * zeroed after a grace period) under a {@link CachePolicy}, the fetched versions ({@link CachedSecret}, text and JSON
 * fields decoded once by {@link SecretFields}), and the fetch policies that spare a store's quota: {@link StartupFetch}
 * (batches at start-up) and {@link RevalidatingFetch} (a TTL refresh that keeps an unchanged value without reading it
 * again). Time is a {@link Ticker}, so tests and the fleet simulator (bench) run the same code on a clock of their own.
 *
 * <p>Internal: not API; may change in any release.
 */
package io.mpsecrets.cache;
