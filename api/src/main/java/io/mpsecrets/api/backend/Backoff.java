package io.mpsecrets.api.backend;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter" (half of each wait fixed, half random), so that many instances retrying
 * a failing service do not retry in step: after the {@code n}th failure, a wait in
 * {@code [w/2, w]} where {@code w = min(max, base * 2^(n-1))}.
 *
 * <p>Immutable, and safe to share between threads when its source of randomness is (the default is).
 */
public final class Backoff {

    private final long baseNanos;
    private final long maxNanos;
    private final Supplier<RandomGenerator> random;

    /**
     * With {@link ThreadLocalRandom} for the jitter.
     *
     * @param base {@code w} after the first failure; zero or more
     * @param max the longest {@code w}, so the longest wait; at least {@code base}
     * @throws IllegalArgumentException when {@code base} is negative or {@code max} is below it
     */
    public Backoff(Duration base, Duration max) {
        this(base, max, ThreadLocalRandom::current);
    }

    /**
     * With its own source of randomness (a seeded one makes a simulation repeatable).
     *
     * @param base {@code w} after the first failure; zero or more
     * @param max the longest {@code w}, so the longest wait; at least {@code base}
     * @param random asked for a generator on every wait
     * @throws IllegalArgumentException when {@code base} is negative or {@code max} is below it
     */
    public Backoff(Duration base, Duration max, Supplier<RandomGenerator> random) {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("negative base or max below base");
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /**
     * The wait after {@code failures} consecutive failures (1 for the first), in nanoseconds.
     *
     * @param failures the consecutive failures so far; less than 1 counts as 1
     * @return a wait from {@code w/2} to {@code w}; the doubling stops at {@code max} and never overflows
     */
    public long nanos(int failures) {
        int doublings = Math.max(0, failures - 1);
        long exponential = doublings < 62 && baseNanos <= (maxNanos >> doublings) ? baseNanos << doublings : maxNanos;
        return exponential / 2 + random.get().nextLong(exponential / 2 + 1);
    }

    /**
     * The wait after {@code failures} consecutive failures, as {@link #nanos} gives it.
     *
     * @param failures the consecutive failures so far, 1 for the first
     * @return a wait from {@code w/2} to {@code w}
     */
    public Duration wait(int failures) {
        return Duration.ofNanos(nanos(failures));
    }
}
