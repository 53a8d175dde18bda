package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ClosedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets reads and a close meet cleanly: a read passes the gate while the runtime is open; closing shuts the gate,
 * waits (a bounded time) for the reads already inside, and only then lets the caches be zeroed. A read that meets
 * the close is refused once with {@link ClosedException}, never served bytes being zeroed; once the close is done
 * the gate opens again and the runtime starts over, empty. Entering costs two counter updates and a volatile read.
 *
 * <p>A read that only looks up something already held (a cached plaintext: an immutable string, never zeroed) need
 * not enter: it takes the {@link #epoch()} before the lookup and serves what it found only if
 * {@link #unchanged(long) no close began or ran} meanwhile, else it enters as any other read. Two plain loads instead
 * of two locked updates, on the path that runs on every cached read.
 *
 * <p>The count of reads inside is striped by thread, and a thread always counts on its own stripe: a
 * {@code LongAdder} may count one thread's entry and exit on different cells, so a sum taken cell by cell can miss a
 * read that is inside. Summed stripe by stripe, the count is never below the true one.
 */
final class Gate {

    private static final Duration DRAIN = Duration.ofSeconds(5);

    private static final int STRIPES = 64;
    /** Longs between stripes, so that stripes sit on different cache lines. */
    private static final int SPACING = 8;

    private final AtomicLongArray inside = new AtomicLongArray(STRIPES * SPACING);
    /** Even while open; odd while closing; two more for each close, so a close that came and went is seen. */
    private volatile long epoch;

    /**
     * Enters for one read; pair with {@link #exit()}.
     *
     * @throws ClosedException naming the property when the runtime is closing
     */
    void enter(String property) {
        int stripe = stripe();
        inside.incrementAndGet(stripe);
        if ((epoch & 1) != 0) {
            inside.decrementAndGet(stripe);
            throw new ClosedException(SecretRef.property(property));
        }
    }

    /** The epoch to give {@link #unchanged(long)} after a lookup that did not {@link #enter(String) enter}. */
    long epoch() {
        return epoch;
    }

    /**
     * Whether the gate was open at {@code before} and no close has begun since: what was looked up between the two
     * is what an entered read would have found.
     */
    boolean unchanged(long before) {
        return (before & 1) == 0 && epoch == before;
    }

    void exit() {
        inside.decrementAndGet(stripe());
    }

    private static int stripe() {
        return (int) (Thread.currentThread().getId() % STRIPES) * SPACING;
    }

    private long inside() {
        long sum = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            sum += inside.get(stripe * SPACING);
        }
        return sum;
    }

    /** Shuts the gate, waits for the reads inside (at most a few seconds), runs {@code close}, opens the gate again. */
    void closeWith(Runnable close) {
        synchronized (this) {
            epoch++;
            try {
                long deadline = System.nanoTime() + DRAIN.toNanos();
                while (inside() > 0 && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(100_000);
                }
                close.run();
            } finally {
                epoch++;
            }
        }
    }
}
