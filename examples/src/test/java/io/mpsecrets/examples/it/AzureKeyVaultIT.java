package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.azure.KeyVaultKmsFactory;
import io.mpsecrets.azure.KeyVaultSecretStoreFactory;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders application with mp-secrets and its Azure module in WEB-INF/lib, on Open Liberty, WildFly and Payara
 * Micro (portable mode), against the testkit's
 * Key Vault and Entra ID (this JVM, HTTPS with the test CA, a loopback port chosen at run time): its signing key
 * referenced as {@code ${azure::...}} and rotated while it runs, and, in a second deployment, an {@code ENC(...)}
 * signing key whose data key a Key Vault RSA key wrapped.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AzureKeyVaultIT {

    private static final String CLIENT = "orders-liberty";
    private static final String CLIENT_SECRET = "liberty-client-secret";
    static final String SECRET = "orders-signing-key";
    static final String KEY = "orders-it-key";
    static final String ENCRYPTED_KEY = "enc-hmac-" + LeakGuard.CANARY;

    private static synchronized MockAzure azure() {
        MockAzure azure = MpSecretsArquillian.server().azure();
        azure.clientSecret(CLIENT, CLIENT_SECRET);
        return azure;
    }

    private static Map<String, String> azureSettings() {
        MockAzure azure = azure();
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.azure.vault-url", azure.vaultUrl().toString());
        settings.put(
                "mpsecrets.azure.ca-bundle", azure.caBundle().toAbsolutePath().toString());
        settings.put("mpsecrets.azure.authority-host", azure.endpoint().toString());
        settings.put("mpsecrets.azure.challenge-resource-verification", "false");
        settings.put("mpsecrets.azure.client-id", CLIENT);
        settings.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
        return settings;
    }

    private static WebArchive war(String name, Map<String, String> config) {
        Map<String, String> all = new HashMap<>(azureSettings());
        all.put("mpsecrets.app", "orders");
        all.putAll(config);
        return AppServer.packagedWar(name, all).addAsLibraries(jarOf(KeyVaultSecretStoreFactory.class));
    }

    @Deployment(name = "referenced", testable = false)
    static WebArchive referenced() {
        azure().vault().setSecret(SECRET, "first-" + LeakGuard.CANARY);
        return war(
                "orders-azure",
                Map.of("mpsecrets.rotation.interval", "PT0.5S", "tokens.signing-key", "${azure::" + SECRET + "}"));
    }

    @Deployment(name = "encrypted", testable = false)
    static WebArchive encrypted() {
        MockAzure azure = azure();
        azure.vault().createRsaKey(KEY);
        String keyId = "azure-keyvault:" + azure.vaultUrl() + "/keys/" + KEY;
        Map<String, String> settings = azureSettings();
        KeyManagementService kms = new KeyVaultKmsFactory()
                .create(BackendSettings.kms(
                        "azure-keyvault", name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
        String value;
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms, keyId, EncryptionContext.forApplication("orders"))) {
            value = encryptor.encrypt(ENCRYPTED_KEY.getBytes(StandardCharsets.UTF_8), "tokens.signing-key");
        }
        return war("orders-azure-enc", Map.of("mpsecrets.kms", "azure-keyvault", "tokens.signing-key", value));
    }

    private static String sign(URL orders) {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        LeakGuard.check(issued.body(), "the token answer");
        return AppServer.json(issued.body()).getString("token");
    }

    @Test
    void aKeyVaultSecretIsUsedAndItsRotationSeenWithoutARestart(
            @ArquillianResource @OperateOnDeployment("referenced") URL orders) throws Exception {
        String before = sign(orders);
        assertThat(before).endsWith("." + AppServer.expectedSignature(before, "first-" + LeakGuard.CANARY));

        String version = azure().vault().setSecret(SECRET, "second-" + LeakGuard.CANARY);
        long start = System.nanoTime();
        String after = sign(orders);
        while (!after.endsWith("." + AppServer.expectedSignature(after, "second-" + LeakGuard.CANARY))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still signing with the old key")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(100);
            after = sign(orders);
        }
        AppServer.Answer status = AppServer.get(orders, "api/status");
        LeakGuard.check(status.body(), "the status endpoint");
        JsonObject body = AppServer.json(status.body());
        assertThat(body.getJsonArray("events").getValuesAs(JsonObject.class)).anySatisfy(event -> {
            assertEquals("rotated", event.getString("event"));
            assertEquals("tokens.signing-key", event.getString("property"));
            assertEquals("azure", event.getString("backend"));
            assertEquals(version, event.getString("version"));
        });
    }

    @Test
    void anEncValueUnderAKeyVaultKeyIsDecryptedWithOneUnwrap(
            @ArquillianResource @OperateOnDeployment("encrypted") URL orders) throws Exception {
        long unwraps = azure().vault().counter().calls("UnwrapKey");
        for (int i = 0; i < 3; i++) {
            String token = sign(orders);
            assertThat(token).endsWith("." + AppServer.expectedSignature(token, ENCRYPTED_KEY));
        }
        assertThat(azure().vault().counter().calls("UnwrapKey") - unwraps)
                .as("the data key is cached in the application")
                .isLessThanOrEqualTo(1);
        assertThat(azure().vault().counter().calls("UnwrapKey")).isGreaterThanOrEqualTo(1);
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
