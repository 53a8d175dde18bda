package io.mpsecrets.cdi;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.runtime.SecretReads;
import jakarta.enterprise.context.spi.Contextual;
import jakarta.enterprise.context.spi.CreationalContext;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The rotation context's bookkeeping: a rotation read by two properties (a user and a password in one secret) comes
 * as two events, and the instance built between them, with the new values, is not retired by the second (found under
 * load: a pool was closed twice).
 */
class RotationContextTest {

    private static final CreationalContext<Object> CREATIONAL = new CreationalContext<>() {
        @Override
        public void push(Object incompleteInstance) {}

        @Override
        public void release() {}
    };

    private static final Contextual<Object> POOL = new Contextual<>() {
        @Override
        public Object create(CreationalContext<Object> creational) {
            SecretReads.read("db.user");
            SecretReads.read("db.password");
            return new Object();
        }

        @Override
        public void destroy(Object instance, CreationalContext<Object> creational) {}
    };

    private static SecretRotated rotated(String property, String version) {
        return new SecretRotated(
                Instant.now(),
                new SecretRef(property, "file", "db", null, version),
                "v1",
                WorkerContext.ofCurrentThread("app", null));
    }

    @Test
    void theSecondEventOfOneRotationLeavesTheInstanceBuiltAfterTheFirst() {
        RotationContext context = new RotationContext();
        context.grace(Duration.ZERO);
        try {
            Object first = context.get(POOL, CREATIONAL);
            context.observe(rotated("db.user", "v2"));
            Object second = context.get(POOL, CREATIONAL);
            assertNotSame(first, second);

            context.observe(rotated("db.password", "v2"));
            assertSame(second, context.get(POOL, CREATIONAL), "built with v2 already");

            context.observe(rotated("db.password", "v3"));
            assertNotSame(second, context.get(POOL, CREATIONAL));
        } finally {
            context.shutdown();
        }
    }

    /** A bean that reads {@code property} and, when destroyed, runs {@code onDestroy} (a rotation arriving). */
    private static final class Bean implements Contextual<Object> {
        private final String property;
        private Runnable onDestroy = () -> {};
        private final java.util.concurrent.atomic.AtomicInteger destroyed =
                new java.util.concurrent.atomic.AtomicInteger();

        Bean(String property) {
            this.property = property;
        }

        @Override
        public Object create(CreationalContext<Object> creational) {
            SecretReads.read(property);
            return new Object();
        }

        @Override
        public void destroy(Object instance, CreationalContext<Object> creational) {
            destroyed.incrementAndGet();
            onDestroy.run();
        }
    }

    @Test
    void anInstanceRetiredWhileTheContextShutsDownIsDestroyedAndNothingOutlivesIt() throws InterruptedException {
        java.util.Set<Thread> before = schedulerThreads();
        RotationContext context = new RotationContext();
        context.grace(Duration.ofHours(1));
        Bean first = new Bean("a.password");
        Bean second = new Bean("b.password");
        // Whichever shutdown destroys first, a rotation of the other's secret arrives meanwhile.
        first.onDestroy = () -> context.observe(rotated("b.password", "v2"));
        second.onDestroy = () -> context.observe(rotated("a.password", "v2"));
        context.get(first, CREATIONAL);
        context.get(second, CREATIONAL);
        context.get(new Bean("c.password"), CREATIONAL);
        context.observe(rotated("c.password", "v2")); // one waiting out its grace: the scheduler is running

        context.shutdown();

        org.junit.jupiter.api.Assertions.assertEquals(1, first.destroyed.get(), "destroyed once, at shutdown");
        org.junit.jupiter.api.Assertions.assertEquals(1, second.destroyed.get(), "destroyed once, at shutdown");
        org.junit.jupiter.api.Assertions.assertFalse(context.isActive());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        java.util.Set<Thread> started = schedulerThreads();
        started.removeAll(before);
        while (!started.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            started.removeIf(thread -> !thread.isAlive());
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(), started, "no scheduler outlives shutdown");
    }

    /**
     * A destruction under way on the scheduler when the scope shuts down (a pool closing its connections as the
     * application stops) finishes uninterrupted: shutdown no longer interrupts it.
     */
    @Test
    void aDestructionUnderWayAtShutdownFinishesUninterrupted() throws InterruptedException {
        RotationContext context = new RotationContext();
        context.grace(Duration.ZERO);
        Bean pool = new Bean("d.password");
        java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        pool.onDestroy = () -> {
            closing.countDown();
            try {
                Thread.sleep(300); // closing its connections
                closed.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        };
        context.get(pool, CREATIONAL);
        context.observe(rotated("d.password", "v2")); // retired, destroyed on the scheduler at once (no grace)
        org.junit.jupiter.api.Assertions.assertTrue(closing.await(10, java.util.concurrent.TimeUnit.SECONDS));

        context.shutdown();

        org.junit.jupiter.api.Assertions.assertFalse(interrupted.get(), "not interrupted");
        org.junit.jupiter.api.Assertions.assertTrue(closed.get(), "finished before shutdown returned");
        org.junit.jupiter.api.Assertions.assertEquals(1, pool.destroyed.get(), "destroyed once");
    }

    private static java.util.Set<Thread> schedulerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("mpsecrets-rotation-scope"))
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }
}
