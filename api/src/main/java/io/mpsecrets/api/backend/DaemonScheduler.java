package io.mpsecrets.api.backend;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for an application's timed work (rotation checks, lease renewals, retiring instances): named, so
 * that a thread dump says whose it is; carrying the class loader of the thread that made it, so that the work sees the
 * application's classes on servers that run each application in its own loader; a cancelled task leaves its queue.
 */
public final class DaemonScheduler {

    private DaemonScheduler() {}

    /**
     * A new scheduler with one daemon thread named {@code threadName}, which runs with the calling thread's context
     * class loader. Whoever starts it shuts it down when closing: until then its thread stays, and keeps the
     * application's class loader alive.
     *
     * @param threadName the thread's name, e.g. {@code mpsecrets-rotation-orders}
     * @return the scheduler; a cancelled task leaves its queue at once
     */
    public static ScheduledThreadPoolExecutor start(String threadName) {
        return start(threadName, Thread.currentThread().getContextClassLoader());
    }

    /**
     * A new scheduler as {@link #start(String)} makes, whose thread runs with {@code loader} as its context class
     * loader: for work that belongs to a library's class loader rather than to the application that happens to call
     * first (a JDBC driver a server loads once for all its datasources).
     *
     * @param threadName the thread's name
     * @param loader the thread's context class loader
     * @return the scheduler; a cancelled task leaves its queue at once
     */
    public static ScheduledThreadPoolExecutor start(String threadName, ClassLoader loader) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            thread.setContextClassLoader(loader);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Stops {@code executor} without interrupting the task it is running: tasks not yet due are dropped, the running
     * one may finish for up to {@code patience}, and only then is it interrupted. For work whose interruption would
     * lose what the other side already did (a lease Vault issued, a revocation half sent): the task sees its owner
     * closed and cleans up after itself.
     *
     * @param executor a scheduler from {@link #start(String)}
     * @param patience how long the running task may take to finish
     */
    public static void stop(ScheduledThreadPoolExecutor executor, Duration patience) {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(patience.toNanos(), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
