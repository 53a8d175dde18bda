package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code @RotationScoped} on ArC: a bean built with a secret is rebuilt when it rotates, the old one destroyed. */
@QuarkusTest
@QuarkusTestResource(MockServicesResource.class)
class RotationScopedTest {

    @Inject
    PoolCredentials pool;

    @Test
    void aRotationRebuildsTheBeanWithTheNewPairAndDestroysTheOldOneAfterTheGrace() throws Exception {
        assertEquals("pool-1", pool.user());
        assertEquals("pool-1-" + LeakGuard.CANARY, pool.password());
        int destroyedBefore = PoolCredentials.DESTROYED.get();

        Files.writeString(
                MockServicesResource.secrets.resolve("pool"),
                "{\"user\":\"pool-2\",\"password\":\"pool-2-" + LeakGuard.CANARY + "\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!"pool-2".equals(pool.user()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("pool-2", pool.user());
        assertEquals("pool-2-" + LeakGuard.CANARY, pool.password(), "both from the new version");
        while (PoolCredentials.DESTROYED.get() == destroyedBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(PoolCredentials.DESTROYED.get())
                .as("the old instance destroyed after the 0.5 s grace")
                .isEqualTo(destroyedBefore + 1);
        assertEquals("pool-2", pool.user(), "the new instance stays");
    }
}
