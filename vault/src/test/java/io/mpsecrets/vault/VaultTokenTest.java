package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's Vault token when Vault stops accepting it before its TTL says (an operator revoked it, the agent
 * rotated its sink): a 403 to a token that {@code lookup-self} confirms gone is answered by one fresh login and the
 * request is sent again, where the configured method can log in again; a 403 to a token that still looks itself up is
 * a policy's, and stands without a login; a fixed token is not looked up again, and Vault's 403 stands.
 */
class VaultTokenTest {

    private static final String KV = "{\"data\":{\"data\":{\"k\":\"v\"},\"metadata\":{\"version\":1}}}";
    private static final String DENIED = "{\"errors\":[\"permission denied\"]}";

    @TempDir
    Path dir;

    private static VaultSecretStore store(URI address, String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.vault.address", address.toString(),
                "mpsecrets.vault.max-attempts", "1",
                "mpsecrets.vault.timeout", "PT5S"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new VaultSecretStore(
                VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of()));
    }

    /** An AppRole login whose tokens never expire, counted; each gives a new token. */
    private static HostileHttpServer.Answer login(AtomicInteger logins) {
        return out -> HostileHttpServer.json(
                        200,
                        "{\"auth\":{\"client_token\":\"t-" + logins.incrementAndGet()
                                + "\",\"lease_duration\":0,\"renewable\":false}}")
                .write(out);
    }

    private static VaultSecretStore appRole(HostileHttpServer server) {
        return store(
                server.endpoint(),
                "mpsecrets.vault.auth",
                "approle",
                "mpsecrets.vault.approle.role-id",
                "orders",
                "mpsecrets.vault.approle.secret-id",
                LeakGuard.CANARY);
    }

    @Test
    void aRefusedAppRoleTokenIsReplacedByOneFreshLoginAndTheRequestSentAgain() {
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        try (HostileHttpServer server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                        .on("/v1/auth/approle/login", login(logins))
                        .on("/v1/auth/token/lookup-self", HostileHttpServer.json(403, DENIED))
                        .on(
                                "/v1/secret/data/orders",
                                out -> HostileHttpServer.json(
                                                reads.incrementAndGet() == 2 ? 403 : 200,
                                                reads.get() == 2 ? DENIED : KV)
                                        .write(out));
                VaultSecretStore vault = appRole(server)) {
            SecretId id = SecretId.of("secret/orders");
            assertEquals("{\"k\":\"v\"}", vault.fetch(id).asString());
            assertEquals(1, logins.get());
            assertEquals(
                    "{\"k\":\"v\"}",
                    vault.fetch(id).asString(),
                    "the 403 is followed by a login and the same read, even with max-attempts=1");
            assertEquals(2, logins.get());
            assertEquals(3, reads.get());
            assertEquals("{\"k\":\"v\"}", vault.fetch(id).asString());
            assertEquals(2, logins.get(), "the new token is kept");
        }
    }

    @Test
    void aFreshLoginIsTriedOnceThenVaultsRefusalStands() {
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        try (HostileHttpServer server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                        .on("/v1/auth/approle/login", login(logins))
                        .on("/v1/auth/token/lookup-self", HostileHttpServer.json(403, DENIED))
                        .on("/v1/secret/data/orders", out -> {
                            reads.incrementAndGet();
                            HostileHttpServer.json(403, DENIED).write(out);
                        });
                VaultSecretStore vault = appRole(server)) {
            SecretException e = assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/orders")));
            assertEquals(FailureReason.ACCESS_DENIED, e.reason());
            assertThat(e.getMessage()).contains("403", "permission denied").doesNotContain(LeakGuard.CANARY);
            assertEquals(2, logins.get(), "the first login, and one more after the 403");
            assertEquals(2, reads.get());
        }
    }

    @Test
    void aPolicysRefusalOfATokenThatStillLivesStandsWithoutALogin() {
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger lookups = new AtomicInteger();
        try (HostileHttpServer server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                        .on("/v1/auth/approle/login", login(logins))
                        .on("/v1/auth/token/lookup-self", out -> {
                            lookups.incrementAndGet();
                            HostileHttpServer.json(200, "{\"data\":{\"ttl\":0,\"renewable\":false}}")
                                    .write(out);
                        })
                        .on("/v1/secret/data/orders", HostileHttpServer.json(403, DENIED));
                VaultSecretStore vault = appRole(server)) {
            for (int i = 0; i < 3; i++) {
                SecretException e =
                        assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/orders")));
                assertEquals(FailureReason.ACCESS_DENIED, e.reason());
            }
            assertEquals(1, logins.get(), "the token is good: another login would be denied the same");
            assertEquals(3, lookups.get(), "one lookup-self per refusal tells a policy from a revoked token");
        }
    }

    /**
     * System.nanoTime's origin is arbitrary and may be negative (the JDK promises only differences): the first login
     * is not held back as if a backoff ran until time 0.
     */
    @Test
    void theFirstLoginIsNotHeldBackWhenTheClocksOriginIsNegative() {
        AtomicInteger logins = new AtomicInteger();
        try (HostileHttpServer server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                .on("/v1/auth/approle/login", login(logins))
                .on("/v1/secret/data/orders", HostileHttpServer.json(200, KV))) {
            Map<String, String> values = Map.of(
                    "mpsecrets.vault.address",
                    server.endpoint().toString(),
                    "mpsecrets.vault.auth",
                    "approle",
                    "mpsecrets.vault.approle.role-id",
                    "orders",
                    "mpsecrets.vault.approle.secret-id",
                    LeakGuard.CANARY);
            VaultClient client = VaultToken.client(
                    VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of()),
                    io.mpsecrets.api.spi.BackendEvents.NONE,
                    () -> System.nanoTime() - Long.MAX_VALUE / 2);
            assertThat(client.get("secret/data/orders", null, io.mpsecrets.api.SecretRef.NONE)
                            .toString())
                    .contains("\"k\":\"v\"");
            assertEquals(1, logins.get());
        }
    }

    @Test
    void aTokenFileIsReadAgainWhenVaultRefusesTheTokenItHeld() throws Exception {
        try (MockServer server = MockServer.start()) {
            server.vault().putV2("secret/orders", Map.of("k", "file-" + LeakGuard.CANARY));
            server.vault().policy("orders", "secret/data/orders", "read");
            String first = server.vault().token(Duration.ZERO, "orders");
            Path file = Files.writeString(dir.resolve("token"), first + "\n");
            try (VaultSecretStore vault = store(server.endpoint(), "mpsecrets.vault.token-file", file.toString())) {
                SecretId id = SecretId.of("secret/orders");
                assertEquals(
                        "{\"k\":\"file-" + LeakGuard.CANARY + "\"}",
                        vault.fetch(id).asString());
                revoke(server, first);
                Files.writeString(file, server.vault().token(Duration.ZERO, "orders"));
                assertEquals(
                        "{\"k\":\"file-" + LeakGuard.CANARY + "\"}",
                        vault.fetch(id).asString());
                assertEquals(
                        3,
                        server.vault().calls("lookup-self"),
                        "the first token at its login and again when refused (gone), then the file's new token");
            }
        }
    }

    @Test
    void aFixedTokenVaultRefusesIsNotTriedAgain() throws Exception {
        try (MockServer server = MockServer.start()) {
            server.vault().putV2("secret/orders", Map.of("k", "v"));
            server.vault().policy("orders", "secret/data/orders", "read");
            String token = server.vault().token(Duration.ZERO, "orders");
            try (VaultSecretStore vault = store(server.endpoint(), "mpsecrets.vault.token", token)) {
                SecretId id = SecretId.of("secret/orders");
                vault.fetch(id);
                revoke(server, token);
                SecretException e = assertThrows(SecretException.class, () -> vault.fetch(id));
                assertEquals(FailureReason.ACCESS_DENIED, e.reason());
                assertThat(e.getMessage()).doesNotContain(token);
                assertEquals(1, server.vault().calls("lookup-self"), "nothing to log in with again");
            }
        }
    }

    /** {@code POST /v1/auth/token/revoke-self}, as an operator (or the token's TTL) would end it. */
    private static void revoke(MockServer server, String token) throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.endpoint().resolve("/v1/auth/token/revoke-self"))
                                .header("X-Vault-Token", token)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(204, response.statusCode());
    }
}
