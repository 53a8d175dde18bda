package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The signing key kept in AWS Secrets Manager (the mock), referenced as {@code ${aws::orders/tokens#signing_key}},
 * rotated while the application runs: the application injects it as a {@code Supplier<String>} and signs with the
 * new key within the rotation interval, without a restart.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@MockSecret(name = RotatedStoreSecretIT.SECRET, value = "{\"signing_key\":\"first-" + LeakGuard.CANARY + "\"}")
class RotatedStoreSecretIT {

    static final String SECRET = "orders/tokens";

    @Deployment(testable = false)
    static WebArchive orders() {
        return AppServer.packagedWar(
                "orders-rotating",
                Map.of(
                        "mpsecrets.app",
                        "orders",
                        "mpsecrets.rotation.interval",
                        "PT0.5S",
                        "tokens.signing-key",
                        "${aws::" + SECRET + "#signing_key}"));
    }

    private static String sign(URL orders) {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        return AppServer.json(issued.body()).getString("token");
    }

    @Test
    void aRotatedSecretIsUsedWithinTheIntervalWithoutARestart(@ArquillianResource URL orders) throws Exception {
        String before = sign(orders);
        assertThat(before).endsWith("." + AppServer.expectedSignature(before, "first-" + LeakGuard.CANARY));

        String version = MpSecretsArquillian.server()
                .secretsManager()
                .putSecretValue(SECRET, "{\"signing_key\":\"second-" + LeakGuard.CANARY + "\"}");
        long start = System.nanoTime();
        String after = sign(orders);
        while (!after.endsWith("." + AppServer.expectedSignature(after, "second-" + LeakGuard.CANARY))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still signing with the old key")
                    .isLessThan(Duration.ofSeconds(5));
            Thread.sleep(100);
            after = sign(orders);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofMillis(1500 + 1000)); // interval + 1 s, + HTTP
        // The old token no longer verifies; the application's observer saw the rotation, with versions only.
        assertEquals(
                false,
                AppServer.json(AppServer.get(orders, "api/tokens/verify?token=" + before)
                                .body())
                        .getBoolean("valid"));
        AppServer.Answer status = AppServer.get(orders, "api/status");
        JsonObject body = AppServer.json(status.body());
        assertThat(body.getJsonArray("events").getValuesAs(JsonObject.class)).anySatisfy(event -> {
            assertEquals("rotated", event.getString("event"));
            assertEquals("tokens.signing-key", event.getString("property"));
            assertEquals("aws", event.getString("backend"));
            assertEquals(version, event.getString("version"));
        });
        JsonObject secret = body.getJsonArray("secrets").getJsonObject(0);
        assertEquals("reference", secret.getString("kind"));
        assertEquals(SECRET + "#signing_key", secret.getString("secret"));
        assertEquals(version, secret.getString("version"));
        LeakGuard.check(status.body(), "the status endpoint");
    }
}
