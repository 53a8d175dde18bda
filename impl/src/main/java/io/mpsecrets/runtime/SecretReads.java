package io.mpsecrets.runtime;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Which secret properties a piece of code read, on its own thread: the rotation scope runs a bean's creation under
 * it to learn which secrets the instance was built with. Reads check one static counter while nothing captures, so
 * they cost nothing measurable otherwise.
 */
public final class SecretReads {

    private static final ThreadLocal<Set<String>> CAPTURE = new ThreadLocal<>();
    private static volatile int capturing;

    private SecretReads() {}

    /** Runs {@code work}, adding to {@code into} every secret property it read on this thread (nested: both). */
    public static <T> T capture(Set<String> into, Supplier<T> work) {
        Set<String> outer = CAPTURE.get();
        CAPTURE.set(into);
        synchronized (SecretReads.class) {
            capturing++;
        }
        try {
            return work.get();
        } finally {
            synchronized (SecretReads.class) {
                capturing--;
            }
            CAPTURE.set(outer);
            if (outer != null) {
                outer.addAll(into);
            }
        }
    }

    /** A secret property was read on this thread (the runtime's readers call it). */
    public static void read(String property) {
        if (capturing == 0) {
            return;
        }
        Set<String> into = CAPTURE.get();
        if (into != null) {
            into.add(property);
        }
    }
}
