package io.mpsecrets.cache;

/** Monotonic time in nanoseconds; tests move it by hand. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
