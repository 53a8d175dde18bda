package io.mpsecrets.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file so that readers see the whole old or the whole new content, never a part: a temporary file in the
 * same directory is written, forced to disk and renamed over the target. A target that is a symbolic link is
 * written through: the file it points to is replaced and the link stays (a keyring or config mounted as a link).
 *
 * <p>A process killed while it writes (SIGKILL, a power cut) leaves its temporary file, {@code .<name>-<digits>.tmp},
 * which Java cannot create unnamed. The writer holds an exclusive lock on it while it lives, and every write to a
 * target first removes the temporary files of that target that no live process holds: the operating system lets go
 * of a killed process's locks, so what is left behind is recognised and removed by the next write, and a write in
 * progress elsewhere is never disturbed. The temporary file has the target's permissions from its creation (owner
 * only for a new file) and never holds more than the target will.
 */
public final class AtomicFiles {

    /** An empty temporary file younger than this may be a writer's that has not locked it yet. */
    private static final Duration FRESH = Duration.ofMinutes(1);

    /** The temporary files this JVM is writing. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    /**
     * Replaces (or creates) {@code file} with {@code content}.
     *
     * @param permissions the new file's POSIX permissions; null keeps an existing file's (or the default for a new one)
     * @param replace whether an existing file may be replaced; otherwise an existing file (even one created while
     *        this runs) is a {@link FileAlreadyExistsException}
     */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions, boolean replace)
            throws IOException {
        Path target = throughLinks(file.toAbsolutePath());
        Path dir = target.getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Set<PosixFilePermission> mode = permissions;
        if (mode == null && posix && Files.exists(target)) {
            mode = Files.getPosixFilePermissions(target);
        }
        FileAttribute<?>[] attributes = posix && mode != null
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
        String name = target.getFileName().toString();
        removeLeftovers(dir, name);
        Path temp = Files.createTempFile(dir, "." + name + "-", ".tmp", attributes);
        WRITING.add(temp);
        try {
            if (posix && mode != null) {
                // createTempFile's attribute is subject to the umask: set the mode itself.
                Files.setPosixFilePermissions(temp, mode);
            }
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                // Held until the file is renamed or removed: a later write by another process sees it is in use.
                // Taken before anything is written, so an unlocked file with content is a dead writer's.
                FileLock lock = channel.lock();
                try {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                    if (replace) {
                        move(temp, target);
                    } else {
                        // Fails if someone created the file meanwhile: never silently overwrite.
                        try {
                            Files.createLink(target, temp);
                        } catch (UnsupportedOperationException noLinks) {
                            Files.move(temp, target);
                        }
                    }
                    Files.deleteIfExists(temp);
                } finally {
                    if (lock.isValid()) {
                        lock.release();
                    }
                }
            }
        } finally {
            try {
                Files.deleteIfExists(temp);
            } finally {
                WRITING.remove(temp);
            }
        }
    }

    /**
     * Removes the temporary files of {@code name} in {@code dir} that a killed writer left: files named as {@link
     * #write} names them that no process holds a lock on (a shared lock is granted only when no writer holds its
     * exclusive one) and that this JVM is not writing. One that is empty and new may be a writer's that has not
     * taken its lock yet: it is left for a later write. What cannot be removed is left; it is never a reason to fail.
     */
    static void removeLeftovers(Path dir, String name) {
        String prefix = "." + name + "-";
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, path -> {
            String file = path.getFileName().toString();
            return file.startsWith(prefix)
                    && file.endsWith(".tmp")
                    && file.length() > prefix.length() + 4
                    && file.substring(prefix.length(), file.length() - 4)
                            .chars()
                            .allMatch(Character::isDigit);
        })) {
            for (Path candidate : candidates) {
                removeIfLeftOver(candidate);
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Leftovers are untidy, not unsafe: the write goes on.
        }
    }

    private static void removeIfLeftOver(Path candidate) {
        if (WRITING.contains(candidate)) {
            // Ours, in progress: opening and closing it here would drop its writer's lock (POSIX locks are the
            // process's, not the channel's).
            return;
        }
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return;
            }
            if (attributes.size() == 0
                    && attributes
                            .lastModifiedTime()
                            .toInstant()
                            .isAfter(Instant.now().minus(FRESH))) {
                return;
            }
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true)) {
                if (lock != null) {
                    Files.deleteIfExists(candidate);
                }
            }
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            // In use, gone meanwhile, or not ours to remove: left as it is.
        }
    }

    /** The file a chain of symbolic links ends at (which need not exist yet); the path itself when it is no link. */
    static Path throughLinks(Path path) throws IOException {
        Path current = path;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops == 40) {
                throw new IOException("too many levels of symbolic links: " + path);
            }
            Path target = Files.readSymbolicLink(current);
            current = current.resolveSibling(target).normalize();
        }
        return current;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
