package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The application as {@code quarkus:build} packaged it, with no keyring anywhere ({@code %prod} points at a file that
 * does not exist): the build succeeded, what it recorded for run time is the {@code ENC(...)} text, and no plaintext
 * is in any file or jar entry it wrote; nor in the log of the test run.
 */
class BuiltApplicationIT {

    private static final Path APP = Path.of(System.getProperty("quarkus.app.dir"));

    /**
     * Every file the build wrote, and every entry of every jar among them, as text. The dependencies it copied as
     * they are ({@code lib/main}) are left out: a library's jar carries its own pom, test settings included.
     */
    private static List<String> contents() throws IOException {
        List<String> out = new ArrayList<>();
        Path libraries = APP.resolve("lib").resolve("main");
        try (var files = Files.walk(APP)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(file -> !file.startsWith(libraries))
                    .toList()) {
                byte[] bytes = Files.readAllBytes(file);
                out.add(new String(bytes, StandardCharsets.ISO_8859_1));
                if (file.toString().endsWith(".jar")) {
                    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
                        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                            out.add(new String(read(zip), StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void theBuildRecordedCiphertextAndNoPlaintext() throws IOException {
        assertThat(APP.resolve("quarkus-run.jar")).exists();
        List<String> contents = contents();
        for (String text : contents) {
            LeakGuard.check(text, "the built application");
        }
        assertThat(contents).as("the ENC value is recorded as written").anyMatch(text -> text.contains("ENC(AQEA"));
    }

    @Test
    void theTestRunsLogHoldsNoSecret() throws IOException {
        Path log = Path.of(System.getProperty("quarkus.test.log"));
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName()
                            .toString()
                            .startsWith(log.getFileName().toString()))
                    .toList()) {
                all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        String text = all.toString();
        LeakGuard.check(text, "the Quarkus log of the tests");
        assertThat(text).contains("event=decrypted property=orders.signing-key");
    }
}
