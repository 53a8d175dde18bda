package io.mpsecrets.bench.fleet;

import java.util.Arrays;

/**
 * One API of a simulated service: its quota, an outage if any, and every call it took, throttled or failed, per
 * simulated second.
 */
final class Api {

    /** How the service answered a call. */
    enum Answer {
        ANSWERED,
        /** The quota is spent: a throttling error. */
        THROTTLED,
        /** The service is down: a 5xx. */
        FAILED
    }

    final String name;
    private final TokenBucket quota;
    private long[] answered = new long[64];
    private long[] throttled = new long[64];
    private long[] failed = new long[64];
    private long outageFrom = Long.MAX_VALUE;
    private long outageTo = Long.MAX_VALUE;

    Api(String name, double perSecond) {
        this(Quotas.Limit.perSecond(name, perSecond));
    }

    private final double perSecond;

    Api(Quotas.Limit limit) {
        this(limit, 1);
    }

    /**
     * An API called only by a sample of the fleet ({@code share} of its instances): its bucket holds that share of
     * the quota, as the sample's share of what the whole fleet may call; {@link #quota()} is still the whole one.
     */
    Api(Quotas.Limit limit, double share) {
        this.name = limit.name();
        this.perSecond = limit.perSecond();
        this.quota = new TokenBucket(limit.perSecond() * share, limit.windowSeconds());
    }

    /** Calls a second at the quota; infinite where the quota is not known (every call answered, and counted). */
    double quota() {
        return perSecond;
    }

    /** The service fails every call in {@code [from, to)} (nanoseconds of virtual time). */
    void outage(long from, long to) {
        this.outageFrom = from;
        this.outageTo = to;
    }

    /** A call at {@code now}: answered, or throttled when the quota is spent. */
    boolean call(long now) {
        return answer(now) == Answer.ANSWERED;
    }

    /** A call at {@code now}: failed during an outage, else answered, or throttled when the quota is spent. */
    Answer answer(long now) {
        int second = (int) (now / 1_000_000_000L);
        if (second >= answered.length) {
            int size = Math.max(second + 1, answered.length * 2);
            answered = Arrays.copyOf(answered, size);
            throttled = Arrays.copyOf(throttled, size);
            failed = Arrays.copyOf(failed, size);
        }
        if (now >= outageFrom && now < outageTo) {
            failed[second]++;
            return Answer.FAILED;
        }
        if (quota.take(now)) {
            answered[second]++;
            return Answer.ANSWERED;
        }
        throttled[second]++;
        return Answer.THROTTLED;
    }

    long failed(int second) {
        return second < failed.length ? failed[second] : 0;
    }

    long answered(int second) {
        return second < answered.length ? answered[second] : 0;
    }

    long throttled(int second) {
        return second < throttled.length ? throttled[second] : 0;
    }

    /** Calls made (answered, throttled and failed) in the seconds {@code [from, to)}. */
    long calls(int from, int to) {
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += answered(s) + throttled(s) + failed(s);
        }
        return sum;
    }

    long throttled(int from, int to) {
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += throttled(s);
        }
        return sum;
    }

    /** The most calls made in one second of {@code [from, to)}. */
    long peak(int from, int to) {
        long peak = 0;
        for (int s = from; s < to; s++) {
            peak = Math.max(peak, answered(s) + throttled(s) + failed(s));
        }
        return peak;
    }

    /** The most calls answered in one second: never above the quota. */
    long peakAnswered(int from, int to) {
        long peak = 0;
        for (int s = from; s < to; s++) {
            peak = Math.max(peak, answered(s));
        }
        return peak;
    }
}
