package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private VaultSecretStore vault(HostileHttpServer at, String... settings) {
        return new VaultSecretStore(settings(at, settings));
    }

    private static VaultSettings settings(HostileHttpServer at, String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.vault.address", at.endpoint().toString(),
                "mpsecrets.vault.token", "hostile-token",
                "mpsecrets.vault.max-attempts", "1",
                "mpsecrets.vault.timeout", "PT1S"));
        for (int i = 0; i < settings.length; i += 2) {
            if (settings[i + 1] == null) {
                values.remove(settings[i]);
            } else {
                values.put(settings[i], settings[i + 1]);
            }
        }
        return VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of());
    }

    private SecretException fetchFails(VaultSecretStore vault, Duration within) {
        return assertTimeoutPreemptively(
                within, () -> assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/orders"))));
    }

    @TempDir
    Path dir;

    /**
     * The new logins' answers from a hostile server: a JWT login and a wrapping token's lookup and unwrap answered
     * huge, silently or in the wrong shape are typed failures, within the time-out, quoting neither the JWT nor the
     * wrapping token.
     */
    @Test
    void hostileAnswersToLoginsAndUnwrappingAreTypedFailures() throws Exception {
        String jwt = "eyJ." + LeakGuard.CANARY + ".sig";
        String wrapping = "hvs.wrap-" + LeakGuard.CANARY;
        String[] jwtLogin = {
            "mpsecrets.vault.auth", "jwt",
            "mpsecrets.vault.jwt.role", "orders",
            "mpsecrets.vault.jwt.jwt-file",
                    Files.writeString(dir.resolve("jwt"), jwt).toString()
        };
        String[] wrappedToken = {
            "mpsecrets.vault.token",
            null,
            "mpsecrets.vault.wrapped-token-file",
            Files.writeString(dir.resolve("wrapped"), wrapping).toString()
        };
        String lookupOk = "{\"data\":{\"creation_path\":\"auth/token/create\"}}";
        Map<String, HostileHttpServer.Answer> answers = new java.util.LinkedHashMap<>();
        answers.put("huge", HostileHttpServer.huge(200, "{\"auth\":{\"client_token\":\"", 'a', "\"}}", 20L << 20));
        answers.put("silence", HostileHttpServer.silence());
        answers.put("no auth", HostileHttpServer.json(200, "{\"data\":{}}"));
        answers.put("token a number", HostileHttpServer.json(200, "{\"auth\":{\"client_token\":7}}"));
        answers.put(
                "ttl a string",
                HostileHttpServer.json(200, "{\"auth\":{\"client_token\":\"t\",\"lease_duration\":\"x\"}}"));
        answers.put("an array", HostileHttpServer.json(200, "[1,2]"));
        for (Map.Entry<String, HostileHttpServer.Answer> answer : answers.entrySet()) {
            server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                    .on("/v1/auth/jwt/login", answer.getValue())
                    .on("/v1/sys/wrapping/lookup", HostileHttpServer.json(200, lookupOk))
                    .on("/v1/sys/wrapping/unwrap", answer.getValue());
            for (String[] login : new String[][] {jwtLogin, wrappedToken}) {
                SecretException e = fetchFails(vault(server, login), Duration.ofSeconds(8));
                assertThat(e.reason())
                        .as(answer.getKey() + " " + login[0])
                        .isIn(FailureReason.INVALID_VALUE, FailureReason.ACCESS_DENIED, FailureReason.TIMEOUT);
                LeakGuard.assertNoLeak(e);
            }
            server.close();
        }
        for (String lookup : new String[] {
            "{\"data\":{\"creation_path\":7}}",
            "{\"data\":[]}",
            "{}",
            "{\"data\":{\"creation_path\":\"sys/wrapping/wrap\"}}"
        }) {
            AtomicInteger unwraps = new AtomicInteger();
            server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                    .on("/v1/sys/wrapping/lookup", HostileHttpServer.json(200, lookup))
                    .on("/v1/sys/wrapping/unwrap", out -> {
                        unwraps.incrementAndGet();
                        HostileHttpServer.json(200, "{\"auth\":{\"client_token\":\"t\"}}")
                                .write(out);
                    });
            SecretException e = fetchFails(vault(server, wrappedToken), Duration.ofSeconds(8));
            assertThat(e.reason()).as(lookup).isIn(FailureReason.INVALID_VALUE, FailureReason.ACCESS_DENIED);
            assertEquals(0, unwraps.get(), "a wrapping token whose origin is not shown is not unwrapped: " + lookup);
            LeakGuard.assertNoLeak(e);
            server.close();
        }
    }

    @Test
    void aHugeBodyIsRefusedAtTheLimitNotRead() {
        server = HostileHttpServer.start(
                        HostileHttpServer.huge(200, "{\"data\":{\"data\":{\"k\":\"", 'a', "\"}}}", 20L << 20))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        SecretException e = fetchFails(vault(server), Duration.ofSeconds(10));
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("larger than", "mpsecrets.vault.max-response-size", "backend=vault");
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
    void aRefusalThisClientDoesNotKnowIsNotAnOutage() {
        for (int status : new int[] {405, 409, 413, 418, 422}) {
            server = HostileHttpServer.start(HostileHttpServer.json(status, "{\"errors\":[\"no\"]}"))
                    .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
            SecretException e = fetchFails(vault(server), Duration.ofSeconds(5));
            assertEquals(FailureReason.CONFIGURATION, e.reason(), "status " + status);
            assertThat(e.reason().transientFailure())
                    .as("a refusal is never served stale or failed over")
                    .isFalse();
            server.close();
        }
        for (int status : new int[] {500, 502, 503, 412}) {
            server = HostileHttpServer.start(HostileHttpServer.json(status, "{\"errors\":[]}"))
                    .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
            assertEquals(
                    FailureReason.UNAVAILABLE,
                    fetchFails(vault(server), Duration.ofSeconds(5)).reason());
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

    /**
     * A static role's answer ({@code database/static-creds}) has no lease: it is versioned by
     * {@code last_vault_rotation}, not by its content (whose {@code ttl} counts down), expires when the ttl runs out,
     * and a rotation check reads it again.
     */
    @Test
    void aStaticRoleIsVersionedByItsLastRotationAndExpiresWithItsTtl() {
        server = HostileHttpServer.start(
                        HostileHttpServer.json(200, staticCreds("2026-01-05T10:00:00.123456-05:00", 3600)))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        try (VaultSecretStore vault = vault(server)) {
            SecretId id = SecretId.of("database/static-creds/orders");
            Instant before = Instant.now();
            SecretValue value = vault.fetch(id);
            assertEquals(Optional.of("2026-01-05T15:00:00.123456Z"), value.version());
            assertEquals(Optional.of(Instant.parse("2026-01-05T15:00:00.123456Z")), value.created());
            assertThat(value.expiresAt().orElseThrow())
                    .isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3600));

            server.on(
                    "/v1/database/",
                    HostileHttpServer.json(200, staticCreds("2026-01-05T10:00:00.123456-05:00", 3000)));
            assertEquals(value.version(), vault.currentVersion(id), "the ttl counted down: the same version");
            server.on("/v1/database/", HostileHttpServer.json(200, staticCreds("2026-01-05T11:00:00Z", 3600)));
            assertEquals(Optional.of("2026-01-05T11:00:00Z"), vault.currentVersion(id), "rotated");
            assertEquals(4, server.requests(), "a token lookup, a read, a read per rotation check");
        }
    }

    private static String staticCreds(String lastRotation, long ttl) {
        return "{\"lease_id\":\"\",\"lease_duration\":0,\"renewable\":false,\"data\":{\"username\":\"static\","
                + "\"password\":\"" + LeakGuard.CANARY + "\",\"last_vault_rotation\":\"" + lastRotation
                + "\",\"rotation_period\":3600,\"ttl\":" + ttl + "}}";
    }

    /**
     * Issue 23: a lease whose answer mp-secrets cannot keep (no {@code lease_duration}, a duration or flag of the
     * wrong type, no or malformed data) was never revoked: the first kind was even served as a value without a lease,
     * the others failed and left the lease (a database user) to Vault's TTL. Each is refused, and revoked at once.
     */
    @Test
    void aLeaseWhoseAnswerCannotBeKeptIsRefusedAndRevokedAtOnce() {
        String data = "\"data\":{\"username\":\"u\",\"password\":\"" + LeakGuard.CANARY + "\"}";
        String[] answers = {
            "{\"lease_id\":\"database/creds/orders/1\",\"renewable\":true," + data + "}",
            "{\"lease_id\":\"database/creds/orders/2\",\"lease_duration\":0,\"renewable\":true," + data + "}",
            "{\"lease_id\":\"database/creds/orders/3\",\"lease_duration\":\"60s\"," + data + "}",
            "{\"lease_id\":\"database/creds/orders/4\",\"lease_duration\":60,\"renewable\":\"yes\"," + data + "}",
            "{\"lease_id\":\"database/creds/orders/5\",\"lease_duration\":60,\"data\":\"x\"}",
            "{\"lease_id\":\"database/creds/orders/6\",\"lease_duration\":60}"
        };
        for (int i = 0; i < answers.length; i++) {
            String answer = answers[i];
            String which = "answer " + (i + 1);
            AtomicInteger revoked = new AtomicInteger();
            server = HostileHttpServer.start(HostileHttpServer.json(200, answer))
                    .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK))
                    .on("/v1/sys/leases/revoke", out -> {
                        revoked.incrementAndGet();
                        HostileHttpServer.json(200, "{}").write(out);
                    });
            try (VaultSecretStore vault = vault(server)) {
                SecretException e = assertThrows(
                        SecretException.class, () -> vault.fetch(SecretId.of("database/creds/orders")), which);
                assertEquals(FailureReason.INVALID_VALUE, e.reason(), which);
                assertThat(e.getMessage())
                        .contains("revoked")
                        .doesNotContain(LeakGuard.CANARY, "database/creds/orders/");
                assertEquals(1, revoked.get(), which);
            }
            assertEquals(1, revoked.get(), "not revoked again at close: " + which);
            server.close();
        }
    }

    /**
     * CI failure of RotationUnderLoadTest: closing the store interrupted the timer while it was replacing a lease, so
     * the new lease Vault had just issued (a database role) was never revoked. The close now lets the replacement
     * finish: the new lease, not needed any more, is revoked, and so is the one in service.
     */
    @Test
    void aLeaseIssuedWhileTheStoreClosesIsRevokedNotLost() throws Exception {
        String data = "\"data\":{\"username\":\"u\",\"password\":\"" + LeakGuard.CANARY + "\"}";
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger revoked = new AtomicInteger();
        CountDownLatch replacing = new CountDownLatch(1);
        server = HostileHttpServer.start(HostileHttpServer.json(404, "{\"errors\":[]}"))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK))
                .on("/v1/database/creds/", out -> {
                    int lease = issued.incrementAndGet();
                    if (lease == 2) {
                        replacing.countDown();
                        Thread.sleep(300); // Vault is issuing it as the store closes
                    }
                    String answer = "{\"lease_id\":\"database/creds/orders/" + lease
                            + "\",\"lease_duration\":1,\"renewable\":false," + data + "}";
                    HostileHttpServer.json(200, answer).write(out);
                })
                .on("/v1/sys/leases/revoke", out -> {
                    revoked.incrementAndGet();
                    HostileHttpServer.json(200, "{}").write(out);
                });
        VaultSecretStore vault = vault(server, "mpsecrets.vault.timeout", "PT5S");
        vault.fetch(SecretId.of("database/creds/orders")).destroy();
        assertThat(replacing.await(10, TimeUnit.SECONDS))
                .as("the lease, not renewable, is replaced at two thirds of its second")
                .isTrue();
        vault.close();
        assertThat(issued.get()).as("issued").isGreaterThanOrEqualTo(2);
        // the lease in service and the one issued as the store closed (and any a slow machine let it issue before)
        assertEquals(issued.get(), revoked.get(), "every lease Vault issued is revoked at close");
    }

    /**
     * Issue 23: a Transit key id went into the URL path unchecked, so {@code vault-transit:../../sys/...} sent a
     * request to another path of Vault (a proxy in front normalises it), and a name with a space failed with an
     * unchecked IllegalArgumentException. Key names are checked as Vault's routes match them, before any request.
     */
    @Test
    void aTransitKeyIdIsNeverAPathIntoVault() {
        byte[] key = new byte[32];
        server = HostileHttpServer.start(HostileHttpServer.json(
                        200,
                        "{\"data\":{\"ciphertext\":\"vault:v1:AAAA\",\"plaintext\":\""
                                + java.util.Base64.getEncoder().encodeToString(key) + "\"}}"))
                .on("/v1/auth/token/lookup-self", HostileHttpServer.json(200, LOOKUP_OK));
        VaultTransitKms kms = new VaultTransitKms(settings(server), "transit");
        EncryptionContext context = EncryptionContext.forApplication("orders");
        for (String name : new String[] {
            "a b",
            "../../sys/seal",
            "..",
            "orders/../../../sys/raw",
            "orders/rotate",
            "orders?x=1",
            "orders#x",
            "-orders",
            "orders.",
            "%2e%2e",
            "orders\n",
            "ordérs",
            ""
        }) {
            String keyId = VaultTransitKms.PREFIX + name;
            SecretException generate =
                    assertThrows(SecretException.class, () -> kms.generateDataKey(keyId, context), name);
            assertEquals(FailureReason.UNKNOWN_KEY, generate.reason(), name);
            assertThat(generate.getMessage())
                    .contains("not a Vault Transit key name")
                    .doesNotContain("\n");
            SecretException decrypt = assertThrows(
                    SecretException.class,
                    () -> kms.decrypt(keyId, "vault:v1:AAAA".getBytes(StandardCharsets.UTF_8), context),
                    name);
            assertEquals(FailureReason.UNKNOWN_KEY, decrypt.reason(), name);
        }
        assertEquals(0, server.requests(), "nothing was sent");
        for (String name : new String[] {"orders", "orders-2024.v1", "_", "a1", "A_b-c.d"}) {
            kms.generateDataKey(VaultTransitKms.PREFIX + name, context)
                    .dataKey()
                    .destroy();
        }
    }
}
