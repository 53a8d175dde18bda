package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.azure.MockAzure;
import java.util.Map;

/**
 * Azure Key Vault keys: mp-secrets' Key Vault client against the testkit's mock, data keys wrapped with RSA-OAEP-256
 * under an RSA key ({@link #hsm()} false) or with A256KW under a Managed HSM oct-HSM key.
 */
@WithMockServer
class AzureKeyVaultKmsContractTest extends KmsContract {

    private static final String CLIENT = "kms-contract-app";
    private static final String CLIENT_SECRET = "kms-contract-client-secret";

    private final MockAzure azure;
    private final String key = "contract-" + System.nanoTime();

    AzureKeyVaultKmsContractTest(MockServer server) {
        this.azure = server.azure();
        azure.clientSecret(CLIENT, CLIENT_SECRET);
        if (hsm()) {
            azure.vault().createOctKey(key);
        } else {
            azure.vault().createRsaKey(key);
        }
    }

    /** Whether the key is a Managed HSM's AES key rather than an RSA key. */
    protected boolean hsm() {
        return false;
    }

    @Override
    protected String kms() {
        return "azure-keyvault";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.azure.ca-bundle",
                azure.caBundle().toString(),
                "mpsecrets.azure.authority-host",
                azure.endpoint().toString(),
                "mpsecrets.azure.challenge-resource-verification",
                "false",
                "mpsecrets.kms.azure-keyvault.client-id",
                CLIENT,
                "mpsecrets.kms.azure-keyvault.client-secret",
                CLIENT_SECRET,
                "mpsecrets.azure.max-attempts",
                "1");
    }

    @Override
    protected String keyId() {
        return "azure-keyvault:" + azure.vaultUrl() + "/keys/" + key;
    }

    @Override
    protected String absentKeyId() {
        return "azure-keyvault:" + azure.vaultUrl() + "/keys/absent";
    }
}
