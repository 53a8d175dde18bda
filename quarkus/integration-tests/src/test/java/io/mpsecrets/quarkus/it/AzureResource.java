package io.mpsecrets.quarkus.it;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.azure.KeyVaultKmsFactory;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The testkit's Azure Key Vault and Entra ID (HTTPS with the test CA, a loopback port chosen at run time) for
 * {@link AzureKeyVaultQuarkusTest}: a secret referenced as {@code ${azure::...}} and an {@code ENC} value whose data
 * key a Key Vault RSA key wrapped, made as {@code mpsecrets encrypt --kms azure-keyvault} makes it.
 */
public class AzureResource implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "quarkus-api-key";
    static final String FIRST = "azure-first-" + LeakGuard.CANARY;
    static final String SECOND = "azure-second-" + LeakGuard.CANARY;
    static final String ENCRYPTED = "azure-enc-" + LeakGuard.CANARY;
    private static final String CLIENT = "orders-quarkus";
    private static final String CLIENT_SECRET = "quarkus-client-secret";

    static MockAzure azure;
    private MockServer server;

    @Override
    public Map<String, String> start() {
        server = MockServer.start();
        azure = server.azure().clientSecret(CLIENT, CLIENT_SECRET);
        azure.vault().setSecret(SECRET, FIRST);
        azure.vault().createRsaKey("orders-quarkus-key");
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.azure.vault-url", azure.vaultUrl().toString());
        settings.put(
                "mpsecrets.azure.ca-bundle", azure.caBundle().toAbsolutePath().toString());
        settings.put("mpsecrets.azure.authority-host", azure.endpoint().toString());
        settings.put("mpsecrets.azure.challenge-resource-verification", "false");
        settings.put("mpsecrets.azure.client-id", CLIENT);
        settings.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
        String keyId = "azure-keyvault:" + azure.vaultUrl() + "/keys/orders-quarkus-key";
        KeyManagementService kms = new KeyVaultKmsFactory()
                .create(BackendSettings.kms(
                        "azure-keyvault", name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms, keyId, EncryptionContext.forApplication("orders"))) {
            settings.put(
                    "cloud.azure-encrypted",
                    encryptor.encrypt(ENCRYPTED.getBytes(StandardCharsets.UTF_8), "cloud.azure-encrypted"));
        }
        settings.put("cloud.azure-api-key", "${azure::" + SECRET + "}");
        settings.put("mpsecrets.rotation.interval", "PT0.2S");
        return settings;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
