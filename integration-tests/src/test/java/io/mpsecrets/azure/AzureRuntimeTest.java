package io.mpsecrets.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.SmallRyeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole runtime on Azure: a config built from properties with a {@code ${azure::...}} reference and an
 * {@code ENC} value whose data key a Key Vault key wrapped, against the testkit's mock over HTTPS; a new secret version
 * and a rotated key seen; a vault served as a config source; refusals never served as values.
 */
@WithMockServer
class AzureRuntimeTest {

    private static final String CLIENT = "orders-runtime";
    private static final String CLIENT_SECRET = "runtime-client-secret";

    private final MockAzure azure;
    private final MpConfigs configs = new MpConfigs();
    private final AuditRecorder audit = new AuditRecorder();
    private final String suffix = Long.toString(System.nanoTime());

    AzureRuntimeTest(MockServer server) {
        this.azure = server.azure();
        azure.clientSecret(CLIENT, CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
    }

    private Map<String, String> azureSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.azure.vault-url", azure.vaultUrl().toString());
        settings.put("mpsecrets.azure.ca-bundle", azure.caBundle().toString());
        settings.put("mpsecrets.azure.authority-host", azure.endpoint().toString());
        settings.put("mpsecrets.azure.challenge-resource-verification", "false");
        settings.put("mpsecrets.azure.client-id", CLIENT);
        settings.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
        settings.put("mpsecrets.azure.max-attempts", "1");
        return settings;
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = azureSettings();
        all.put("mpsecrets.app", "orders");
        all.putAll(values);
        return configs.build(all);
    }

    /** An ENC value for the application {@code orders}, its data key wrapped by {@code keyId}. */
    private String encrypt(String keyId, String plaintext, String property) {
        Map<String, String> settings = azureSettings();
        KeyManagementService kms = new KeyVaultKmsFactory()
                .create(BackendSettings.kms(
                        KeyVaultKms.NAME, name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms, keyId, EncryptionContext.forApplication("orders"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        } finally {
            kms.close();
        }
    }

    @Test
    void aReferenceAndAnEncValueUnderAKeyVaultKeyAndBothRotationsSeen() throws Exception {
        String secret = "db-password-" + suffix;
        String key = "orders-key-" + suffix;
        azure.vault().setSecret(secret, "pw1-" + LeakGuard.CANARY);
        azure.vault().createRsaKey(key);
        String keyId = KeyVaultKms.PREFIX + azure.vaultUrl() + "/keys/" + key;
        String before = encrypt(keyId, "api1-" + LeakGuard.CANARY, "api.key");
        assertThat(before).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);

        azure.vault().rotateKey(key);
        String after = encrypt(keyId, "api2-" + LeakGuard.CANARY, "api.key.next");

        long unwraps = azure.vault().counter().calls("UnwrapKey");
        SmallRyeConfig config = config(Map.of(
                "db.password",
                "${azure::" + secret + "}",
                "api.key",
                before,
                "api.key.next",
                after,
                "mpsecrets.kms",
                "azure-keyvault",
                "mpsecrets.azure.ttl",
                "PT1H",
                "mpsecrets.rotation.interval",
                "PT0.5S"));
        assertEquals("pw1-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals("api1-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        assertEquals("api2-" + LeakGuard.CANARY, config.getValue("api.key.next", String.class));
        assertEquals(
                unwraps + 2,
                azure.vault().counter().calls("UnwrapKey"),
                "one unwrap per data key, under its own version");

        azure.vault().setSecret(secret, "pw2-" + LeakGuard.CANARY);
        MpConfigs.until(
                () -> config.getValue("db.password", String.class), "pw2-" + LeakGuard.CANARY, Duration.ofSeconds(10));
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(10)))
                .anySatisfy(line -> assertThat(line).contains("property=db.password", "backend=azure", secret));
        LeakGuard.assertNoLeak(audit.lines());
    }

