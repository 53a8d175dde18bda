package io.mpsecrets.api.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link DaemonScheduler#stop}: what a store's close relies on to lose nothing a server already did; and the loader a
 * scheduler's thread runs with.
 */
class DaemonSchedulerTest {

    @Test
    void stopLetsTheRunningTaskFinishUninterruptedAndDropsTasksNotYetDue() throws Exception {
        ScheduledThreadPoolExecutor scheduler = DaemonScheduler.start("mpsecrets-test-stop");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean laterRan = new AtomicBoolean();
        scheduler.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(200); // a call to a server under way
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        scheduler.schedule(() -> laterRan.set(true), 10, TimeUnit.SECONDS);
        assertTrue(started.await(10, TimeUnit.SECONDS));

        DaemonScheduler.stop(scheduler, Duration.ofSeconds(10));

        assertTrue(finished.get(), "the running task finished");
        assertFalse(interrupted.get(), "and was not interrupted");
        assertFalse(laterRan.get(), "a task not yet due when stopping does not run");
        assertTrue(scheduler.isTerminated());
    }

    @Test
    void aTaskThatOutlastsThePatienceIsInterrupted() throws Exception {
        ScheduledThreadPoolExecutor scheduler = DaemonScheduler.start("mpsecrets-test-stop");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        scheduler.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // a server that never answers
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));

        DaemonScheduler.stop(scheduler, Duration.ofMillis(100));

        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "interrupted once the patience ran out");
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aSchedulerStartedWithALoaderRunsItsTasksWithThatLoaderNotTheCallers() throws Exception {
        ClassLoader library = new URLClassLoader(new URL[0], null);
        assertNotSame(library, Thread.currentThread().getContextClassLoader());
        ScheduledThreadPoolExecutor executor = DaemonScheduler.start("daemon-scheduler-test-loader", library);
        try {
            assertSame(
                    library,
                    executor.submit(() -> Thread.currentThread().getContextClassLoader())
                            .get(5, TimeUnit.SECONDS));
        } finally {
            DaemonScheduler.stop(executor, Duration.ofSeconds(5));
        }
    }
}
