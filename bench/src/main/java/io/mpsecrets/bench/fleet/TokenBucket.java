package io.mpsecrets.bench.fleet;

/**
 * A service quota: a bucket of one window's calls (one second for AWS's quotas, 10 s for Key Vault's, a minute for
 * Google's) that refills at the quota's rate. A call takes a token or is throttled.
 */
final class TokenBucket {

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long updatedAt;

    TokenBucket(double perSecond) {
        this(perSecond, 1);
    }

    TokenBucket(double perSecond, double windowSeconds) {
        this.perSecond = perSecond;
        this.capacity = perSecond * windowSeconds;
        this.tokens = capacity;
    }

    double perSecond() {
        return perSecond;
    }

    /** Takes a token at {@code now} (nanoseconds), if there is one. Calls must come in time order. */
    boolean take(long now) {
        if (now > updatedAt) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * perSecond / 1e9);
            updatedAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
