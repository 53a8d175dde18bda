package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 15: the CLI echoed option arguments ({@code --unbound=hunter2SECRET} printed {@code 'hunter2SECRET' is not
 * a boolean}), reported a bad SmallRye key as an unexpected {@code IllegalArgumentException}, and printed broken help
 * ({@code %s} warnings, {@code null} for {@code ${aes-gcm-nopadding::...}}). Defect 16: {@code keygen --rotate} on a
 * keyring reached through a symbolic link replaced the link with a regular file.
 */
class CliHardeningTest {

    private static final String TYPED_BY_MISTAKE = "hunter2SECRET" + LeakGuard.CANARY;

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
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionArgumentsAreNeverEchoed() {
        String keyring = dir.resolve("keyring.json").toString();
        assertEquals(0, run("", "keygen", "--keyring", keyring).status());
        String[][] mistakes = {
            {"encrypt", "--keyring", keyring, "--unbound=" + TYPED_BY_MISTAKE},
            {"encrypt", "--keyring", keyring, "--property", "p", "--keep-newline=" + TYPED_BY_MISTAKE},
            {"decrypt", "--keyring", keyring, "--property", "p", "--reveal=" + TYPED_BY_MISTAKE},
            {"reencrypt", dir.resolve("x.properties").toString(), "--jasypt-iterations=" + TYPED_BY_MISTAKE},
            {"encrypt", "--keyring", keyring, "--property", "p", "--endpoint=" + TYPED_BY_MISTAKE + " x"},
        };
        for (String[] args : mistakes) {
            Result result = run("", args);
            assertEquals(2, result.status(), String.join(" ", args));
            assertThat(result.err() + result.out())
                    .doesNotContain(TYPED_BY_MISTAKE)
                    .contains("invalid value for");
            assertThat(result.err().strip()).doesNotContain("\n");
        }
    }

    @Test
    void aBadSmallRyeKeyIsAClearReason() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "a=${aes-gcm-nopadding::AAAA}\n");
        String keyring = dir.resolve("keyring.json").toString();
        assertEquals(0, run("", "keygen", "--keyring", keyring).status());
        Result result = run("", "reencrypt", file.toString(), "--keyring", keyring, "--smallrye-key-env", "SR_KEY");
        assertEquals(2, result.status(), result.err());
        Result bad = runWithEnv(
                Map.of("HOME", dir.toString(), "SR_KEY", "%%% not base64 %%%"),
                "reencrypt",
                file.toString(),
                "--keyring",
                keyring,
                "--smallrye-key-env",
                "SR_KEY",
                "--smallrye-key-decode");
        assertEquals(1, bad.status(), bad.err());
        assertThat(bad.err())
                .doesNotContain("unexpected", "IllegalArgumentException")
                .contains("SmallRye", "key");
    }

    private Result runWithEnv(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MpSecretsCommand.run(
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpTextsAreWhole() {
        for (String command : new String[] {"keygen", "encrypt", "decrypt", "reencrypt", "validate"}) {
            Result help = run("", command, "--help");
            assertEquals(0, help.status(), command);
            assertThat(help.out() + help.err()).as(command).doesNotContain("null", "picocli WARN", "%n");
        }
        assertThat(run("", "reencrypt", "--help").out()).contains("${aes-gcm-nopadding::...}");
        assertThat(run("", "encrypt", "--help").out()).contains("printf %s \"$DB_PASSWORD\"");
    }

    @Test
    void rotatingAKeyringReachedThroughALinkWritesThroughTheLink() throws Exception {
        Path real = dir.resolve("real/keyring.json");
        assertEquals(0, run("", "keygen", "--keyring", real.toString()).status());
        Path link = dir.resolve("link.json");
        Files.createSymbolicLink(link, real);

        Result rotated = run("", "keygen", "--rotate", "--keyring", link.toString());
        assertEquals(0, rotated.status(), rotated.err());
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(LocalKeyring.load(real).keys()).containsOnlyKeys(1, 2);
        assertEquals("local:dev-2\n", rotated.out());
    }
}
