package io.mpsecrets.azure;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.testkit.azure.MockAzure;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Settings pointing the Azure backends at a mock: its vault, its CA, its authority host, a client secret. */
final class AzureTestSettings {

    static final String CLIENT = "orders-app";
    static final String CLIENT_SECRET = "client-secret-of-orders";

    private AzureTestSettings() {}

    /** The mock's vault and CA, logging in with {@link #CLIENT}'s secret (registered on the mock here). */
    static Map<String, String> clientSecret(MockAzure azure) {
        azure.clientSecret(CLIENT, CLIENT_SECRET);
        Map<String, String> settings = base(azure);
        settings.put("mpsecrets.azure.client-id", CLIENT);
        settings.put("mpsecrets.azure.client-secret", CLIENT_SECRET);
        return settings;
    }

    /** The mock's vault, CA and authority host, and bounds for tests; no credentials. */
    static Map<String, String> base(MockAzure azure) {
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.azure.vault-url", azure.vaultUrl().toString());
        settings.put("mpsecrets.azure.ca-bundle", azure.caBundle().toString());
        settings.put("mpsecrets.azure.authority-host", azure.endpoint().toString());
        settings.put("mpsecrets.azure.challenge-resource-verification", "false");
        settings.put("mpsecrets.azure.timeout", "PT5S");
        return settings;
    }

    static AzureSettings read(Map<String, String> settings, Map<String, String> environment) {
        return AzureSettings.read(
                AzureSettings.PREFIX, new Settings(name -> Optional.ofNullable(settings.get(name))), environment);
    }

    static KeyVaultSecretStore store(Map<String, String> settings) {
        return new KeyVaultSecretStore(read(settings, Map.of()));
    }

    static KeyVaultSecretStore store(Map<String, String> settings, Map<String, String> environment) {
        return new KeyVaultSecretStore(read(settings, environment));
    }

    static Map<String, String> with(Map<String, String> settings, String... more) {
        Map<String, String> out = new HashMap<>(settings);
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                out.remove(more[i]);
            } else {
                out.put(more[i], more[i + 1]);
            }
        }
        return out;
    }
}