    @Test
    void oneListingARoundStandsInForEachSecretsTtlRefreshAndSeesARotation() throws Exception {
        try (MockAzure own = MockAzure.start()) {
            own.clientSecret(CLIENT, CLIENT_SECRET);
            // Set ten minutes ago, as a vault's secrets are when an application starts.
            own.vault().clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-10)));
            for (String name : List.of("orders-db", "orders-api", "orders-mq")) {
                own.vault().setSecret(name, name + "-v1-" + LeakGuard.CANARY);
            }
            Map<String, String> all = new HashMap<>();
            all.put("mpsecrets.app", "orders");
            all.put("mpsecrets.azure.vault-url", own.vaultUrl().toString());
            all.put("mpsecrets.azure.ca-bundle", own.caBundle().toString());
            all.put("mpsecrets.azure.authority-host", own.endpoint().toString());
            all.put("mpsecrets.azure.challenge-resource-verification", "false");
            all.put("mpsecrets.azure.client-id", CLIENT);
            all.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
            all.put("mpsecrets.azure.ttl", "PT1S");
            all.put("db.password", "${azure::orders-db}");
            all.put("api.key", "${azure::orders-api}");
            all.put("mq.password", "${azure::orders-mq}");
            SmallRyeConfig config = configs.build(all);
            assertEquals("orders-db-v1-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
            assertEquals("orders-api-v1-" + LeakGuard.CANARY, config.getValue("api.key", String.class));

            // Rounds every 0.9 s (nine tenths of the TTL): each is one Get Secrets page and one Get Secret (the
            // secret asked by itself in turn), not a Get Secret per secret.
            long gets = own.vault().counter().calls("GetSecret");
            long lists = own.vault().counter().calls("GetSecrets");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (own.vault().counter().calls("GetSecrets") < lists + 4 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            long rounds = own.vault().counter().calls("GetSecrets") - lists;
            assertThat(rounds).isGreaterThanOrEqualTo(4);
            assertThat(own.vault().counter().calls("GetSecret") - gets)
                    .as("one Get Secret a round, not three")
                    .isLessThanOrEqualTo(rounds + 1);

            own.vault().clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-5)));
            own.vault().setSecret("orders-db", "orders-db-v2-" + LeakGuard.CANARY);
            MpConfigs.until(
                    () -> config.getValue("db.password", String.class),
                    "orders-db-v2-" + LeakGuard.CANARY,
                    Duration.ofSeconds(10));
            LeakGuard.assertNoLeak(audit.lines());
        }
    }

    @Test
    void theVaultAsAConfigSourceMapsDashesToDots() {
        try (MockAzure own = MockAzure.start()) {
            own.clientSecret(CLIENT, CLIENT_SECRET);
            own.vault().setSecret("orders--db--password", "listed-" + LeakGuard.CANARY);
            own.vault().setSecret("orders--off", "off-" + LeakGuard.CANARY);
            own.vault().secretAttributes("orders--off", false, null, null);
            Map<String, String> all = new HashMap<>();
            all.put("mpsecrets.app", "orders");
            all.put("mpsecrets.sources", "azure");
            all.put("mpsecrets.azure.vault-url", own.vaultUrl().toString());
            all.put("mpsecrets.azure.ca-bundle", own.caBundle().toString());
            all.put("mpsecrets.azure.authority-host", own.endpoint().toString());
            all.put("mpsecrets.azure.challenge-resource-verification", "false");
            all.put("mpsecrets.azure.client-id", CLIENT);
            all.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
            SmallRyeConfig config = configs.build(all);
            assertEquals("listed-" + LeakGuard.CANARY, config.getValue("orders.db.password", String.class));
            assertThat(config.getOptionalValue("orders.off", String.class)).isEmpty();
        }
    }

    @Test
    void aDeniedOrDisabledSecretIsAnErrorNeverAValue() {
        String denied = "denied-" + suffix;
        String disabled = "disabled-" + suffix;
        azure.vault().setSecret(denied, "no-" + LeakGuard.CANARY);
        azure.vault().secretPolicy(denied, Policy.of(Policy.allow("someone-else", "get")));
        azure.vault().setSecret(disabled, "off-" + LeakGuard.CANARY);
        azure.vault().secretAttributes(disabled, false, null, null);
        SmallRyeConfig config = config(Map.of("a", "${azure::" + denied + "}", "b", "${azure::" + disabled + "}"));
        RuntimeException refused = assertThrows(RuntimeException.class, () -> config.getValue("a", String.class));
        assertThat(refused.getMessage()).contains("ForbiddenByRbac").doesNotContain(LeakGuard.CANARY);
        RuntimeException off = assertThrows(RuntimeException.class, () -> config.getValue("b", String.class));
        assertThat(off).isNotInstanceOf(NoSuchElementException.class);
        assertThat(off.getMessage()).contains("SecretDisabled").doesNotContain(LeakGuard.CANARY);
    }
}
