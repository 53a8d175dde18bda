package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.azure.MockAzure;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Azure Key Vault secrets: mp-secrets' Key Vault client against the testkit's mock, over HTTPS with its test CA. */
@WithMockServer
class AzureKeyVaultContractTest extends SecretStoreContract {

    private static final String CLIENT = "contract-app";
    private static final String CLIENT_SECRET = "contract-client-secret";

    private final MockAzure azure;

    AzureKeyVaultContractTest(MockServer server) {
        this.azure = server.azure();
        azure.clientSecret(CLIENT, CLIENT_SECRET);
    }

    @Override
    protected String store() {
        return "azure";
    }

    @Override
    protected Map<String, String> settings() {
        return azureSettings(azure, CLIENT, CLIENT_SECRET);
    }

    /** The mock's vault, CA and Entra ID, a client secret, one attempt. */
    static Map<String, String> azureSettings(MockAzure azure, String client, String secret) {
        return Map.of(
                "mpsecrets.azure.vault-url",
                azure.vaultUrl().toString(),
                "mpsecrets.azure.ca-bundle",
                azure.caBundle().toString(),
                "mpsecrets.azure.authority-host",
                azure.endpoint().toString(),
                "mpsecrets.azure.challenge-resource-verification",
                "false",
                "mpsecrets.azure.client-id",
                client,
                "mpsecrets.azure.client-secret",
                secret,
                "mpsecrets.azure.max-attempts",
                "1");
    }

    @Override
    protected SecretId put(String name, String text) {
        // Set ten minutes ago, as a vault's secrets are when an application starts: the batched check vouches only
        // for a version read well after its last update (KeyVaultSecretStore.STAMP_MARGIN).
        azure.vault().clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        try {
            azure.vault().setSecret(name, text);
        } finally {
            azure.vault().clock(Clock.systemUTC());
        }
        return SecretId.of(name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(name);
    }

    @Override
    protected boolean breakStore() {
        azure.vault().faults().errorRate(1.0);
        return true;
    }

    @Override
    protected void repairStore() {
        azure.vault().faults().reset();
    }
}
