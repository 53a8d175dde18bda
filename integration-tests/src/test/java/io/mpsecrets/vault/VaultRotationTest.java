package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation through the mock Vault: the watcher's cheap version checks (KV v2 metadata), swaps and events. */
@WithMockServer
class VaultRotationTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final MpConfigs configs = new MpConfigs();
    private final String name = "rot" + System.nanoTime();

    VaultRotationTest(MockServer server) {
        this.server = server;
    }

    @BeforeEach
    void counters() {
        server.vault().counter().reset();
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.vault.address", server.endpoint().toString());
        all.put("mpsecrets.vault.token", "root");
        all.put("mpsecrets.app", "orders");
        return configs.build(all);
    }

    @Test
    void aVaultKvVersion2RotationIsServedWithinTheInterval() throws Exception {
        server.vault().putV2("secret/" + name, Map.of("api_key", "k1-" + LeakGuard.CANARY));
        SmallRyeConfig config = config(Map.of(
                "api.key",
                "${vault::secret/" + name + "#api_key}",
                "mpsecrets.vault.ttl",
                "PT1H",
                "mpsecrets.rotation.interval",
                "PT0.5S"));
        assertEquals("k1-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        server.vault().putV2("secret/" + name, Map.of("api_key", "k2-" + LeakGuard.CANARY));
        MpConfigs.until(
                () -> config.getValue("api.key", String.class), "k2-" + LeakGuard.CANARY, Duration.ofMillis(1500));
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(2)))
                .singleElement()
                .asString()
                .contains("property=api.key", "backend=vault", "secret=secret/" + name, "version=2", "previous=1");
    }
}
