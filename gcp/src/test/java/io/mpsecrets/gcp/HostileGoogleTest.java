package io.mpsecrets.gcp;

import static io.mpsecrets.gcp.GcpTestSupport.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google as a broken or hostile server would answer, on a loopback server of the test's own: bodies too large,
 * trickled or never sent, JSON of the wrong shape or nesting, checksums that do not match, tokens that cannot be sent,
 * keys other than the one asked for, pages that never end. Each is one typed failure, quickly, naming no value.
 */
class HostileGoogleTest {

    private static final String SECRET = "/v1/projects/orders-prod/secrets/db/versions/latest:access";
    private static final String NAME = "projects/123456789012/secrets/db/versions/1";
    private static final String KEY = "projects/orders-prod/locations/global/keyRings/r/cryptoKeys/k";
    private static final String TOKEN = "{\"access_token\":\"ya29.hostile\",\"expires_in\":3600}";
    private static final EncryptionContext ORDERS = EncryptionContext.forApplication("orders");

    private HostileHttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HostileHttpServer start(HostileHttpServer.Answer fallback) {
        server = HostileHttpServer.start(fallback).on("/token", HostileHttpServer.json(200, TOKEN));
        return server;
    }

    private Map<String, String> settings(String... more) {
        Path credentials = dir.resolve("user.json");
        try {
            Files.writeString(
                    credentials,
                    "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"s\",\"refresh_token\":\"r\","
                            + "\"token_uri\":\"" + server.endpoint() + "/token\"}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> settings = new HashMap<>(Map.of(
                "mpsecrets.gcp.endpoint",
                server.endpoint().toString(),
                "mpsecrets.kms.gcp-kms.endpoint",
                server.endpoint().toString(),
                "mpsecrets.gcp.credentials-file",
                credentials.toString(),
                "mpsecrets.gcp.project",
                "orders-prod",
                "mpsecrets.gcp.max-attempts",
                "1",
                "mpsecrets.gcp.timeout",
                "PT1S"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private SecretStore store(String... more) {
        return new SecretManagerStoreFactory().create(context("gcp", "mpsecrets.gcp.", settings(more)));
    }

    private KeyManagementService kms(String... more) {
        return new CloudKmsFactory().create(context("gcp-kms", "mpsecrets.kms.gcp-kms.", settings(more)));
    }

    private static SecretException fails(Executable call) {
        SecretException e =
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(SecretException.class, call));
        LeakGuard.assertNoLeak(e);
        return e;
    }

    private SecretException fetchFails(SecretStore store) {
        return fails(() -> store.fetch(SecretId.of("db")));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String access(byte[] data, long crc) {
        return "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":\"" + b64(data) + "\",\"dataCrc32c\":\"" + crc
                + "\"}}";
    }

    @Test
    void aHugeBodyIsRefusedAtTheLimitNotRead() {
        start(HostileHttpServer.huge(200, "{\"name\":\"", 'a', "\"}", 200L << 20));
        SecretException e = fetchFails(store());
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("mpsecrets.gcp.max-response-size", "backend=gcp");
    }

    @Test
    void aTrickledBodyIsBoundedByTheTimeoutForTheWholeExchange() {
        start(HostileHttpServer.trickle(
                200, access(new byte[] {1, 2, 3}, crc(new byte[] {1, 2, 3})), Duration.ofMillis(200)));
        assertEquals(FailureReason.TIMEOUT, fetchFails(store()).reason());
    }

    @Test
    void aSilentServerIsATimeout() {
        start(HostileHttpServer.silence());
        assertEquals(FailureReason.TIMEOUT, fetchFails(store()).reason());
    }

    @Test
    void aPayloadThatDoesNotMatchItsChecksumIsNeverServed() {
        byte[] canary = LeakGuard.CANARY.getBytes(StandardCharsets.UTF_8);
        start(HostileHttpServer.json(200, access(canary, crc(canary) ^ 1)));
        SecretException e = fetchFails(store());
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("dataCrc32c");
    }

    @Test
    void answersOfTheWrongShapeAreTypedFailures() {
        String deep = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
        for (String body : new String[] {
            "[1,2]",
            "{\"name\":\"" + NAME + "\",\"payload\":\"x\"}",
            "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":7}}",
            "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":\"***\"}}",
            "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":\"AA==\",\"dataCrc32c\":\"-1\"}}",
            "{\"name\":\"" + NAME + "\",\"payload\":{\"data\":\"AA==\",\"dataCrc32c\":1e400}}",
            "{\"name\":\"projects/1/secrets/other/versions/1\",\"payload\":{\"data\":\"AA==\"}}",
            "{\"name\":7}",
            "{\"payload\":{\"data\":\"AA==\"}}",
            deep,
            "not json"
        }) {
            start(HostileHttpServer.json(200, body));
            SecretException e = fetchFails(store());
            assertEquals(FailureReason.INVALID_VALUE, e.reason(), body.length() > 100 ? "deep" : body);
            server.close();
        }
    }

    @Test
    void googlesErrorsAreMappedAndTheirMessagesEscaped() {
        Map<String, FailureReason> expected = Map.of(
                "PERMISSION_DENIED", FailureReason.ACCESS_DENIED,
                "NOT_FOUND", FailureReason.NOT_FOUND,
                "FAILED_PRECONDITION", FailureReason.NOT_FOUND,
                "RESOURCE_EXHAUSTED", FailureReason.THROTTLED,
                "UNAVAILABLE", FailureReason.UNAVAILABLE,
                "INVALID_ARGUMENT", FailureReason.CONFIGURATION);
        for (Map.Entry<String, FailureReason> entry : expected.entrySet()) {
            start(HostileHttpServer.json(
                    400,
                    "{\"error\":{\"code\":400,\"status\":\"" + entry.getKey()
                            + "\",\"message\":\"line\\nbreak\\u001b[31m\"}}"));
            SecretException e = fetchFails(store());
            assertEquals(entry.getValue(), e.reason(), entry.getKey());
            assertThat(e.getMessage()).doesNotContain("\n", "\u001b");
            server.close();
        }
    }

    @Test
    void aRefusalIsNotRetriedAndAnOutageIs() {
        start(HostileHttpServer.json(
                403, "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\",\"message\":\"no\"}}"));
        int before = server.requests();
        assertEquals(
                FailureReason.ACCESS_DENIED,
                fetchFails(store("mpsecrets.gcp.max-attempts", "3")).reason());
        assertEquals(before + 2, server.requests(), "the token, then one access");
        server.close();
        start(HostileHttpServer.json(
                503, "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"down\"}}"));
        before = server.requests();
        assertEquals(
                FailureReason.UNAVAILABLE,
                fetchFails(store("mpsecrets.gcp.max-attempts", "3")).reason());
        assertEquals(before + 4, server.requests(), "the token, then three accesses");
    }

    @Test
    void a401GetsOneMoreTokenThenStands() {
        start(HostileHttpServer.json(
                401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\",\"message\":\"no\"}}"));
        int before = server.requests();
        assertEquals(FailureReason.ACCESS_DENIED, fetchFails(store()).reason());
        assertEquals(before + 4, server.requests(), "token, access, another token, access");
    }

    @Test
    void tokensThatCannotBeSentOrAreRefusedAreTypedFailures() {
        for (String token : new String[] {
            "{\"access_token\":\"a\\r\\nX-Injected: 1\",\"expires_in\":3600}",
            "{\"access_token\":\"ok\",\"expires_in\":-5}",
            "{\"access_token\":\"ok\",\"expires_in\":\"soon\"}",
            "{\"expires_in\":3600}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, "{}"))
                    .on("/token", HostileHttpServer.json(200, token));
            assertEquals(FailureReason.INVALID_VALUE, fetchFails(store()).reason(), token);
            server.close();
        }
        server = HostileHttpServer.start(HostileHttpServer.json(200, "{}"))
                .on(
                        "/token",
                        HostileHttpServer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad\"}"));
        assertEquals(FailureReason.ACCESS_DENIED, fetchFails(store()).reason());
        server.close();
        server = HostileHttpServer.start(HostileHttpServer.json(200, "{}"))
                .on("/token", HostileHttpServer.huge(200, "{\"access_token\":\"", 'a', "\"}", 50L << 20));
        assertEquals(FailureReason.INVALID_VALUE, fetchFails(store()).reason());
    }

    @Test
    void aListingThatNeverEndsIsCutOff() {
        start(HostileHttpServer.json(
                200, "{\"secrets\":[{\"name\":\"projects/1/secrets/a\"}],\"nextPageToken\":\"same\"}"));
        SecretException same =
                fails(() -> store("mpsecrets.gcp.labels", "app=orders").list());
        assertEquals(FailureReason.INVALID_VALUE, same.reason());
        server.close();
        start(HostileHttpServer.json(200, "{\"secrets\":[],\"nextPageToken\":\"t-" + System.nanoTime() + "\"}"));
        // Each page answers the same token here too; an endless run of empty pages is bounded by max-secrets' pages.
        SecretException endless =
                fails(() -> store("mpsecrets.gcp.labels", "app=orders", "mpsecrets.gcp.max-secrets", "5")
                        .list());
        assertEquals(FailureReason.INVALID_VALUE, endless.reason());
        server.close();
        start(HostileHttpServer.json(200, "{\"secrets\":[{\"name\":\"projects/1/secrets/../../x\"}]}"));
        assertEquals(
                FailureReason.INVALID_VALUE,
                fails(() -> store("mpsecrets.gcp.labels", "app=orders").list()).reason());
    }

    @Test
    void cloudKmsAnswersThatFailGooglesIntegrityChecksAreRefused() {
        byte[] ciphertext = {9, 8, 7, 6};
        String good = "{\"name\":\"" + KEY + "/cryptoKeyVersions/1\",\"ciphertext\":\"" + b64(ciphertext)
                + "\",\"ciphertextCrc32c\":\"" + crc(ciphertext) + "\",\"verifiedPlaintextCrc32c\":true,"
                + "\"verifiedAdditionalAuthenticatedDataCrc32c\":true}";
        start(HostileHttpServer.json(200, good));
        assertThat(kms().generateDataKey("gcp-kms:" + KEY, ORDERS).wrappedKey()).isEqualTo(ciphertext);
        server.close();
        for (String answer : new String[] {
            good.replace("\"verifiedPlaintextCrc32c\":true", "\"verifiedPlaintextCrc32c\":false"),
            good.replace("\"verifiedAdditionalAuthenticatedDataCrc32c\":true", "\"x\":1"),
            good.replace("\"" + crc(ciphertext) + "\"", "\"" + (crc(ciphertext) ^ 1) + "\""),
            good.replace(KEY + "/cryptoKeyVersions/1", KEY + "-other/cryptoKeyVersions/1"),
            good.replace("\"ciphertext\":\"" + b64(ciphertext) + "\",", "")
        }) {
            start(HostileHttpServer.json(200, answer));
            KeyManagementService kms = kms();
            SecretException e = fails(() -> kms.generateDataKey("gcp-kms:" + KEY, ORDERS));
            assertEquals(FailureReason.INVALID_VALUE, e.reason(), answer);
            server.close();
        }
        byte[] key = new byte[DataKey.LENGTH];
        for (String answer : new String[] {
            "{\"plaintext\":\"" + b64(key) + "\",\"plaintextCrc32c\":\"" + (crc(key) ^ 1) + "\"}",
            "{\"plaintext\":\"" + b64(key) + "\"}",
            "{\"plaintext\":\"" + b64(new byte[5]) + "\",\"plaintextCrc32c\":\"" + crc(new byte[5]) + "\"}"
        }) {
            start(HostileHttpServer.json(200, answer));
            KeyManagementService kms = kms();
            SecretException e = fails(() -> kms.decrypt("gcp-kms:" + KEY, ciphertext, ORDERS));
            assertEquals(FailureReason.INVALID_VALUE, e.reason(), answer);
            server.close();
        }
    }

    @Test
    void aDecryptRefusalIsAWrongKeyAndAChecksumComplaintIsRetried() {
        start(HostileHttpServer.json(
                400,
                "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"Decryption failed: verify that"
                        + " 'name' refers to the correct CryptoKey.\"}}"));
        assertEquals(
                FailureReason.WRONG_KEY,
                fails(() -> kms().decrypt("gcp-kms:" + KEY, new byte[] {1}, ORDERS))
                        .reason());
        server.close();
        start(HostileHttpServer.json(
                400,
                "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"The checksum in field"
                        + " ciphertext_crc32c did not match the data in field ciphertext.\"}}"));
        int before = server.requests();
        assertEquals(
                FailureReason.UNAVAILABLE,
                fails(() -> kms("mpsecrets.gcp.max-attempts", "2").decrypt("gcp-kms:" + KEY, new byte[] {1}, ORDERS))
                        .reason());
        assertEquals(before + 3, server.requests(), "the token, then two decrypts");
    }
}
