package io.mpsecrets.bench.fleet;

import java.time.Duration;
import java.util.Optional;

/**
 * A fleet to simulate.
 *
 * @param instances how many application instances
 * @param secrets listed secrets per instance (each a Secrets Manager secret, the same names on every instance)
 * @param dataKeys data keys per instance that the KMS unwraps at start-up (ENC values under distinct data keys)
 * @param startSpread instances start uniformly over this time (zero: all at once)
 * @param policies {@link Policies#BEFORE} or {@link Policies#AFTER}
 * @param seed for every random choice the simulator makes, so a run repeats
 * @param rotationInterval {@code mpsecrets.rotation.interval}, empty when not set (the default)
 * @param startupTimeout {@code mpsecrets.aws.startup-timeout}
 * @param steadyWindow how long steady state is measured once every instance is ready and its first TTL passed
 * @param cacheSample at most this many instances run their real caches in steady state; the steady-state figures
 *     are scaled up from them (each instance's steady calls do not depend on the others')
 * @param outage Secrets Manager failing every call (5xx) for a while, if at all
 */
record Scenario(
        String name,
        int instances,
        int secrets,
        int dataKeys,
        Duration startSpread,
        Policies policies,
        long seed,
        Quotas quotas,
        Duration ttl,
        Optional<Duration> rotationInterval,
        Duration startupTimeout,
        Duration steadyWindow,
        int cacheSample,
        Optional<Outage> outage) {

    /** Secrets Manager answers every call with a 5xx from {@code start} (after the first instance started) on. */
    record Outage(Duration start, Duration length) {
        long fromNanos() {
            return start.toNanos();
        }

        long toNanos() {
            return start.plus(length).toNanos();
        }
    }

    Scenario(
            String name,
            int instances,
            int secrets,
            int dataKeys,
            Duration startSpread,
            Policies policies,
            long seed,
            Quotas quotas,
            Duration ttl,
            Optional<Duration> rotationInterval,
            Duration startupTimeout,
            Duration steadyWindow,
            int cacheSample) {
        this(
                name,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                steadyWindow,
                cacheSample,
                Optional.empty());
    }

    /**
     * Secrets Manager down for {@code length} from {@code start}; the steady-state window is stretched to hold the
     * outage and ten minutes after it.
     */
    Scenario withOutage(Duration start, Duration length) {
        return new Scenario(
                name + ", store down " + length + " at " + start,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                start.plus(length).plus(Duration.ofMinutes(10)),
                cacheSample,
                Optional.of(new Outage(start, length)));
    }

    /** What the fleet runs. */
    enum Policies {
        /**
         * mp-secrets before the fleet policies: one {@code fetchAll} in batches of 20 behind the SDK's retries, all
         * of it within the start-up timeout; TTL refreshes read the value again; the first rotation check one
         * interval after start.
         */
        BEFORE,
        /**
         * Now: {@code StartupFetch} (single reads while batches are throttled, jittered backoff, a timeout without
         * answers rather than in all), {@code RevalidatingFetch} for TTL refreshes, {@code RotationWatcher}'s spread
         * first check.
         */
        AFTER
    }

    /** All at once, 50 secrets and one data key, AWS's quotas, mp-secrets' defaults. */
    static Scenario restart(int instances, Policies policies) {
        return new Scenario(
                instances + " instances, " + policies.name().toLowerCase(java.util.Locale.ROOT),
                instances,
                50,
                1,
                Duration.ZERO,
                policies,
                42,
                Quotas.AWS,
                Duration.ofMinutes(5),
                Optional.empty(),
                Duration.ofSeconds(10),
                Duration.ofMinutes(10),
                2_000);
    }

    Scenario withRotationInterval(Duration interval) {
        return new Scenario(
                name + ", rotation " + interval,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                Optional.of(interval),
                startupTimeout,
                steadyWindow,
                cacheSample,
                outage);
    }

    Scenario withStartSpread(Duration spread) {
        return new Scenario(
                name + ", rolling over " + spread,
                instances,
                secrets,
                dataKeys,
                spread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                steadyWindow,
                cacheSample,
                outage);
    }

    Scenario withStartupTimeout(Duration timeout) {
        return new Scenario(
                name + ", startup-timeout " + timeout,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                timeout,
                steadyWindow,
                cacheSample,
                outage);
    }

    /** The same fleet against another backend's APIs and quotas ({@link Quotas#AZURE}, {@link Quotas#GCP}). */
    Scenario withQuotas(Quotas quotas) {
        return new Scenario(
                quotas.store() + ": " + name,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                steadyWindow,
                cacheSample,
                outage);
    }

    /** {@code mpsecrets.<store>.ttl}. */
    Scenario withTtl(Duration ttl) {
        return new Scenario(
                name + ", ttl " + ttl,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                steadyWindow,
                cacheSample,
                outage);
    }

    /** Steady state measured over {@code window} rather than 10 minutes. */
    Scenario withSteadyWindow(Duration window) {
        return new Scenario(
                name + ", measured over " + window,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                window,
                cacheSample,
                outage);
    }

    Scenario with(int instances, int secrets, int dataKeys, Quotas quotas) {
        return new Scenario(
                name,
                instances,
                secrets,
                dataKeys,
                startSpread,
                policies,
                seed,
                quotas,
                ttl,
                rotationInterval,
                startupTimeout,
                steadyWindow,
                cacheSample,
                outage);
    }
}
