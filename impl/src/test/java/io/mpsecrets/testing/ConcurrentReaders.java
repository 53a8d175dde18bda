package io.mpsecrets.testing;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers that look a secret up continuously while rotations run: each value read must be a whole
 * {@code v<N>-<canary>}, and no reader may see N go down. The test asserts on what they report.
 */
public final class ConcurrentReaders {

    private static final Pattern WHOLE = Pattern.compile("v(\\d+)-" + Pattern.quote(LeakGuard.CANARY));

    /** What the readers saw: every problem (a torn value, a step back, an exception type) and how many reads. */
    public record Report(List<String> problems, int reads) {}

    /** The rotations to run while the readers read. */
    @FunctionalInterface
    public interface Rotations {
        void run() throws Exception;
    }

    private ConcurrentReaders() {}

    /** What one reader expects of the values it reads, in order: a problem, or null. */
    @FunctionalInterface
    public interface Expectation {
        String problem(String value);
    }

    /** Whole {@code v<N>-<canary>} values whose N never goes down. */
    public static Expectation ascendingVersions() {
        int[] last = {-1};
        return value -> {
            Matcher m = WHOLE.matcher(value);
            if (!m.matches()) {
                return "a value that is not whole";
            }
            int version = Integer.parseInt(m.group(1));
            if (version < last[0]) {
                return "went back from v" + last[0] + " to v" + version;
            }
            last[0] = version;
            return null;
        };
    }

    public static Report during(int threads, Supplier<String> read, Rotations rotations) throws Exception {
        return during(threads, read, ConcurrentReaders::ascendingVersions, rotations);
    }

    /** Readers, each with its own expectation, reading while {@code rotations} run. */
    public static Report during(
            int threads, Supplier<String> read, Supplier<Expectation> expectations, Rotations rotations)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread reader = new Thread(
                    () -> {
                        started.countDown();
                        Expectation expectation = expectations.get();
                        while (running.get()) {
                            try {
                                String problem = expectation.problem(read.get());
                                if (problem != null) {
                                    problems.add(problem);
                                }
                                reads.incrementAndGet();
                            } catch (RuntimeException | StackOverflowError e) {
                                // A StackOverflowError (the data-key cache's old recursion) is a problem too, not a
                                // silently dead reader.
                                problems.add(e.getClass().getName());
                            }
                        }
                    },
                    "reader-" + i);
            reader.start();
            readers.add(reader);
        }
        started.await();
        try {
            rotations.run();
        } finally {
            running.set(false);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
        }
        return new Report(List.copyOf(problems), reads.get());
    }
}
