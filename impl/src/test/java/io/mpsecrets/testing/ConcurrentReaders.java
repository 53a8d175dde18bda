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

    public static Report during(int threads, Supplier<String> read, Rotations rotations) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread reader = new Thread(
                    () -> {
                        started.countDown();
                        int last = -1;
                        while (running.get()) {
                            try {
                                Matcher m = WHOLE.matcher(read.get());
                                if (!m.matches()) {
                                    problems.add("a value that is not whole");
                                } else if (Integer.parseInt(m.group(1)) < last) {
                                    problems.add("went back from v" + last + " to v" + m.group(1));
                                } else {
                                    last = Integer.parseInt(m.group(1));
                                }
                                reads.incrementAndGet();
                            } catch (RuntimeException e) {
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
