package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quarkus' readiness endpoint with mp-secrets' checks in it: up while Secrets Manager (the mock) answers, down while
 * it fails the application's reads, up again once it answers; names and reasons in the answer, never a value.
 */
@QuarkusTest
@QuarkusTestResource(MockServicesResource.class)
class ReadinessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    Config config;

    record Answer(int status, String body) {}

    private Answer ready() throws IOException, InterruptedException {
        int port = config.getValue("quarkus.http.test-port", Integer.class);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        LeakGuard.check(response.body(), "the readiness answer");
        return new Answer(response.statusCode(), response.body());
    }

    private String dbPassword() {
        return config.getValue("orders.db-password", String.class);
    }

    @AfterEach
    void storeBack() {
        MockServicesResource.mock.secretsManager().faults().reset();
    }

    @Test
    void readinessFollowsTheStoreDownAndBackUp() throws Exception {
        assertEquals(MockServicesResource.DB_PASSWORD, dbPassword());
        Answer up = ready();
        assertEquals(200, up.status(), up.body());
        assertThat(up.body()).contains("\"mp-secrets\"", "store.aws", "up since", "kms.local", "mp-secrets rotation");

        MockServicesResource.mock.secretsManager().faults().errorRate(1.0);
        Thread.sleep(300); // past the 0.2 s the value is kept
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer down = ready();
        while (down.status() != 503 && System.nanoTime() < deadline) {
            try {
                dbPassword();
            } catch (SecretException expected) {
                // the read fails while the store is down: what readiness reports
            }
            Thread.sleep(100);
            down = ready();
        }
        assertEquals(503, down.status(), down.body());
        assertThat(down.body()).contains("\"DOWN\"", "store.aws", "down (UNAVAILABLE)");

        MockServicesResource.mock.secretsManager().faults().reset();
        Answer back = ready();
        while (back.status() != 200 && System.nanoTime() < deadline) {
            try {
                dbPassword();
            } catch (SecretException backingOff) {
                // still backing off from the outage
            }
            Thread.sleep(100);
            back = ready();
        }
        assertEquals(200, back.status(), back.body());
        // Reads back off after an outage; the next attempt after the back-off fetches again.
        String password = null;
        while (password == null && System.nanoTime() < deadline) {
            try {
                password = dbPassword();
            } catch (SecretException backingOff) {
                Thread.sleep(100);
            }
        }
        assertEquals(MockServicesResource.DB_PASSWORD, password);
    }
}
