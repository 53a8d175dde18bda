package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.settings.Settings;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vault as a broken or hostile server would answer. Defect 5: a 200 MB body ended in OutOfMemoryError. Defect 6: a
 * body trickled a byte at a time was not bounded by {@code mpsecrets.vault.timeout}, which stopped at the headers.
 * Defect 8: odd but well-formed JSON ({@code ttl:"abc"}, {@code data:"x"}) and deeply nested JSON escaped as
 * unchecked exceptions. Defect 17: control characters in Vault's {@code errors} reached our messages. Each is one
 * typed failure naming the provider and secret, quickly, with nothing of the body in it.
 */
class HostileVaultTest {

    private static final String LOOKUP_OK = "{\"data\":{\"ttl\":0,\"renewable\":false}}";
    private HostileHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private VaultSecretProvider vault(HostileHttpServer at, String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.vault.address", at.endpoint().toString(),
                "mpsecrets.vault.token", "hostile-token",
                "mpsecrets.vault.max-attempts", "1",
                "mpsecrets.vault.timeout", "PT1S"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new VaultSecretProvider(
                VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of()));
    }

    private SecretException fetchFails(VaultSecretProvider vault, Duration within) {
        return assertTimeoutPreemptively(
                within, () -> assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/orders"))));
    }

    @Test
    void aHugeBodyIsRefusedAtTheLimitNotRead() {
        server = HostileHttpServer.start(
                        HostileHttpServer.huge(200, "{\"data\":{\"data\":{\"k\":\"", 'a', "\"}}}", 20L << 20))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        SecretException e = fetchFails(vault(server), Duration.ofSeconds(10));
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("larger than", "mpsecrets.vault.max-response-size", "provider=vault");
    }

    @Test
    void aTrickledBodyIsBoundedByTheTimeoutForTheWholeExchange() {
        server = HostileHttpServer.start(
                        HostileHttpServer.trickle(200, "{\"data\":{\"data\":{\"k\":\"v\"}}}", Duration.ofMillis(200)))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        long start = System.nanoTime();
        SecretException e = fetchFails(vault(server), Duration.ofSeconds(8));
        assertEquals(FailureReason.TIMEOUT, e.reason());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aSilentServerIsATimeout() {
        server = HostileHttpServer.start(HostileHttpServer.silence());
        assertEquals(
                FailureReason.TIMEOUT,
                fetchFails(vault(server), Duration.ofSeconds(8)).reason());
    }

    @Test
    void answersOfTheWrongShapeAreTypedFailures() {
        for (String lookup : new String[] {
            "{\"data\":{\"ttl\":\"abc\",\"renewable\":true}}", "{\"data\":\"x\"}", "[1,2]", "{\"data\":{\"ttl\":1e400}}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, "{\"data\":{\"data\":{\"k\":\"v\"}}}"))
                    .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, lookup));
            SecretException e = fetchFails(vault(server), Duration.ofSeconds(5));
            assertThat(e.reason()).as(lookup).isIn(FailureReason.INVALID_VALUE, FailureReason.ACCESS_DENIED);
            server.close();
        }
        for (String body : new String[] {
            "{\"data\":\"x\"}", "{\"data\":{\"data\":[1]}}", "{\"data\":{\"data\":{\"k\":\"v\"},\"metadata\":7}}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, body))
                    .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
            SecretException e = fetchFails(vault(server), Duration.ofSeconds(5));
            assertThat(e.reason()).as(body).isIn(FailureReason.INVALID_VALUE, FailureReason.NOT_FOUND);
            server.close();
        }
    }

    @Test
    void deeplyNestedJsonIsATypedFailure() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        server = HostileHttpServer.start(HostileHttpServer.json(200, "{\"data\":{\"data\":{\"k\":" + deep + "}}}"))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        assertEquals(
                FailureReason.INVALID_VALUE,
                fetchFails(vault(server), Duration.ofSeconds(10)).reason());
    }

    @Test
    void vaultsErrorStringsAreEscapedInMessages() {
        server = HostileHttpServer.start(HostileHttpServer.json(
                        403,
                        "{\"errors\":[\"permission denied\\u001b[31m\\nforged line " + LeakGuard.CANARY.substring(0, 6)
                                + "\\u2028x\"]}"))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        SecretException e = fetchFails(vault(server), Duration.ofSeconds(5));
        assertEquals(FailureReason.ACCESS_DENIED, e.reason());
        assertThat(e.getMessage()).doesNotContain("\u001b", "\n", "\u2028").contains("permission denied");
    }

    /** A leased mount's answer without a lease (a static role) is a plain value: read once, never expiring. */
    @Test
    void aLeasedMountAnswerWithoutALeaseIsServedAsAPlainValueAndNotReadAgain() {
        server = HostileHttpServer.start(HostileHttpServer.json(
                        200,
                        "{\"lease_id\":\"\",\"lease_duration\":0,\"renewable\":false,"
                                + "\"data\":{\"username\":\"static\",\"password\":\"" + LeakGuard.CANARY + "\"}}"))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        try (VaultSecretProvider vault = vault(server)) {
            SecretId id = SecretId.of("database/static-creds/orders");
            String version = vault.fetch(id).version().orElseThrow();
            assertThat(version).doesNotStartWith("lease-");
            assertEquals(Optional.of(version), vault.currentVersion(id));
            assertEquals(version, vault.fetch(id).version().orElseThrow());
            assertEquals(2, server.requests(), "one token lookup, one read");
        }
    }
}
