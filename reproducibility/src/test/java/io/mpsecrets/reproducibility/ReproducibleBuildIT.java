package io.mpsecrets.reproducibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published jars are reproducible: a second build of the same tree (copied, with its git metadata, without the
 * first build's output) makes every one of them byte for byte the same as this build did. What makes archives differ
 * between builds (entry times, the order of entries, the build's user and JDK in the manifest) is pinned by
 * {@code project.build.outputTimestamp}; a difference names the jar.
 */
class ReproducibleBuildIT {

    /** The published artifacts, by the module that builds them, as the build names them. */
    private static final Map<String, List<String>> JARS = Map.ofEntries(
            Map.entry("api", List.of("mpsecrets-api")),
            Map.entry("impl", List.of("mpsecrets-impl")),
            Map.entry("aws", List.of("mpsecrets-aws")),
            Map.entry("vault", List.of("mpsecrets-vault")),
            Map.entry("azure", List.of("mpsecrets-azure")),
            Map.entry("gcp", List.of("mpsecrets-gcp")),
            Map.entry("jdbc", List.of("mpsecrets-jdbc")),
            Map.entry("testkit", List.of("mpsecrets-testkit")),
            Map.entry("cli", List.of("mpsecrets-cli")),
            Map.entry("quarkus/runtime", List.of("mpsecrets-quarkus")),
            Map.entry("quarkus/deployment", List.of("mpsecrets-quarkus-deployment")));

    @TempDir
    Path copy;

    @Test
    void aSecondBuildOfTheSameTreeMakesTheSameJars() throws Exception {
        Path root = Path.of(System.getProperty("mpsecrets.root")).toRealPath();
        String version = System.getProperty("mpsecrets.version");
        copyTree(root, copy);
        Path log = copy.resolve("second-build.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B",
                "-o",
                "-q",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "-Dcheckstyle.skip=true",
                "-pl",
                String.join(",", JARS.keySet()),
                "-am",
                "package"));
        Process build = new ProcessBuilder(command)
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertThat(build.waitFor(10, TimeUnit.MINUTES))
                    .as("the second build ends")
                    .isTrue();
            assertThat(build.exitValue())
                    .as(() -> "the second build: " + tail(log))
                    .isZero();
        } finally {
            build.destroyForcibly();
        }
        Map<String, String> differ = new TreeMap<>();
        int compared = 0;
        for (Map.Entry<String, List<String>> module : JARS.entrySet()) {
            for (String artifact : module.getValue()) {
                String name = artifact + "-" + version + ".jar";
                Path first = root.resolve(module.getKey()).resolve("target").resolve(name);
                Path second = copy.resolve(module.getKey()).resolve("target").resolve(name);
                assertThat(first).as("this build made " + name).exists();
                compared++;
                if (Files.mismatch(first, second) != -1L) {
                    differ.put(name, "differs at byte " + Files.mismatch(first, second));
                }
            }
        }
        Path runnable = Path.of("cli", "target", "mpsecrets.jar");
        compared++;
        if (Files.mismatch(root.resolve(runnable), copy.resolve(runnable)) != -1L) {
            differ.put("mpsecrets.jar", "the CLI's runnable jar differs");
        }
        // Every published jar listed, and the CLI's runnable one: none skipped because a build did not make it.
        assertThat(compared)
                .isEqualTo(JARS.values().stream().mapToInt(List::size).sum() + 1);
        assertThat(differ)
                .as("jars that two builds of one tree made differently")
                .isEmpty();
    }

    /** The source tree and its git metadata (the commit goes into the version), without any build output. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(from) && (name.equals("target") || name.startsWith(".cifuzz"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
