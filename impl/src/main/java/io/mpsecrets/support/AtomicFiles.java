package io.mpsecrets.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see the whole old or the whole new content, never a part: a temporary file in the
 * same directory is written, forced to disk and renamed over the target. A target that is a symbolic link is
 * written through: the file it points to is replaced and the link stays (a keyring or config mounted as a link).
 */
public final class AtomicFiles {

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
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp", attributes);
        try {
            if (posix && mode != null) {
                // createTempFile's attribute is subject to the umask: set the mode itself.
                Files.setPosixFilePermissions(temp, mode);
            }
            try (FileChannel channel =
                            FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(content);
                out.flush();
                channel.force(true);
            }
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
        } finally {
            Files.deleteIfExists(temp);
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
