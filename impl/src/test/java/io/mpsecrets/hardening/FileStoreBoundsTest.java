package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.store.file.FileSecretStoreFactory;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store under a careless or hostile mount. Defect 5: a 300 MB file or a link to {@code /dev/zero} ended in
 * OutOfMemoryError. Defect 9: links leading out of {@code mpsecrets.file.dir} were followed and a FIFO hung the
 * reader. Defect 10: reads during Kubernetes' {@code ..data} swaps failed with NOT_FOUND. Defect 11: a file whose
 * permission was revoked was served stale.
 */
class FileStoreBoundsTest {

    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    private SecretStore store(Path directory, String... settings) {
        Map<String, String> values = new HashMap<>();
        values.put("mpsecrets.file.dir", directory.toString());
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new FileSecretStoreFactory()
                .create(BackendSettings.store("file", name -> Optional.ofNullable(values.get(name)), Map.of(), "test"));
    }

    private static SecretException refused(SecretStore store, String name) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(5), () -> assertThrows(SecretException.class, () -> store.fetch(SecretId.of(name))));
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWithoutReadingIt() throws IOException {
        try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("huge").toFile(), "rw")) {
            huge.setLength(300L * 1024 * 1024); // sparse: no disk, no time
        }
        Files.createSymbolicLink(dir.resolve("link-to-huge"), dir.resolve("huge"));
        SecretStore store = store(dir);
        for (String name : new String[] {"huge", "link-to-huge"}) {
            SecretException e = refused(store, name);
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
            assertThat(e.getMessage()).contains("larger than", "mpsecrets.file.max-size");
        }
        Files.writeString(dir.resolve("small"), "x".repeat(2048));
        assertEquals(
                FailureReason.INVALID_VALUE,
                refused(store(dir, "mpsecrets.file.max-size", "1KiB"), "small").reason());
        assertEquals(
                2048,
                store(dir, "mpsecrets.file.max-size", "4KiB")
                        .fetch(SecretId.of("small"))
                        .bytes()
                        .length);
    }

    @Test
    void linksLeadingOutOfTheDirectoryAreNotFollowed() throws IOException {
        Files.writeString(elsewhere.resolve("other-app-secret"), "other-" + LeakGuard.CANARY);
        Files.createSymbolicLink(dir.resolve("escape"), elsewhere.resolve("other-app-secret"));
        Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
        Files.createSymbolicLink(dir.resolve("hostname"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(
                dir.resolve("relative"), Path.of("../" + elsewhere.getFileName() + "/other-app-secret"));
        SecretStore store = store(dir);
        for (String name : new String[] {"escape", "zero", "hostname", "relative"}) {
            SecretException e = refused(store, name);
            assertEquals(FailureReason.NOT_FOUND, e.reason(), name);
            assertThat(e.getMessage()).contains("outside");
            LeakGuard.assertNoLeak(e);
        }
        assertThat(store.list()).doesNotContain("escape", "zero", "hostname", "relative");
    }

    @Test
    void aFifoOrADirectoryIsRefusedAtOnce() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Files.createDirectory(dir.resolve("sub"));
        SecretStore store = store(dir);
        assertEquals(FailureReason.NOT_FOUND, refused(store, "pipe").reason());
        assertEquals(FailureReason.NOT_FOUND, refused(store, "sub").reason());
        assertThat(store.list()).doesNotContain("pipe", "sub");
    }

    /** Kubernetes' layout: name -> ..data/name, ..data -> ..<timestamp>; an update swaps ..data atomically. */
    private void kubernetesUpdate(int version) throws IOException {
        Path versioned = Files.createDirectory(dir.resolve("..v" + version));
        Files.writeString(versioned.resolve("db-password"), "v" + version + "-" + LeakGuard.CANARY);
        Path link = dir.resolve("..data_tmp");
        Files.createSymbolicLink(link, versioned.getFileName());
        Path previous = Files.isSymbolicLink(dir.resolve("..data"))
                ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data")))
                : null;
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (previous != null) {
            Files.delete(previous.resolve("db-password"));
            Files.delete(previous);
        }
        if (!Files.isSymbolicLink(dir.resolve("db-password"))) {
            Files.createSymbolicLink(dir.resolve("db-password"), Path.of("..data/db-password"));
        }
    }

    @Test
    void readsDuringKubernetesSwapsNeverFail() throws Exception {
        kubernetesUpdate(0);
        SecretStore store = store(dir);
        ConcurrentReaders.Report report = ConcurrentReaders.during(
                8, () -> store.fetch(SecretId.of("db-password")).asString(), () -> {
                    for (int version = 1; version <= 400; version++) {
                        kubernetesUpdate(version);
                        if (ThreadLocalRandom.current().nextInt(8) == 0) {
                            Thread.sleep(1);
                        }
                    }
                });
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(400);
    }

    @Test
    void aFileThatMayNotBeReadIsADenialNeverServedStale() {
        // As root (CI) a permission cannot be revoked from a test; the store's mapping of the JDK's answer is tested.
        SecretException e = io.mpsecrets.store.file.FileSecretStore.failure(
                new AccessDeniedException("/run/secrets/db-password"),
                io.mpsecrets.api.SecretRef.secret("file", "db-password"));
        assertEquals(FailureReason.ACCESS_DENIED, e.reason());
        assertThat(e.reason().transientFailure()).isFalse();
    }
}
