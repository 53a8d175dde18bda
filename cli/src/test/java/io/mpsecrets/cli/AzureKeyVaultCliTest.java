package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mpsecrets encrypt|decrypt|reencrypt --kms azure-keyvault}: the CLI's Key Vault client against the mock over
 * HTTPS, logged in from the {@code AZURE_*} variables, its other settings from {@code MPSECRETS_AZURE_*}.
 */
@WithMockServer
class AzureKeyVaultCliTest {

    private static final String SECRET = "db-" + LeakGuard.CANARY;
    private static final String CLIENT = "cli-app";
    private static final String CLIENT_SECRET = "cli-client-secret-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    private final MockAzure azure;
    private final String key = "cli-key-" + System.nanoTime();
    private final String keyId;

    AzureKeyVaultCliTest(MockServer server) {
        this.azure = server.azure();
        azure.clientSecret(CLIENT, CLIENT_SECRET);
        azure.vault().createRsaKey(key);
        this.keyId = "azure-keyvault:" + azure.vaultUrl() + "/keys/" + key;
    }

    private Map<String, String> azureEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AZURE_CLIENT_ID", CLIENT);
        env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        env.put("AZURE_TENANT_ID", azure.tenant());
        env.put("AZURE_AUTHORITY_HOST", azure.endpoint().toString());
        env.put("MPSECRETS_AZURE_CA_BUNDLE", azure.caBundle().toString());
        env.put("MPSECRETS_AZURE_CHALLENGE_RESOURCE_VERIFICATION", "false");
        return env;
    }

    @Test
    void encryptAndDecryptWithAKeyVaultWrappedDataKey() {
        CliRun.Result encrypted = CliRun.run(
                azureEnv(),
                SECRET,
                "encrypt",
                "--kms",
                "azure-keyvault",
                "--key-id",
                keyId,
                "--app",
                "orders",
                "--property",
                "db.password");
        assertEquals(0, encrypted.status(), encrypted.err());
        String value = encrypted.out().trim();
        assertThat(value).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);

        CliRun.Result revealed =
                CliRun.run(azureEnv(), value, "decrypt", "--app", "orders", "--property", "db.password", "--reveal");
        assertEquals(0, revealed.status(), "the value names its KMS: " + revealed.err());
        assertEquals(SECRET, revealed.out().trim());

        CliRun.Result otherApp = CliRun.run(
                azureEnv(),
                value,
                "decrypt",
                "--kms",
                "azure-keyvault",
                "--app",
                "billing",
                "--property",
                "db.password",
                "--reveal");
        assertThat(otherApp.status()).isNotZero();
        assertThat(otherApp.err()).contains("WRONG_KEY").doesNotContain(LeakGuard.CANARY);

        Map<String, String> wrongSecret = new HashMap<>(azureEnv());
        wrongSecret.put("AZURE_CLIENT_SECRET", "wrong-" + LeakGuard.CANARY);
        CliRun.Result denied =
                CliRun.run(wrongSecret, value, "decrypt", "--app", "orders", "--property", "db.password", "--reveal");
        assertThat(denied.status()).isNotZero();
        assertThat(denied.err()).contains("ACCESS_DENIED").doesNotContain(LeakGuard.CANARY);
    }

    @Test
    void withoutTheSettingTheLoopbackVaultGetsNoToken() {
        Map<String, String> env = new HashMap<>(azureEnv());
        env.remove("MPSECRETS_AZURE_CHALLENGE_RESOURCE_VERIFICATION");
        CliRun.Result refused =
                CliRun.run(env, SECRET, "encrypt", "--kms", "azure-keyvault", "--key-id", keyId, "--property", "p");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("no token is sent");
    }

    @Test
    void reencryptMovesAFileToAKeyVaultKeyWithOneDataKey() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        assertEquals(
                0,
                CliRun.run(Map.of(), "", "keygen", "--keyring", keyring.toString())
                        .status());
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            CliRun.Result local = CliRun.run(
                    Map.of(),
                    "s" + i + "-" + LeakGuard.CANARY,
                    "encrypt",
                    "--keyring",
                    keyring.toString(),
                    "--property",
                    "secret." + i);
            file.append("secret.")
                    .append(i)
                    .append('=')
                    .append(local.out().trim())
                    .append('\n');
        }
        Path properties = Files.writeString(dir.resolve("app.properties"), file.toString());
        long wraps = azure.vault().counter().calls("WrapKey");
        CliRun.Result moved = CliRun.run(
                azureEnv(),
                "",
                "reencrypt",
                properties.toString(),
                "--keyring",
                keyring.toString(),
                "--kms",
                "azure-keyvault",
                "--key-id",
                keyId);
        assertEquals(0, moved.status(), moved.err());
        assertEquals(wraps + 1, azure.vault().counter().calls("WrapKey"), "one data key for the whole file");
        Properties rewritten = new Properties();
        try (var in = Files.newBufferedReader(properties)) {
            rewritten.load(in);
        }
        for (int i = 0; i < 5; i++) {
            String value = rewritten.getProperty("secret." + i);
            assertThat(value).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);
            CliRun.Result back = CliRun.run(
                    azureEnv(), value, "decrypt", "--kms", "azure-keyvault", "--property", "secret." + i, "--reveal");
            assertEquals("s" + i + "-" + LeakGuard.CANARY, back.out().trim(), back.err());
        }
    }
}
