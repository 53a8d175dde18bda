package io.mpsecrets.bench.fleet;

import java.util.Arrays;

/** One API of a simulated service: its quota, and every call it took or throttled, per simulated second. */
final class Api {

    final String name;
    private final TokenBucket quota;
    private long[] answered = new long[64];
    private long[] throttled = new long[64];

    Api(String name, double perSecond) {
        this.name = name;
        this.quota = new TokenBucket(perSecond);
    }

    double quota() {
        return quota.perSecond();
    }

    /** A call at {@code now}: answered, or throttled when the quota is spent. */
    boolean call(long now) {
        int second = (int) (now / 1_000_000_000L);
        if (second >= answered.length) {
            int size = Math.max(second + 1, answered.length * 2);
            answered = Arrays.copyOf(answered, size);
            throttled = Arrays.copyOf(throttled, size);
        }
        if (quota.take(now)) {
            answered[second]++;
            return true;
        }
        throttled[second]++;
        return false;
    }

    long answered(int second) {
        return second < answered.length ? answered[second] : 0;
    }

    long throttled(int second) {
        return second < throttled.length ? throttled[second] : 0;
    }

    /** Calls made (answered and throttled) in the seconds {@code [from, to)}. */
    long calls(int from, int to) {
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += answered(s) + throttled(s);
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
            peak = Math.max(peak, answered(s) + throttled(s));
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
