package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mpsecrets encrypt|decrypt|reencrypt --kms gcp-kms}: the CLI's Cloud KMS client against the testkit's mock,
 * with Application Default Credentials from {@code GOOGLE_APPLICATION_CREDENTIALS} and Cloud KMS at
 * {@code --endpoint}.
 */
@WithMockServer
class GcpKmsCliTest {

    private static final String SECRET = "db-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    private final MockServer server;
    private final String key = "projects/orders-prod/locations/global/keyRings/cli/cryptoKeys/k" + System.nanoTime();
    private Map<String, String> env;

    GcpKmsCliTest(MockServer server) {
        this.server = server;
        server.gcp().kms().createKey(key);
    }

    @BeforeEach
    void credentials() throws Exception {
        Path file = server.gcp()
                .auth()
                .serviceAccountKeyFile(
                        dir.resolve("key.json"), "ci@orders-prod.iam.gserviceaccount.com", "orders-prod");
        env = Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString());
    }

    private CliRun.Result run(String stdin, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoint";
        all[args.length + 1] = server.endpoint().toString();
        return CliRun.run(env, stdin, all);
    }

    @Test
    void encryptAndDecryptWithACloudKmsDataKey() {
        CliRun.Result encrypted = run(
                SECRET,
                "encrypt",
                "--kms",
                "gcp-kms",
                "--key-id",
                "gcp-kms:" + key,
                "--app",
                "orders",
                "--property",
                "db.password");
        assertEquals(0, encrypted.status(), encrypted.err());
        String value = encrypted.out().trim();
        assertThat(value).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);

        CliRun.Result revealed =
                run(value, "decrypt", "--kms", "gcp-kms", "--app", "orders", "--property", "db.password", "--reveal");
        assertEquals(0, revealed.status(), revealed.err());
        assertEquals(SECRET, revealed.out().trim());

        CliRun.Result withoutKms = run(value, "decrypt", "--app", "orders", "--property", "db.password", "--reveal");
        assertEquals(0, withoutKms.status(), "the value names its KMS: " + withoutKms.err());
        assertEquals(SECRET, withoutKms.out().trim());

        CliRun.Result otherApp =
                run(value, "decrypt", "--kms", "gcp-kms", "--app", "billing", "--property", "db.password", "--reveal");
        assertThat(otherApp.status()).isNotZero();
        assertThat(otherApp.err()).contains("WRONG_KEY").doesNotContain(LeakGuard.CANARY);

        CliRun.Result noKey = run(SECRET, "encrypt", "--kms", "gcp-kms", "--property", "db.password");
        assertThat(noKey.status()).isNotZero();
        assertThat(noKey.err()).contains("gcp-kms:projects/");
    }

    @Test
    void reencryptMovesAFileToCloudKmsWithOneDataKey() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        assertEquals(
                0,
                CliRun.run(Map.of(), "", "keygen", "--keyring", keyring.toString())
                        .status());
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 3; i++) {
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
        long before = server.gcp().kms().calls("Encrypt");
        CliRun.Result moved = run(
                "",
                "reencrypt",
                properties.toString(),
                "--keyring",
                keyring.toString(),
                "--kms",
                "gcp-kms",
                "--key-id",
                "gcp-kms:" + key);
        assertEquals(0, moved.status(), moved.err());
        assertEquals(before + 1, server.gcp().kms().calls("Encrypt"), "one data key for the whole file");
        Properties rewritten = new Properties();
        try (var in = Files.newBufferedReader(properties)) {
            rewritten.load(in);
        }
        for (int i = 0; i < 3; i++) {
            String value = rewritten.getProperty("secret." + i);
            assertThat(value).startsWith("ENC(");
            CliRun.Result back = run(value, "decrypt", "--kms", "gcp-kms", "--property", "secret." + i, "--reveal");
            assertEquals("s" + i + "-" + LeakGuard.CANARY, back.out().trim(), back.err());
        }
    }
}
