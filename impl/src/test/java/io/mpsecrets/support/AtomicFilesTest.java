package io.mpsecrets.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34 item 6: a writer killed while it wrote left its half-written {@code .<file>-N.tmp} beside the file, and no
 * later write removed it. The next write removes what a dead writer left, and leaves a live writer's alone.
 */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> files() throws Exception {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void whatAKilledWriterLeftIsRemovedByTheNextWriteAndALiveWritersFileIsNot() throws Exception {
        Path target = dir.resolve("keyring.json");
        Files.writeString(target, "old");
        Path temp = dir.resolve(".keyring.json-5123098712.tmp");
        Process writer = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        Paths.get(Writer.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString(),
                        Writer.class.getName(),
                        temp.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("writing", out.readLine());

            AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8), null, true);
            assertThat(files())
                    .as("a live writer's file")
                    .containsExactly(".keyring.json-5123098712.tmp", "keyring.json");

            writer.destroyForcibly();
            assertThat(writer.waitFor(1, TimeUnit.MINUTES)).isTrue();
            AtomicFiles.write(target, "newer".getBytes(StandardCharsets.UTF_8), null, true);
            assertThat(files()).containsExactly("keyring.json");
            assertEquals("newer", Files.readString(target));
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void onlyThisTargetsTemporaryFilesAreTouched() throws Exception {
        Path target = dir.resolve("app.properties");
        for (String name : List.of(
                ".app.properties-12.tmp",
                ".app.properties-.tmp",
                ".app.properties-1x.tmp",
                ".app.properties-1-2.tmp",
                ".app.properties.bak-12.tmp",
                ".other.properties-12.tmp",
                "app.properties-12.tmp")) {
            Files.writeString(dir.resolve(name), "left");
        }
        Files.createSymbolicLink(dir.resolve(".app.properties-34.tmp"), dir.resolve("elsewhere"));
        // Empty and new: perhaps a writer's that has not locked it yet; empty and old: a writer killed at once.
        Files.createFile(dir.resolve(".app.properties-56.tmp"));
        Files.createFile(dir.resolve(".app.properties-78.tmp"));
        Files.setLastModifiedTime(
                dir.resolve(".app.properties-78.tmp"),
                FileTime.from(Instant.now().minusSeconds(3600)));

        AtomicFiles.write(target, "x".getBytes(StandardCharsets.UTF_8), null, true);

        assertThat(files())
                .containsExactly(
                        ".app.properties-.tmp",
                        ".app.properties-1-2.tmp",
                        ".app.properties-1x.tmp",
                        ".app.properties-34.tmp",
                        ".app.properties-56.tmp",
                        ".app.properties.bak-12.tmp",
                        ".other.properties-12.tmp",
                        "app.properties",
                        "app.properties-12.tmp");
    }

    /** A writer as AtomicFiles writes: its temporary file locked, then half of the content, then it is killed. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel =
                    FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.lock();
                channel.write(ByteBuffer.wrap("{\"half\": ".getBytes(StandardCharsets.UTF_8)));
                System.out.println("writing");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
