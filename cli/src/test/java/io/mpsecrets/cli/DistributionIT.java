package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as people install it: the archives the build just made hold the launchers, the jar, the man pages, the
 * completion and the license, and {@code bin/mpsecrets} from the unpacked {@code .tar.gz} runs: its version, and a
 * keyring made, a value encrypted and decrypted through it.
 */
class DistributionIT {

    private static final Path BASE = Path.of(System.getProperty("mpsecrets.distribution"));
    private static final String TOP = BASE.getFileName().toString();

    @TempDir
    Path dir;

    @Test
    void theZipHoldsEverythingAnInstallNeeds() throws IOException {
        Set<String> entries = new TreeSet<>();
        try (ZipFile zip = new ZipFile(BASE + ".zip")) {
            zip.stream().forEach(entry -> entries.add(entry.getName()));
        }
        assertThat(entries)
                .contains(
                        TOP + "/bin/mpsecrets",
                        TOP + "/bin/mpsecrets.bat",
                        TOP + "/lib/mpsecrets.jar",
                        TOP + "/LICENSE",
                        TOP + "/CHANGELOG.md",
                        TOP + "/completion/mpsecrets.bash",
                        TOP + "/man/man1/mpsecrets.1",
                        TOP + "/man/man1/mpsecrets-encrypt.1",
                        TOP + "/man/man1/mpsecrets-reencrypt.1");
    }

    @Test
    void theLauncherRunsTheCommandsFromTheUnpackedArchive() throws Exception {
        run(dir, "tar", "-xzf", BASE + ".tar.gz");
        Path home = dir.resolve(TOP);
        Path launcher = home.resolve("bin/mpsecrets");
        assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(run(dir, launcher.toString(), "--version"))
                .matches("mp-secrets \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)\\)\\n");

        // Through a symbolic link, as a link in ~/bin would be.
        Path link = Files.createSymbolicLink(dir.resolve("mpsecrets"), launcher);
        String keyring = dir.resolve("keyring.json").toString();
        run(dir, link.toString(), "keygen", "--keyring", keyring);
        String value = runWithInput(
                        dir, LeakGuard.CANARY, link.toString(), "encrypt", "--keyring", keyring, "--property", "p")
                .strip();
        assertThat(value).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);
        assertEquals(
                LeakGuard.CANARY,
                runWithInput(
                                dir,
                                value,
                                link.toString(),
                                "decrypt",
                                "--keyring",
                                keyring,
                                "--property",
                                "p",
                                "--reveal")
                        .strip());
        assertThat(Files.readString(home.resolve("man/man1/mpsecrets-encrypt.1")))
                .startsWith(".TH \"MPSECRETS-ENCRYPT\" 1")
                .contains(".SH OPTIONS", "\\-\\-property");
        assertThat(Files.readString(home.resolve("completion/mpsecrets.bash")))
                .contains("complete -F _complete_mpsecrets", "encrypt", "reencrypt");
    }

    private static String run(Path in, String... command) throws Exception {
        return runWithInput(in, "", command);
    }

    private static String runWithInput(Path in, String input, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(args)
                .directory(in.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertEquals(0, process.exitValue(), String.join(" ", args));
            return out;
        } finally {
            process.destroyForcibly();
        }
    }
}
