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
}
