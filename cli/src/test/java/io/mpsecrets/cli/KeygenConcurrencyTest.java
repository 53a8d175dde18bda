package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.support.WriterLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyring writers never lose a key: concurrent {@code keygen --rotate} runs, in threads and in separate processes,
 * each add a version of their own, and a writer that cannot get the lock in time fails clearly.
 */
class KeygenConcurrencyTest {

    @TempDir
    Path dir;

    /** Rotates the keyring named by its first argument as many times as its second says, one CLI run each. */
    public static final class RotateMany {
        public static void main(String[] args) {
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                int status = MpSecretsCommand.run(
                        new String[] {"keygen", "--keyring", args[0], "--rotate"},
                        System.in,
                        System.out,
                        System.err,
                        Map.of());
                if (status != 0) {
                    System.exit(status);
                }
            }
        }
    }

    /** Holds the writers' lock of the keyring named by its argument until its standard input closes. */
    public static final class HoldLock {
        public static void main(String[] args) throws IOException {
            try (WriterLock lock = WriterLock.acquire(Path.of(args[0]), Duration.ofSeconds(10))) {
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    private Path created() {
        Path file = dir.resolve("keyring.json");
        assertEquals(
                0,
                CliRun.run(Map.of(), "", "keygen", "--keyring", file.toString()).status());
        return file;
    }

    @Test
    void concurrentRotationsInThreadsEachAddTheirOwnVersion() throws Exception {
        Path file = created();
        int writers = 8;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<CliRun.Result>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return CliRun.run(Map.of(), "", "keygen", "--keyring", file.toString(), "--rotate");
                }));
            }
            Set<String> printed = new HashSet<>();
            for (Future<CliRun.Result> run : runs) {
                CliRun.Result result = run.get(60, TimeUnit.SECONDS);
                assertEquals(0, result.status(), result.err());
                printed.add(result.out().strip());
            }
            assertThat(printed).as("every run printed a key id of its own").hasSize(writers);
            try (LocalKeyring keyring = LocalKeyring.load(file)) {
                assertThat(keyring.keys()).hasSize(1 + writers);
                Set<String> kept = new HashSet<>();
                keyring.keys().keySet().forEach(version -> kept.add(keyring.keyId(version)));
                assertThat(kept).containsAll(printed);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRotationsInProcessesEachAddTheirOwnVersions() throws Exception {
        Path file = created();
        int processes = 3;
        int each = 8;
        List<Process> started = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                started.add(java(RotateMany.class, file.toString(), Integer.toString(each))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            Set<String> printed = new HashSet<>();
            for (Process process : started) {
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertEquals(0, process.exitValue());
                printed.addAll(out.lines().toList());
            }
            assertThat(printed).as("no key id was printed twice").hasSize(processes * each);
            try (LocalKeyring keyring = LocalKeyring.load(file)) {
                assertThat(keyring.keys()).hasSize(1 + processes * each);
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void aWriterThatCannotGetTheLockInTimeFailsClearly() throws Exception {
        Path file = created();
        Process holder = java(HoldLock.class, file.toString()).start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            ConfigurationException refused =
                    assertThrows(ConfigurationException.class, () -> LocalKeyring.rotate(file, Duration.ofMillis(300)));
            assertThat(refused.getMessage()).contains(file.toString(), "another writer", "keyring.json.lock");
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        try (LocalKeyring rotated = LocalKeyring.rotate(file, Duration.ofSeconds(5))) {
            assertThat(rotated.keys())
                    .as("once released, the next writer proceeds")
                    .hasSize(2);
        }
    }

    private static ProcessBuilder java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
