package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpsecrets encrypt|decrypt|reencrypt --kms aws}: the CLI's real KMS client against the mock KMS. */
@WithMockServer
class AwsKmsCliTest {

    private static final String SECRET = "db-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    private final MockServer server;
    private String alias;
    private String arn;

    AwsKmsCliTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void key() {
        alias = "alias/cli-" + System.nanoTime();
        arn = server.kms().createKeyWithAlias(alias);
        server.kms().counter().reset();
    }

    private String[] aws(String command, String... rest) {
        List<String> args = new ArrayList<>(List.of(
                command,
                "--kms",
                "aws",
                "--region",
                "us-east-1",
                "--endpoint",
                server.endpoint().toString(),
                "--profile",
                TestProfiles.WORKER1,
                "--app",
                "orders"));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    @Test
    void encryptWithAKmsDataKeyThenDecrypt() {
        CliRun.Result encrypted =
                CliRun.run(Map.of(), SECRET, aws("encrypt", "--key-id", alias, "--property", "db.password"));
        assertEquals(0, encrypted.status(), encrypted.err());
        String value = encrypted.out().strip();
        assertEquals(
                arn,
                EncryptedValue.parse(value, SecretRef.NONE).keyId(),
                "the value names the key ARN KMS resolved the alias to");
        assertEquals(1, server.kms().calls("GenerateDataKey"));

        CliRun.Result checked = CliRun.run(Map.of(), value, aws("decrypt", "--property", "db.password"));
        assertEquals(0, checked.status(), checked.err());
        assertThat(checked.out())
                .contains("decrypts as db.password under key " + arn)
                .doesNotContain(LeakGuard.CANARY);
        CliRun.Result revealed = CliRun.run(Map.of(), value, aws("decrypt", "--property", "db.password", "--reveal"));
        assertEquals(SECRET + "\n", revealed.out());
        assertEquals(2, server.kms().calls("Decrypt"));
    }

    @Test
    void kmsFailuresAreOneLineReasons() {
        CliRun.Result noKey = CliRun.run(Map.of(), SECRET, aws("encrypt", "--property", "x"));
        assertEquals(2, noKey.status());
        assertThat(noKey.err()).contains("--kms aws needs --key-id");

        CliRun.Result unknown =
                CliRun.run(Map.of(), SECRET, aws("encrypt", "--key-id", "alias/nope", "--property", "x"));
        assertEquals(1, unknown.status());
        assertThat(unknown.err().strip())
                .contains("UNKNOWN_KEY", "alias/nope", "NotFoundException")
                .doesNotContain("\n");

        String value = CliRun.run(Map.of(), SECRET, aws("encrypt", "--key-id", alias, "--property", "db.password"))
                .out()
                .strip();
        CliRun.Result otherApp = CliRun.run(
                Map.of(),
                value,
                "decrypt",
                "--kms",
                "aws",
                "--region",
                "us-east-1",
                "--endpoint",
                server.endpoint().toString(),
                "--profile",
                TestProfiles.WORKER1,
                "--app",
                "billing",
                "--property",
                "db.password");
        assertEquals(1, otherApp.status());
        assertThat(otherApp.err()).contains("WRONG_KEY", "InvalidCiphertextException");
    }

    @Test
    void reencryptMovesAFileFromTheLocalKeyringToKmsWithOneDataKey() throws Exception {
        Path keyring = dir.resolve("keyring.json");
        assertEquals(
                0,
                CliRun.run(Map.of(), "", "keygen", "--keyring", keyring.toString())
                        .status());
        StringBuilder file = new StringBuilder("# orders\n");
        for (int i = 0; i < 20; i++) {
            String local = CliRun.run(
                            Map.of(),
                            "v" + i + "-" + LeakGuard.CANARY,
                            "encrypt",
                            "--keyring",
                            keyring.toString(),
                            "--app",
                            "orders",
                            "--property",
                            "secret." + i)
                    .out()
                    .strip();
            file.append("secret.").append(i).append('=').append(local).append('\n');
        }
        Path properties = Files.writeString(dir.resolve("app.properties"), file);

        CliRun.Result result = CliRun.run(
                Map.of(),
                "",
                aws("reencrypt", properties.toString(), "--keyring", keyring.toString(), "--key-id", alias));

        assertEquals(0, result.status(), result.err());
        assertEquals("20 value(s) re-encrypted under " + arn + " in " + properties + "\n", result.out());
        assertEquals(1, server.kms().calls("GenerateDataKey"), "one data key for the whole file");
        Properties rewritten = new Properties();
        try (var in = Files.newBufferedReader(properties)) {
            rewritten.load(in);
        }
        for (int i = 0; i < 20; i++) {
            String value = rewritten.getProperty("secret." + i);
            assertEquals(arn, EncryptedValue.parse(value, SecretRef.NONE).keyId());
            CliRun.Result back = CliRun.run(Map.of(), value, aws("decrypt", "--property", "secret." + i, "--reveal"));
            assertEquals("v" + i + "-" + LeakGuard.CANARY + "\n", back.out());
        }
    }
}
