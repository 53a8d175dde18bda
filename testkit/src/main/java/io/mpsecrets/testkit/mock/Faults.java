package io.mpsecrets.testkit.mock;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for one mock service: added latency, a rate of 500 responses, throttling for the next N calls or
 * at a rate, connections closed without an answer at a rate, optionally only for one operation. Deterministic for a
 * given seed. Thread-safe.
 */
public final class Faults {

    /** What to do with one call. */
    public enum Action {
        NONE,
        THROTTLE,
        INTERNAL_ERROR,
        /** Close the connection without an answer, as a peer reset or a crashed proxy does. */
        RESET
    }

    /**
     * Thrown by a mock for a {@link Action#RESET}: the server closes the exchange without a status line, so the client
     * sees its connection end (an {@code IOException}), never an HTTP answer.
     */
    public static final class ConnectionReset extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConnectionReset() {
            super("connection reset by fault injection", null, false, false);
        }
    }

    private volatile Duration latency = Duration.ZERO;
    private volatile double errorRate;
    private volatile double throttleRate;
    private volatile double resetRate;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile String onlyOperation;
    private Random random = new Random(42);

    public Faults latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** A share (0..1) of calls answered with a 500. */
    public Faults errorRate(double rate) {
        this.errorRate = rate;
        return this;
    }

    /** A share (0..1) of calls answered with a throttling error. */
    public Faults throttleRate(double rate) {
        this.throttleRate = rate;
        return this;
    }

    /**
     * A share (0..1) of calls whose connection is closed without an answer ({@link Action#RESET}): the AWS mocks and
     * Vault do it; the other mocks serve such a call normally.
     */
    public Faults resetRate(double rate) {
        this.resetRate = rate;
        return this;
    }

    /** The next {@code calls} calls are throttled. */
    public Faults throttleNext(int calls) {
        throttleNext.set(calls);
        return this;
    }

    /** The next {@code calls} calls fail with a 500. */
    public Faults failNext(int calls) {
        failNext.set(calls);
        return this;
    }

    /** Faults apply to this operation only (null: all). */
    public Faults only(String operation) {
        this.onlyOperation = operation;
        return this;
    }

    public synchronized Faults seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** No faults. */
    public Faults reset() {
        latency = Duration.ZERO;
        errorRate = 0;
        throttleRate = 0;
        resetRate = 0;
        throttleNext.set(0);
        failNext.set(0);
        onlyOperation = null;
        return this;
    }

    /** Decides for one call, after sleeping the latency. */
    public Action apply(String operation) throws InterruptedException {
        if (onlyOperation != null && !onlyOperation.equals(operation)) {
            return Action.NONE;
        }
        Duration delay = latency;
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        if (throttleNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return Action.THROTTLE;
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return Action.INTERNAL_ERROR;
        }
        double roll;
        synchronized (this) {
            roll = random.nextDouble();
        }
        if (roll < throttleRate) {
            return Action.THROTTLE;
        }
        if (roll < throttleRate + errorRate) {
            return Action.INTERNAL_ERROR;
        }
        if (roll < throttleRate + errorRate + resetRate) {
            return Action.RESET;
        }
        return Action.NONE;
    }
}
