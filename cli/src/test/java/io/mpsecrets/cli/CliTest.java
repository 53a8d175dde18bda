package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private static final String SECRET = "hunter2-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    private Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MpSecretsCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.toString()));
        String errText = err.toString(StandardCharsets.UTF_8);
        // Standard error is for reasons, never for values.
        LeakGuard.check(errText, "CLI standard error");
        return new Result(status, out.toString(StandardCharsets.UTF_8), errText);
    }

    private Path keyring() {
        Path file = dir.resolve("keyring.json");
        assertEquals(0, run("", "keygen", "--keyring", file.toString()).status());
        return file;
    }

    private static void assertOneLineFailure(Result result, int status, String... mentions) {
        assertEquals(status, result.status(), result.err());
        assertThat(result.err()).endsWith("\n").contains(mentions);
        assertThat(result.err().strip()).doesNotContain("\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void keygenCreatesAnOwnerOnlyKeyringAndRotateAddsVersions() throws Exception {
        Path file = dir.resolve("keys/keyring.json");
        Result created = run("", "keygen", "--keyring", file.toString(), "--name", "orders");
        assertEquals(0, created.status());
        assertEquals("local:orders-1\n", created.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        assertOneLineFailure(run("", "keygen", "--keyring", file.toString()), 1, "already exists", "--rotate");

        Result rotated = run("", "keygen", "--keyring", file.toString(), "--rotate");
        assertEquals(0, rotated.status());
        assertEquals("local:orders-2\n", rotated.out());
        assertThat(rotated.err()).contains("versions [1, 2]");
    }

    @Test
    void encryptThenDecryptRoundTrips() {
        Path keyring = keyring();
        Result encrypted = run(SECRET + "\n", "encrypt", "--keyring", keyring.toString(), "--property", "db.password");
        assertEquals(0, encrypted.status(), encrypted.err());
        String value = encrypted.out().strip();
        assertThat(value).startsWith("ENC(").endsWith(")").doesNotContain(LeakGuard.CANARY);

        Result revealed =
                run(value, "decrypt", "--keyring", keyring.toString(), "--property", "db.password", "--reveal");
        assertEquals(0, revealed.status(), revealed.err());
        assertEquals(SECRET + "\n", revealed.out(), "one trailing newline from echo is dropped on encrypt");

        Result checked = run(value, "decrypt", "--keyring", keyring.toString(), "--property", "db.password");
        assertEquals(0, checked.status());
        assertThat(checked.out())
                .contains("ok: decrypts as db.password under key local:dev-1 (bound")
                .doesNotContain(SECRET);
    }

    @Test
    void keepNewlineKeepsIt() {
        Path keyring = keyring();
        String value = run("a\n", "encrypt", "--keyring", keyring.toString(), "--unbound", "--keep-newline")
                .out()
                .strip();
        assertEquals(
                "a\n\n",
                run(value, "decrypt", "--keyring", keyring.toString(), "--property", "x", "--reveal")
                        .out());
    }

    @Test
    void theDefaultKeyringIsUnderHomeOrFromTheEnvironment() {
        Path home = dir.resolve(".mpsecrets/keyring.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String oldHome = System.getProperty("user.home");
        System.setProperty("user.home", dir.toString());
        try {
            assertEquals(
                    0,
                    MpSecretsCommand.run(
                            new String[] {"keygen"},
                            new ByteArrayInputStream(new byte[0]),
                            new PrintStream(out),
                            new PrintStream(new ByteArrayOutputStream()),
                            Map.of()));
            assertThat(home).exists();
            Path fromEnv = dir.resolve("env-keyring.json");
            assertEquals(
                    0,
                    MpSecretsCommand.run(
                            new String[] {"keygen"},
                            new ByteArrayInputStream(new byte[0]),
                            new PrintStream(out),
                            new PrintStream(new ByteArrayOutputStream()),
                            Map.of("MPSECRETS_KMS_LOCAL_KEYRING", fromEnv.toString())));
            assertThat(fromEnv).exists();
        } finally {
            System.setProperty("user.home", oldHome);
        }
    }

    @Test
    void everyBadInputIsOneLineAndNonZero() {
        Path keyring = keyring();
        String k = keyring.toString();
        String value = run(SECRET, "encrypt", "--keyring", k, "--property", "db.password")
                .out()
                .strip();

        assertOneLineFailure(
                run(value, "decrypt", "--keyring", k, "--property", "other", "--reveal"),
                1,
                "NOT_AUTHENTIC",
                "property=other",
                "key=local:dev-1");
        assertOneLineFailure(
                run("ENC(garbage!)", "decrypt", "--keyring", k, "--property", "db.password"),
                1,
                "MALFORMED",
                "property=db.password");
        assertOneLineFailure(run("plain text", "decrypt", "--keyring", k, "--property", "db.password"), 1, "MALFORMED");
        String tampered = value.substring(0, value.length() - 3)
                + (value.charAt(value.length() - 3) == 'A' ? 'B' : 'A')
                + value.substring(value.length() - 2);
        assertOneLineFailure(
                run(tampered, "decrypt", "--keyring", k, "--property", "db.password"), 1, "property=db.password");
        Path other = dir.resolve("other.json");
        run("", "keygen", "--keyring", other.toString());
        assertOneLineFailure(
                run(value, "decrypt", "--keyring", other.toString(), "--property", "db.password"),
                1,
                "WRONG_KEY",
                "key=local:dev-1");
        assertOneLineFailure(
                run(value, "decrypt", "--keyring", k, "--property", "db.password", "--app", "billing"), 1, "WRONG_KEY");
        assertOneLineFailure(
                run(SECRET, "encrypt", "--keyring", dir.resolve("absent.json").toString(), "--property", "p"),
                1,
                "does not exist",
                "mpsecrets keygen");
        assertOneLineFailure(run("", "encrypt", "--keyring", k, "--property", "p"), 1, "no plaintext");
        assertOneLineFailure(run("\n", "encrypt", "--keyring", k, "--property", "p"), 1, "no plaintext");
        assertOneLineFailure(run("", "decrypt", "--keyring", k, "--property", "p"), 1, "no value");
        assertOneLineFailure(run("x".repeat(70_000), "encrypt", "--keyring", k, "--property", "p"), 1, "larger than");
        assertOneLineFailure(
                run(SECRET, "encrypt", "--keyring", k, "--key-id", "local:prod", "--property", "p"), 1, "UNKNOWN_KEY");
        assertOneLineFailure(
                run("", "keygen", "--keyring", dir.resolve("none.json").toString(), "--rotate"), 2, "no keyring");
    }

    @Test
    void usageErrorsAreOneLineWithStatusTwoAndNeverEchoArguments() {
        Path keyring = keyring();
        // A plaintext passed as an argument by mistake must not be echoed back.
        assertOneLineFailure(
                run("", "encrypt", "--keyring", keyring.toString(), "--property", "p", SECRET),
                2,
                "unexpected argument",
                "standard input");
        assertOneLineFailure(run("", "encrypt", "--keyring", keyring.toString()), 2, "usage");
        assertOneLineFailure(run("", "encrypt", "--property", "p", "--unbound"), 2, "usage");
        assertOneLineFailure(run("", "decrypt"), 2, "--property");
        assertOneLineFailure(run("", "nosuchcommand"), 2, "usage");
    }

    @Test
    void helpWorks() {
        Result help = run("", "encrypt", "--help");
        assertEquals(0, help.status());
        assertThat(help.out()).contains("--property", "--unbound", "standard input");
    }

    @Test
    void versionNamesTheReleaseAndTheCommit() {
        CliRun.Result result = CliRun.run(Map.of(), "", "--version");
        assertEquals(0, result.status());
        assertThat(result.out().strip())
                .matches("mp-secrets \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)\\)");
    }
}
