package io.mpsecrets.testkit.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A new directory under {@code java.io.tmpdir}, removed with all it holds when closed. One that must outlive the code
 * that made it (a deployment a server reads later, a fixture a static initialiser builds) is removed when the JVM
 * exits instead ({@link #removedAtExit}). Unlike {@link java.io.File#deleteOnExit()}, which removes only what was
 * registered and only an empty directory, both remove what is in the directory at that time, lock files and files a
 * server wrote included. Symbolic links are removed, not followed.
 */
public final class TempDirectory implements AutoCloseable {

    /** The directories to remove at exit, and the one hook that does, registered on first use. */
    private static final class AtExit {
        static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> DIRECTORIES.forEach(TempDirectory::removeQuietly), "mpsecrets-temp-directories"));
        }
    }

    private final Path path;

    private TempDirectory(Path path) {
        this.path = path;
    }

    /** Creates a directory whose name starts with {@code prefix}; {@link #close()} removes it. */
    public static TempDirectory create(String prefix) {
        try {
            return new TempDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory whose name starts with {@code prefix}, removed with what it holds when the JVM exits. */
    public static Path removedAtExit(String prefix) {
        Path path = create(prefix).path();
        AtExit.DIRECTORIES.add(path);
        return path;
    }

    public Path path() {
        return path;
    }

    /** Removes the directory and everything in it; one already gone is no error. */
    @Override
    public void close() {
        try {
            remove(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code dir} and everything in it, not following links; a {@code dir} that does not exist is no error. */
    public static void remove(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed meanwhile, or never there
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** At exit: a file another process still writes may stop one removal, never the others'. */
    private static void removeQuietly(Path dir) {
        try {
            remove(dir);
        } catch (IOException | RuntimeException e) {
            // Nothing to tell at exit; the next removal of the system's temporary directory takes it.
        }
    }
}
