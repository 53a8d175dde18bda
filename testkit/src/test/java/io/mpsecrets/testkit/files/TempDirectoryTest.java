package io.mpsecrets.testkit.files;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirectoryTest {

    @Test
    void closeRemovesTheDirectoryWithWhatItHolds() throws IOException {
        Path path;
        try (TempDirectory directory = TempDirectory.create("mpsecrets-temp-test")) {
            path = directory.path();
            assertTrue(path.getFileName().toString().startsWith("mpsecrets-temp-test"));
            Files.writeString(path.resolve("keyring.json"), "{}");
            Files.createFile(path.resolve("keyring.json.lock"));
            Files.writeString(Files.createDirectories(path.resolve("a/b")).resolve("secret"), "x");
        }
        assertFalse(Files.exists(path));
    }

    @Test
    void aLinkIsRemovedNotFollowed(@TempDir Path outside) throws IOException {
        Path kept = Files.writeString(outside.resolve("kept"), "x");
        Path path;
        try (TempDirectory directory = TempDirectory.create("mpsecrets-temp-test")) {
            path = directory.path();
            Files.createSymbolicLink(path.resolve("link"), outside);
        }
        assertFalse(Files.exists(path));
        assertTrue(Files.exists(kept));
    }

    @Test
    void removingWhatIsGoneIsNoError() throws IOException {
        TempDirectory directory = TempDirectory.create("mpsecrets-temp-test");
        directory.close();
        assertDoesNotThrow(directory::close);
        assertDoesNotThrow(() -> TempDirectory.remove(directory.path().resolve("never")));
    }

    /** In a JVM of its own: the directory, with files written after it was made, is gone once that JVM exits. */
    @Test
    void oneRemovedAtExitIsGoneAfterTheJvmExits() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AtExit.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM exits");
            List<String> output = List.of(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .split("\n"));
            assertEquals(0, child.exitValue(), String.join("\n", output));
            Path made = Path.of(output.get(output.size() - 1));
            assertTrue(made.getFileName().toString().startsWith("mpsecrets-at-exit-test"), made.toString());
            assertFalse(Files.exists(made), made + " is removed at exit");
        } finally {
            child.destroyForcibly();
        }
    }

    /** The child: makes a directory removed at exit, fills it, prints its path last and exits. */
    static final class AtExit {
        public static void main(String[] args) throws IOException {
            Path path = TempDirectory.removedAtExit("mpsecrets-at-exit-test");
            Files.writeString(path.resolve("keyring.json"), "{}");
            Files.writeString(Files.createDirectories(path.resolve("nested")).resolve("secret"), "x");
            if (!Files.exists(path.resolve("nested/secret"))) {
                throw new IllegalStateException("not written");
            }
            System.out.println(path);
        }
    }
}
