package io.mpsecrets.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.UnwrapResult;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The mock Key Vault speaks Key Vault: Azure's own Java clients ({@code SecretClient}, {@code KeyClient},
 * {@code CryptographyClient}, api-version 2025-07-01) run against it over HTTPS, trusting the mock's test CA, through
 * the 401 challenge, with a stub credential whose tokens the mock issued ({@link MockAzure#token}) and challenge
 * resource verification off (the vault is 127.0.0.1, not a domain of vault.azure.net).
 */
class MockAzureSdkTest {

    private static final String PRINCIPAL = "sdk-app";
    private static MockAzure azure;
    private static HttpClient http;

    @BeforeAll
    static void start() throws SSLException {
        azure = MockAzure.start();
        SslContext tls = SslContextBuilder.forClient()
                .trustManager(azure.caBundle().toFile())
                .build();
        http = new NettyAsyncHttpClientBuilder(
                        reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls)))
                .build();
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    private static TokenCredential credential(String principal) {
        return request -> Mono.just(
                new AccessToken(azure.token(principal), OffsetDateTime.now().plusHours(1)));
    }

    private static RetryOptions fewRetries() {
        return new RetryOptions(new FixedDelayOptions(1, Duration.ofMillis(10)));
    }

    private static SecretClient secrets(String principal) {
        return new SecretClientBuilder()
                .vaultUrl(azure.vaultUrl().toString())
                .credential(credential(principal))
                .httpClient(http)
                .retryOptions(fewRetries())
                .disableChallengeResourceVerification()
                .buildClient();
    }

    private static KeyClient keys() {
        return new KeyClientBuilder()
                .vaultUrl(azure.vaultUrl().toString())
                .credential(credential(PRINCIPAL))
                .httpClient(http)
                .retryOptions(fewRetries())
                .disableChallengeResourceVerification()
                .buildClient();
    }

    private static CryptographyClient crypto(String keyId) {
        return new CryptographyClientBuilder()
                .keyIdentifier(keyId)
                .credential(credential(PRINCIPAL))
                .httpClient(http)
                .retryOptions(fewRetries())
                .disableChallengeResourceVerification()
                .buildClient();
    }

    @Test
    void secretsAreSetReadByVersionAndListedInPages() {
        SecretClient client = secrets(PRINCIPAL);
        String name = "sdk-db-password-" + System.nanoTime();
        KeyVaultSecret first = client.setSecret(name, "one-" + LeakGuard.CANARY);
        KeyVaultSecret second = client.setSecret(name, "two-" + LeakGuard.CANARY);
        assertThat(first.getProperties().getVersion())
                .isNotEqualTo(second.getProperties().getVersion());

        assertEquals("two-" + LeakGuard.CANARY, client.getSecret(name).getValue());
        assertEquals(
                "one-" + LeakGuard.CANARY,
                client.getSecret(name, first.getProperties().getVersion()).getValue());
        assertEquals(
                second.getProperties().getVersion(),
                client.getSecret(name).getProperties().getVersion());
        assertThat(client.getSecret(name).getProperties().getCreatedOn()).isNotNull();

        List<String> versions = client.listPropertiesOfSecretVersions(name).stream()
                .map(SecretProperties::getVersion)
                .toList();
        assertThat(versions)
                .containsExactlyInAnyOrder(
                        first.getProperties().getVersion(),
                        second.getProperties().getVersion());

        azure.vault().pageSize(2);
        try {
            for (int i = 0; i < 5; i++) {
                client.setSecret(name + "-paged-" + i, "p" + i);
            }
            Set<String> listed = client.listPropertiesOfSecrets().stream()
                    .map(SecretProperties::getName)
                    .collect(Collectors.toSet());
            assertThat(listed).contains(name, name + "-paged-0", name + "-paged-4");
            assertThat(azure.vault().counter().calls("GetSecrets")).isGreaterThanOrEqualTo(3);
        } finally {
            azure.vault().pageSize(25);
        }
    }

    @Test
    void aListingShowsEachSecretsCurrentVersionTimesAndNoVersion() {
        // What the azure store's batched check reads: Get Secrets gives the current version's created and updated
        // times, which move with a new version, and an id without a version.
        SecretClient client = secrets(PRINCIPAL);
        String name = "sdk-listed-" + System.nanoTime();
        java.time.Instant tenMinutesAgo = java.time.Instant.now().minus(Duration.ofMinutes(10));
        azure.vault().clock(java.time.Clock.fixed(tenMinutesAgo, java.time.ZoneOffset.UTC));
        try {
            client.setSecret(name, "one-" + LeakGuard.CANARY);
            SecretProperties before = listed(client, name);
            assertThat(before.getVersion()).isNull();
            assertThat(before.getCreatedOn().toInstant()).isEqualTo(tenMinutesAgo.truncatedTo(ChronoUnit.SECONDS));

            azure.vault().clock(java.time.Clock.fixed(tenMinutesAgo.plusSeconds(60), java.time.ZoneOffset.UTC));
            KeyVaultSecret second = client.setSecret(name, "two-" + LeakGuard.CANARY);
            SecretProperties after = listed(client, name);
            assertThat(after.getUpdatedOn()).isAfter(before.getUpdatedOn());
            assertEquals(second.getProperties().getCreatedOn(), after.getCreatedOn());
            assertEquals(second.getProperties().getUpdatedOn(), after.getUpdatedOn());
        } finally {
            azure.vault().clock(java.time.Clock.systemUTC());
        }
    }

    private static SecretProperties listed(SecretClient client, String name) {
        return client.listPropertiesOfSecrets().stream()
                .filter(p -> p.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSecretDisabledThroughTheSdkIsRefusedByGet() {
        SecretClient client = secrets(PRINCIPAL);
        String name = "sdk-disabled-" + System.nanoTime();
        client.setSecret(name, "d-" + LeakGuard.CANARY);
        SecretProperties disabled = client.updateSecretProperties(
                client.getSecret(name).getProperties().setEnabled(false));
        assertEquals(Boolean.FALSE, disabled.isEnabled());
        HttpResponseException refused = assertThrows(HttpResponseException.class, () -> client.getSecret(name));
        assertEquals(403, refused.getResponse().getStatusCode());
    }

    @Test
    void aDisabledSecretIsRefusedAndAMissingOneIsNotFound() {
        SecretClient client = secrets(PRINCIPAL);
        String name = "sdk-off-" + System.nanoTime();
        client.setSecret(name, "d-" + LeakGuard.CANARY);
        azure.vault().secretAttributes(name, false, null, null);
        HttpResponseException disabled = assertThrows(HttpResponseException.class, () -> client.getSecret(name));
        assertEquals(403, disabled.getResponse().getStatusCode());
        assertThat(disabled.getMessage()).contains("SecretDisabled").doesNotContain(LeakGuard.CANARY);

        assertThrows(ResourceNotFoundException.class, () -> client.getSecret("sdk-absent-" + System.nanoTime()));
    }

    @Test
    void updatedPropertiesAndSoftDeleteAsTheSdkSeesThem() {
        SecretClient client = secrets(PRINCIPAL);
        String name = "sdk-update-" + System.nanoTime();
        client.setSecret(name, "u-" + LeakGuard.CANARY);
        OffsetDateTime expires = OffsetDateTime.now().plusDays(30).withNano(0);
        SecretProperties updated = client.updateSecretProperties(
                client.getSecret(name).getProperties().setExpiresOn(expires).setContentType("text/plain"));
        assertEquals(expires.toEpochSecond(), updated.getExpiresOn().toEpochSecond());
        assertEquals("text/plain", client.getSecret(name).getProperties().getContentType());

        client.beginDeleteSecret(name).waitForCompletion(Duration.ofSeconds(10));
        assertThrows(ResourceNotFoundException.class, () -> client.getSecret(name));
        assertEquals(name, client.getDeletedSecret(name).getName());
        client.beginRecoverDeletedSecret(name).waitForCompletion(Duration.ofSeconds(10));
        assertEquals("u-" + LeakGuard.CANARY, client.getSecret(name).getValue());
    }

    @Test
    void aPolicyDeniesAnotherPrincipal() {
        String name = "sdk-denied-" + System.nanoTime();
        secrets(PRINCIPAL).setSecret(name, "x-" + LeakGuard.CANARY);
        azure.vault().secretPolicy(name, Policy.of(Policy.allow(PRINCIPAL, "get")));
        HttpResponseException denied = assertThrows(
                HttpResponseException.class, () -> secrets("intruder").getSecret(name));
        assertEquals(403, denied.getResponse().getStatusCode());
        assertThat(denied.getMessage()).contains("ForbiddenByRbac");
    }

    @Test
    void rsaKeysAreCreatedRotatedAndWrapAndUnwrapWithTheCryptographyClient() {
        KeyClient client = keys();
        String name = "sdk-key-" + System.nanoTime();
        KeyVaultKey key = client.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(2048));
        assertThat(key.getId()).startsWith(azure.vaultUrl() + "/keys/" + name + "/");
        assertEquals(key.getId(), client.getKey(name).getId());

        byte[] dataKey = ("0123456789abcdef0123456789abcdef").getBytes(StandardCharsets.US_ASCII);
        CryptographyClient crypto = crypto(key.getId());
        WrapResult wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey);
        UnwrapResult unwrapped = crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped.getEncryptedKey());
        assertArrayEquals(dataKey, unwrapped.getKey());

        KeyVaultKey rotated = client.rotateKey(name);
        assertThat(rotated.getId()).isNotEqualTo(key.getId());
        assertEquals(rotated.getId(), client.getKey(name).getId());
        // The old version still unwraps what it wrapped.
        assertArrayEquals(
                dataKey,
                crypto(key.getId())
                        .unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped.getEncryptedKey())
                        .getKey());
        HttpResponseException wrongVersion = assertThrows(
                HttpResponseException.class,
                () -> crypto(rotated.getId()).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped.getEncryptedKey()));
        assertEquals(400, wrongVersion.getResponse().getStatusCode());
    }

    @Test
    void aManagedHsmOctKeyWrapsWithAesKeyWrap() {
        String name = "sdk-oct-" + System.nanoTime();
        String keyId = azure.vault().createOctKey(name);
        byte[] dataKey = new byte[32];
        dataKey[5] = 7;
        CryptographyClient crypto = crypto(keyId);
        WrapResult wrapped = crypto.wrapKey(KeyWrapAlgorithm.A256KW, dataKey);
        assertEquals(40, wrapped.getEncryptedKey().length);
        assertArrayEquals(
                dataKey,
                crypto.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped.getEncryptedKey())
                        .getKey());
    }
}
