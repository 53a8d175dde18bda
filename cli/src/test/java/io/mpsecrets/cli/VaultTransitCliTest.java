package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpsecrets encrypt|decrypt|reencrypt --kms vault-transit}: the CLI's Vault client against the mock Transit. */
@WithMockServer
class VaultTransitCliTest {

    private static final String SECRET = "db-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    private final MockServer server;
    private final String key = "cli" + System.nanoTime();

    VaultTransitCliTest(MockServer server) {
        this.server = server;
        server.vault().transitKey(key);
    }

    private Map<String, String> vaultEnv() {
        return Map.of(
                "VAULT_ADDR",
                server.endpoint().toString(),
                "VAULT_TOKEN",
                server.vault().rootToken());
    }

    @Test
    void encryptAndDecryptWithAVaultTransitDataKey() {
        CliRun.Result encrypted = CliRun.run(
                vaultEnv(),
                SECRET,
                "encrypt",
                "--kms",
                "vault-transit",
                "--key-id",
                "vault-transit:" + key,
                "--app",
                "orders",
                "--property",
                "db.password");
        assertEquals(0, encrypted.status(), encrypted.err());
        String value = encrypted.out().trim();
        assertThat(value).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);

        CliRun.Result revealed = CliRun.run(
                vaultEnv(),
                value,
                "decrypt",
                "--kms",
                "vault-transit",
                "--app",
                "orders",
                "--property",
                "db.password",
                "--reveal");
        assertEquals(0, revealed.status(), revealed.err());
        assertEquals(SECRET, revealed.out().trim());

        CliRun.Result withoutKms =
                CliRun.run(vaultEnv(), value, "decrypt", "--app", "orders", "--property", "db.password", "--reveal");
        assertEquals(0, withoutKms.status(), "the value names its KMS: " + withoutKms.err());
        assertEquals(SECRET, withoutKms.out().trim());

        CliRun.Result otherApp = CliRun.run(
                vaultEnv(),
                value,
                "decrypt",
                "--kms",
                "vault-transit",
                "--app",
                "billing",
                "--property",
                "db.password",
                "--reveal");
        assertThat(otherApp.status()).isNotZero();
        assertThat(otherApp.err()).contains("WRONG_KEY").doesNotContain(LeakGuard.CANARY);
    }

    @Test
    void reencryptMovesAFileToVaultTransitWithOneDataKey() throws Exception {
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
        server.vault().counter().reset();
        Map<String, String> env = new java.util.HashMap<>(vaultEnv());
        CliRun.Result moved = CliRun.run(
                env,
                "",
                "reencrypt",
                properties.toString(),
                "--keyring",
                keyring.toString(),
                "--kms",
                "vault-transit",
                "--key-id",
                "vault-transit:" + key);
        assertEquals(0, moved.status(), moved.err());
        assertEquals(1, server.vault().calls("transit:datakey"), "one data key for the whole file");
        java.util.Properties rewritten = new java.util.Properties();
        try (var in = Files.newBufferedReader(properties)) {
            rewritten.load(in);
        }
        for (int i = 0; i < 5; i++) {
            String value = rewritten.getProperty("secret." + i);
            assertThat(value).startsWith("ENC(");
            CliRun.Result back = CliRun.run(
                    env, value, "decrypt", "--kms", "vault-transit", "--property", "secret." + i, "--reveal");
            assertEquals("s" + i + "-" + LeakGuard.CANARY, back.out().trim(), back.err());
        }
    }
}
