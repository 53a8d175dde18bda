package io.mpsecrets.api.backend;

/**
 * When something with a lifetime (a token, a lease, a certificate) is renewed: once two thirds of it have passed, so
 * that a slow or failing renewal still has a third of the lifetime to recover in.
 */
public final class Renewal {

    private Renewal() {}

    /**
     * How far into a lifetime of {@code lifetimeNanos} renewal is due.
     *
     * @param lifetimeNanos the lifetime granted (a token's or a lease's TTL), in nanoseconds
     * @return two thirds of it, rounded down without overflowing, counted from when it was granted
     */
    public static long dueAfterNanos(long lifetimeNanos) {
        return lifetimeNanos / 3 * 2 + lifetimeNanos % 3 * 2 / 3;
    }
}
