package io.mpsecrets.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.TestCertificates;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.hostile.HostileHttpServer.Answer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Azure backends against a hostile HTTPS server that first plays Key Vault's challenge and Entra ID honestly, then
 * answers the read with something no real vault sends: a huge body, a body trickled a byte at a time, silence, nested
 * or malformed JSON, another secret, a redirect, a {@code nextLink} elsewhere. Each is a typed failure within the
 * bounds (size, time), never a value, a hang or an out-of-memory; no token follows a redirect.
 */
class KeyVaultHostileTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String TOKEN =
            "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"tok-" + LeakGuard.CANARY + "\"}";

    @TempDir
    Path dir;

    private TestCertificates certificates;
    private HostileHttpServer server;
    private final AtomicInteger vaultRequests = new AtomicInteger();

    @BeforeEach
    void start() {
        certificates = TestCertificates.create(dir);
        server = HostileHttpServer.startTls(certificates.serverContext(), HostileHttpServer.json(404, "{}"));
        server.on("/" + TENANT + "/oauth2/v2.0/token", HostileHttpServer.json(200, TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Key Vault's 401 challenge to the first request of {@code path}, then {@code then} to every other. */
    private HostileHttpServer vault(String path, Answer then) {
        AtomicInteger calls = new AtomicInteger();
        return server.on(path, out -> {
            vaultRequests.incrementAndGet();
            if (calls.getAndIncrement() == 0) {
                out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer authorization=\""
                                + "https://login.microsoftonline.com/" + TENANT
                                + "\", resource=\"https://vault.azure.net\""
                                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            } else {
                then.write(out);
            }
        });
    }

    private Map<String, String> settings(String... more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.azure.vault-url", server.endpoint().toString());
        settings.put("mpsecrets.azure.ca-bundle", certificates.caBundle().toString());
        settings.put("mpsecrets.azure.authority-host", server.endpoint().toString());
        settings.put("mpsecrets.azure.challenge-resource-verification", "false");
        settings.put("mpsecrets.azure.client-id", "orders-app");
        settings.put("mpsecrets.azure.client-secret", "cs-" + LeakGuard.CANARY);
        settings.put("mpsecrets.azure.timeout", "PT1S");
        settings.put("mpsecrets.azure.max-attempts", "1");
        settings.put("mpsecrets.azure.max-response-size", "64KiB");
        return AzureTestSettings.with(settings, more);
    }

    private SecretException fetchFails(String name, Answer answer) {
        vault("/secrets/" + name, answer);
        try (KeyVaultSecretStore store = AzureTestSettings.store(settings())) {
            SecretException e = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(name)));
            LeakGuard.assertNoLeak(e, store);
            return e;
        }
    }

    private static String bundle(String name, String value) {
        return "{\"value\":\"" + value + "\",\"id\":\"https://127.0.0.1/secrets/" + name
                + "/0123abcd\",\"attributes\":{\"enabled\":true}}";
    }

    @Test
    void aHugeSecretIsRefusedWithoutBeingReadWhole() {
        SecretException e = fetchFails(
                "huge", HostileHttpServer.huge(200, "{\"value\":\"" + LeakGuard.CANARY, 'x', "\"}", 50L * 1024 * 1024));
        assertThat(e).isInstanceOf(InvalidSecretValueException.class);
        assertThat(e.getMessage()).contains("max-response-size");
    }

    @Test
    void aTrickledAnswerAndSilenceAreTimeOuts() {
        SecretException trickled =
                fetchFails("slow", HostileHttpServer.trickle(200, bundle("slow", "v"), Duration.ofMillis(200)));
        assertEquals(FailureReason.TIMEOUT, trickled.reason());
        SecretException silent = fetchFails("silent", HostileHttpServer.silence());
        assertEquals(FailureReason.TIMEOUT, silent.reason());
    }

    @Test
    void malformedNestedAndMistypedAnswersAreInvalidValues() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        for (String[] answer : new String[][] {
            {"garbage", "not json " + LeakGuard.CANARY},
            {"deep", deep},
            {"array", "[\"" + LeakGuard.CANARY + "\"]"},
            {"typed", "{\"value\":42,\"id\":\"https://127.0.0.1/secrets/typed/0a\",\"attributes\":{}}"},
            {"noid", "{\"value\":\"" + LeakGuard.CANARY + "\",\"attributes\":{}}"},
            {"other", bundle("someone-else", LeakGuard.CANARY)},
            {"noattrs", "{\"value\":\"" + LeakGuard.CANARY + "\",\"id\":\"https://127.0.0.1/secrets/noattrs/0a\"}"}
        }) {
            SecretException e = fetchFails(answer[0], HostileHttpServer.json(200, answer[1]));
            assertThat(e).as(answer[0]).isInstanceOf(InvalidSecretValueException.class);
        }
    }

    @Test
    void aTimeBeyondWhatAnInstantHoldsIsAnInvalidValueNotAnUntypedError() {
        for (String member : new String[] {"exp", "nbf", "created"}) {
            String name = "far-" + member;
            SecretException e = fetchFails(
                    name,
                    HostileHttpServer.json(
                            200,
                            "{\"value\":\"" + LeakGuard.CANARY + "\",\"id\":\"https://127.0.0.1/secrets/" + name
                                    + "/0a\",\"attributes\":{\"" + member + "\":9223372036854775807}}"));
            assertThat(e).as(member).isInstanceOf(InvalidSecretValueException.class);
            assertThat(e.getMessage()).contains(member);
        }
    }

    @Test
    void aRedirectIsARefusalAndNoTokenFollowsIt() {
        try (HostileHttpServer elsewhere = HostileHttpServer.start(HostileHttpServer.json(200, bundle("moved", "x")))) {
            SecretException e = fetchFails(
                    "moved",
                    out -> out.write(("HTTP/1.1 302 Found\r\nLocation: " + elsewhere.endpoint()
                                    + "/secrets/moved\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(e).isInstanceOf(ConfigurationException.class);
            assertThat(e.getMessage()).contains("302").contains("not followed");
            assertEquals(0, elsewhere.requests(), "nothing, and no token, went to the redirect's host");
        }
    }

    @Test
    void aNextLinkOutsideTheVaultIsNotFollowed() {
        vault(
                "/secrets?",
                HostileHttpServer.json(
                        200, "{\"value\":[],\"nextLink\":\"https://attacker.example/secrets?maxresults=25\"}"));
        try (KeyVaultSecretStore store = AzureTestSettings.store(settings())) {
            SecretException e = assertThrows(InvalidSecretValueException.class, store::list);
            assertThat(e.getMessage()).contains("nextLink");
        }
    }

    @Test
    void endlessPagesStopAtTheBound() {
        String self = server.endpoint() + "/secrets?maxresults=25&page=next";
        vault("/secrets?", HostileHttpServer.json(200, "{\"value\":[],\"nextLink\":\"" + self + "\"}"));
        try (KeyVaultSecretStore store = AzureTestSettings.store(settings("mpsecrets.azure.max-secrets", "25"))) {
            SecretException e = assertThrows(InvalidSecretValueException.class, store::list);
            assertThat(e.getMessage()).contains("pages");
        }
        assertThat(vaultRequests.get()).isLessThanOrEqualTo(2 + 1 + KeyVaultSecretStore.SHORT_PAGES);
    }

    @Test
    void aHostThatAnswersWithoutAChallengeOrWithAForeignResourceGetsNoToken() {
        server.on("/secrets/open", HostileHttpServer.json(200, bundle("open", LeakGuard.CANARY)));
        try (KeyVaultSecretStore store = AzureTestSettings.store(settings())) {
            SecretException e = assertThrows(ConfigurationException.class, () -> store.fetch(SecretId.of("open")));
            assertThat(e.getMessage()).contains("not Key Vault");
        }
        server.on(
                "/secrets/foreign",
                out -> out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer "
                                + "authorization=\"https://login.microsoftonline.com/" + TENANT + "\", resource=\""
                                + "https://management.azure.com\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1)));
        try (KeyVaultSecretStore store =
                AzureTestSettings.store(settings("mpsecrets.azure.challenge-resource-verification", "true"))) {
            SecretException e =
                    assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of("foreign")));
            assertThat(e.getMessage()).contains("no token is sent");
        }
    }

    @Test
    void entraIdAnsweringHugeOrWithoutATokenIsAFailureNotAHang() {
        server.on(
                "/" + TENANT + "/oauth2/v2.0/token", HostileHttpServer.huge(200, "{\"a\":\"", 'x', "\"}", 10_000_000));
        SecretException huge = fetchFails("t1", HostileHttpServer.json(200, bundle("t1", "v")));
        assertThat(huge).isInstanceOf(InvalidSecretValueException.class);

        server.on("/" + TENANT + "/oauth2/v2.0/token", HostileHttpServer.json(200, "{\"expires_in\":3600}"));
        SecretException empty = fetchFails("t2", HostileHttpServer.json(200, bundle("t2", "v")));
        assertThat(empty.getMessage()).contains("access_token");

        server.on(
                "/" + TENANT + "/oauth2/v2.0/token",
                HostileHttpServer.json(200, "{\"access_token\":\"" + LeakGuard.CANARY + "\",\"expires_in\":-5}"));
        SecretException lifetime = fetchFails("t3", HostileHttpServer.json(200, bundle("t3", "v")));
        assertThat(lifetime.getMessage()).contains("lifetime");
    }

    @Test
    void entraIdRedirectingTheTokenRequestGetsNoClientSecretElsewhere() {
        try (HostileHttpServer elsewhere = HostileHttpServer.start(HostileHttpServer.json(200, TOKEN))) {
            server.on(
                    "/" + TENANT + "/oauth2/v2.0/token",
                    out -> out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + elsewhere.endpoint() + "/"
                                    + TENANT + "/oauth2/v2.0/token\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1)));
            SecretException e = fetchFails("t4", HostileHttpServer.json(200, bundle("t4", "v")));
            assertThat(e).isInstanceOf(SecretAccessDeniedException.class);
            assertThat(e.getMessage()).contains("307");
            assertEquals(0, elsewhere.requests(), "the client secret went nowhere but the authority");
        }
    }

    @Test
    void aHostileUnwrapAnswerIsTypedToo() {
        vault("/keys/k/0a1b/unwrapkey", HostileHttpServer.json(200, "{\"kid\":\"x\",\"value\":\"%%not-base64%%\"}"));
        KeyVaultKms kms = new KeyVaultKms(AzureTestSettings.read(settings(), Map.of()));
        byte[] wrapped = {1, 1, 5, 6, 7};
        SecretException e = assertThrows(
                SecretException.class,
                () -> kms.decrypt(
                        KeyVaultKms.PREFIX + server.endpoint() + "/keys/k/0a1b",
                        wrapped,
                        EncryptionContext.forApplication("orders")));
        assertThat(e).isInstanceOf(InvalidSecretValueException.class);
        LeakGuard.assertNoLeak(e, kms);
    }
}
