package io.mpsecrets.azure;

import static io.mpsecrets.azure.AzureTestSettings.clientSecret;
import static io.mpsecrets.azure.AzureTestSettings.store;
import static io.mpsecrets.azure.AzureTestSettings.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code azure} store against the testkit's mock Key Vault over HTTPS: the id forms Azure users write, versions,
 * the secrets Key Vault hands out but that may not be used (disabled, expired, not yet valid), denials, throttling,
 * the vault listed in pages, and the token kept between requests.
 */
class KeyVaultSecretStoreTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static MockAzure azure;
    private Map<String, String> settings;

    @BeforeAll
    static void start() {
        azure = MockAzure.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    @BeforeEach
    void reset() {
        azure.vault().faults().reset();
        azure.identityFaults().reset();
        settings = clientSecret(azure);
    }

    private static String name(String hint) {
        return hint + "-" + NAMES.incrementAndGet();
    }

    @Test
    void aSecretByNameByIdentifierUrlAndByAppServiceReference() {
        String name = name("db-password");
        String version = azure.vault().setSecret(name, "pw-" + LeakGuard.CANARY);
        try (KeyVaultSecretStore store = store(settings)) {
            SecretValue byName = store.fetch(SecretId.of(name));
            assertEquals("pw-" + LeakGuard.CANARY, byName.asString());
            assertEquals(version, byName.version().orElseThrow());
            assertThat(byName.created()).isPresent();

            String url = azure.vaultUrl() + "/secrets/" + name + "/" + version;
            assertEquals("pw-" + LeakGuard.CANARY, store.fetch(SecretId.of(url)).asString());
            assertEquals(
                    "pw-" + LeakGuard.CANARY,
                    store.fetch(SecretId.of(
                                    "@Microsoft.KeyVault(SecretUri=" + azure.vaultUrl() + "/secrets/" + name + "/)"))
                            .asString());
            LeakGuard.assertNoLeak(byName, store);
        }
    }

    @Test
    void aPinnedVersionStaysReadableAfterANewOne() {
        String name = name("rotated");
        String first = azure.vault().setSecret(name, "one-" + LeakGuard.CANARY);
        String second = azure.vault().setSecret(name, "two-" + LeakGuard.CANARY);
        try (KeyVaultSecretStore store = store(settings)) {
            assertEquals(second, store.currentVersion(SecretId.of(name)).orElseThrow());
            assertEquals(
                    "one-" + LeakGuard.CANARY,
                    store.fetch(SecretId.parse(name + "?version=" + first)).asString());
            SecretException twoVersions = assertThrows(
                    SecretNotFoundException.class,
                    () -> store.fetch(SecretId.parse(
                            azure.vaultUrl() + "/secrets/" + name + "/" + first + "?version=" + second)));
            assertThat(twoVersions.getMessage()).contains("two versions");
        }
    }

    @Test
    void disabledExpiredAndNotYetValidSecretsAreTypedErrorsNeverValues() {
        String disabled = name("disabled");
        String expired = name("expired");
        String early = name("early");
        azure.vault().setSecret(disabled, "d-" + LeakGuard.CANARY);
        azure.vault().setSecret(expired, "e-" + LeakGuard.CANARY);
        azure.vault().setSecret(early, "n-" + LeakGuard.CANARY);
        azure.vault().secretAttributes(disabled, false, null, null);
        azure.vault().secretAttributes(expired, true, null, Instant.now().minusSeconds(60));
        azure.vault().secretAttributes(early, true, Instant.now().plusSeconds(3600), null);
        try (KeyVaultSecretStore store = store(settings)) {
            for (String name : new String[] {disabled, expired, early}) {
                SecretException e =
                        assertThrows(InvalidSecretValueException.class, () -> store.fetch(SecretId.of(name)));
                assertEquals(FailureReason.INVALID_VALUE, e.reason());
                assertThat(e.reason().transientFailure()).isFalse();
                LeakGuard.assertNoLeak(e);
            }
            assertThat(assertThrows(SecretException.class, () -> store.fetch(SecretId.of(disabled)))
                            .getMessage())
                    .contains("SecretDisabled");
            assertThat(assertThrows(SecretException.class, () -> store.fetch(SecretId.of(expired)))
                            .getMessage())
                    .contains("expired");
            assertThat(assertThrows(SecretException.class, () -> store.fetch(SecretId.of(early)))
                            .getMessage())
                    .contains("nbf");
        }
    }

    @Test
    void aSecretThatExpiresLaterCarriesItsExpiry() {
        String name = name("expiring");
        azure.vault().setSecret(name, "x-" + LeakGuard.CANARY);
        Instant exp = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3600);
        azure.vault().secretAttributes(name, true, null, exp);
        try (KeyVaultSecretStore store = store(settings)) {
            assertEquals(exp, store.fetch(SecretId.of(name)).expiresAt().orElseThrow());
        }
    }

    @Test
    void missingDeniedAndMalformedNamesAreTypedFailures() {
        String denied = name("denied");
        azure.vault().setSecret(denied, "no-" + LeakGuard.CANARY);
        azure.vault().secretPolicy(denied, Policy.of(Policy.allow("someone-else", "get")));
        try (KeyVaultSecretStore store = store(settings)) {
            SecretException missing =
                    assertThrows(SecretNotFoundException.class, () -> store.fetch(SecretId.of(name("absent"))));
            assertEquals("azure", missing.ref().backend());
            assertThat(missing.getMessage()).contains("SecretNotFound");

            SecretException refused =
                    assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of(denied)));
            assertThat(refused.getMessage()).contains("ForbiddenByRbac");
            LeakGuard.assertNoLeak(refused);

            long before = azure.vault().counter().total();
            for (String bad : new String[] {"../keys/x", "a/b", "with space", "x".repeat(128)}) {
                assertThrows(SecretNotFoundException.class, () -> store.fetch(SecretId.of(bad)), bad);
            }
            assertEquals(before, azure.vault().counter().total(), "nothing was asked for a malformed name");
            assertThrows(
                    SecretNotFoundException.class, () -> store.fetch(SecretId.of("http://plain.example/secrets/x")));
        }
    }

    @Test
    void throttlingIsRetriedAfterRetryAfterAndThenStandsAsTransient() {
        String name = name("busy");
        azure.vault().setSecret(name, "b-" + LeakGuard.CANARY);
        azure.vault().retryAfter(Duration.ZERO);
        try (KeyVaultSecretStore store = store(settings)) {
            store.fetch(SecretId.of(name)); // the challenge and the token first
            azure.vault().faults().throttleNext(2);
            assertEquals("b-" + LeakGuard.CANARY, store.fetch(SecretId.of(name)).asString());

            azure.vault().faults().throttleNext(3);
            SecretException throttled = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(name)));
            assertEquals(FailureReason.THROTTLED, throttled.reason());

            azure.vault().retryAfter(Duration.ofHours(1));
            azure.vault().faults().throttleNext(1);
            long before = azure.vault().counter().calls("GetSecret");
            SecretException later = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(name)));
            assertEquals(FailureReason.THROTTLED, later.reason());
            assertEquals(before + 1, azure.vault().counter().calls("GetSecret"), "an hour is not waited out");
        } finally {
            azure.vault().retryAfter(Duration.ofSeconds(1));
        }
    }

    @Test
    void theTokenIsKeptBetweenRequestsAndReplacedOnceWhenKeyVaultRefusesIt() {
        String name = name("cached");
        azure.vault().setSecret(name, "c-" + LeakGuard.CANARY);
        try (KeyVaultSecretStore store = store(settings)) {
            long before = azure.identityCounter().calls("Entra");
            for (int i = 0; i < 5; i++) {
                store.fetch(SecretId.of(name));
            }
            assertEquals(before + 1, azure.identityCounter().calls("Entra"), "one token for five reads");

            azure.revokeTokens();
            assertEquals("c-" + LeakGuard.CANARY, store.fetch(SecretId.of(name)).asString());
            assertEquals(before + 2, azure.identityCounter().calls("Entra"), "a refused token is replaced once");
        }
    }

    @Test
    void threadsReadingAtOnceAskEntraIdOnce() throws Exception {
        String name = name("concurrent");
        azure.vault().setSecret(name, "t-" + LeakGuard.CANARY);
        try (KeyVaultSecretStore store = store(settings)) {
            long before = azure.identityCounter().calls("Entra");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> reads = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    reads.add(pool.submit(() -> {
                        go.await();
                        return store.fetch(SecretId.of(name)).asString();
                    }));
                }
                go.countDown();
                for (Future<String> read : reads) {
                    assertEquals("t-" + LeakGuard.CANARY, read.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(before + 1, azure.identityCounter().calls("Entra"), "one token for sixteen threads");
        }
    }

    @Test
    void aWrongClientSecretIsADenialThatNamesEntraIdsError() {
        try (KeyVaultSecretStore store =
                store(with(settings, "mpsecrets.azure.client-secret", "wrong-" + LeakGuard.CANARY))) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of("x")));
            assertThat(e.getMessage()).contains("invalid_client").contains("AADSTS7000215");
            LeakGuard.assertNoLeak(e, store);
        }
    }

    @Test
    void entraIdBusyIsTransient() {
        azure.identityFaults().failNext(5);
        try (KeyVaultSecretStore store = store(with(settings, "mpsecrets.azure.max-attempts", "2"))) {
            SecretException e = assertThrows(SecretException.class, () -> store.fetch(SecretId.of("x")));
            assertEquals(FailureReason.UNAVAILABLE, e.reason());
        }
    }

    @Test
    void withChallengeVerificationOnALoopbackVaultGetsNoToken() {
        long before = azure.identityCounter().total();
        try (KeyVaultSecretStore store =
                store(with(settings, "mpsecrets.azure.challenge-resource-verification", "true"))) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of("x")));
            assertThat(e.getMessage()).contains("https://vault.azure.net").contains("no token is sent");
        }
        assertEquals(before, azure.identityCounter().total(), "no token was even asked for");
    }

    @Test
    void theVaultIsListedInPagesLeavingOutWhatMayNotBeUsed() {
        try (MockAzure own = MockAzure.start()) {
            own.vault().pageSize(2);
            for (int i = 0; i < 5; i++) {
                own.vault().setSecret("listed--" + i, "v" + i);
            }
            own.vault().setSecret("off", "v");
            own.vault().secretAttributes("off", false, null, null);
            own.vault().setSecret("gone", "v");
            own.vault().secretAttributes("gone", true, null, Instant.now().minusSeconds(5));
            try (KeyVaultSecretStore store = store(clientSecret(own))) {
                assertThat(store.list())
                        .containsExactlyInAnyOrder("listed--0", "listed--1", "listed--2", "listed--3", "listed--4");
                assertThat(own.vault().counter().calls("GetSecrets")).isEqualTo(4);
                assertEquals("listed.0", store.propertyName("listed--0"));
                assertEquals("db-password", store.propertyName("db-password"));
            }
            try (KeyVaultSecretStore bounded = store(with(clientSecret(own), "mpsecrets.azure.max-secrets", "3"))) {
                SecretException e = assertThrows(InvalidSecretValueException.class, bounded::list);
                assertThat(e.getMessage()).contains("max-secrets");
            }
        }
    }

    @Test
    void theStoreReadsNoValueInToString() {
        try (KeyVaultSecretStore store = store(settings)) {
            assertThat(store.toString()).contains("client-secret").doesNotContain(AzureTestSettings.CLIENT_SECRET);
        }
    }
}
