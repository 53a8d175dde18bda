package io.mpsecrets.bench.fleet;

/**
 * A service quota as AWS enforces one, per account and region: a bucket of one second's calls that refills at the
 * quota's rate. A call takes a token or is throttled.
 */
final class TokenBucket {

    private final double perSecond;
    private double tokens;
    private long updatedAt;

    TokenBucket(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    double perSecond() {
        return perSecond;
    }

    /** Takes a token at {@code now} (nanoseconds), if there is one. Calls must come in time order. */
    boolean take(long now) {
        if (now > updatedAt) {
            tokens = Math.min(perSecond, tokens + (now - updatedAt) * perSecond / 1e9);
            updatedAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
