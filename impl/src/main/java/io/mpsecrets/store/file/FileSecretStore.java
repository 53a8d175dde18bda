package io.mpsecrets.store.file;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.backend.ContentVersion;
import io.mpsecrets.api.backend.Sizes;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A directory of one file per secret, as Kubernetes and Docker mount them: the file name is the secret's name, its
 * content the value. The version is a keyed hash of the content.
 *
 * <p>What a mount may hold is bounded. A file is read only if, once its links are followed, it is a regular file
 * inside the directory: links that lead elsewhere ({@code /etc/hostname}, another application's mount,
 * {@code /dev/zero}) are not followed, and a FIFO or a device is never opened, so no read can hang. A file larger
 * than {@code mpsecrets.file.max-size} (1 MiB, Kubernetes' own limit for a Secret) is refused before it is read.
 *
 * <p>Kubernetes updates a mounted secret by swapping the {@code ..data} link atomically and then deleting the old
 * timestamped directory: a read that resolved the old directory may find its file gone. Such a read, whose name
 * still exists as a link, is simply tried again; it sees the whole old or the whole new value. Names starting with
 * a dot ({@code ..data}, {@code ..2026_11_22_...}) are not secrets.
 */
public final class FileSecretStore implements SecretStore {

    public static final String NAME = "file";
    public static final long DEFAULT_MAX_SIZE = 1024 * 1024;
    private static final int SWAP_ATTEMPTS = 10;

    private final Path dir;
    private final boolean trimNewline;
    private final long maxSize;

    /**
     * @param trimNewline drop one trailing line break ({@code echo} into a file, editors), as a mount of a value
     *        written by tools usually has it and a password never does
     * @param maxSize the largest file read, in bytes
     */
    public FileSecretStore(Path dir, boolean trimNewline, long maxSize) {
        this.dir = dir.toAbsolutePath().normalize();
        this.trimNewline = trimNewline;
        this.maxSize = maxSize;
    }

    public FileSecretStore(Path dir, boolean trimNewline) {
        this(dir, trimNewline, DEFAULT_MAX_SIZE);
    }

    @Override
    public String name() {
        return NAME;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretRef ref = SecretRef.secret(NAME, id.toString());
        if (id.pinned()) {
            throw new SecretNotFoundException(ref, "a mounted file has only its current version");
        }
        Path file = resolve(id.path(), ref);
        for (int attempt = 1; ; attempt++) {
            try {
                Path real = inside(file, ref);
                byte[] content = read(real, ref);
                byte[] value = trimNewline ? trimmed(content) : content;
                try {
                    return SecretValue.of(value, ContentVersion.of(value), modified(real));
                } finally {
                    Arrays.fill(content, (byte) 0);
                    Arrays.fill(value, (byte) 0);
                }
            } catch (NoSuchFileException e) {
                if (attempt < SWAP_ATTEMPTS && Files.isSymbolicLink(file)) {
                    Thread.yield(); // a ..data swap is under way: the link now leads to the new directory
                    continue;
                }
                throw new SecretNotFoundException(ref, "no file " + id.path() + " in " + dir);
            } catch (IOException e) {
                throw failure(e, ref);
            }
        }
    }

    /** Where {@code file} leads once its links are followed, if that is a regular file inside the directory. */
    private Path inside(Path file, SecretRef ref) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(dir.toRealPath())) {
            throw new SecretNotFoundException(
                    ref, "'" + file.getFileName() + "' links to a file outside " + dir + ", which is not read");
        }
        // Throws NoSuchFileException if the file went away since (a ..data swap): the read is tried again.
        if (!Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .isRegularFile()) {
            throw new SecretNotFoundException(ref, "'" + file.getFileName() + "' is not a regular file");
        }
        return real;
    }

    /** The content, at most {@link #maxSize} bytes: a larger file is refused, never read whole. */
    private byte[] read(Path file, SecretRef ref) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (channel.size() > maxSize) {
                throw tooLarge(ref);
            }
            // A file that grows after its size was read is still read no further than the limit.
            return BoundedReads.readAll(Channels.newInputStream(channel), maxSize, "mpsecrets.file.max-size");
        } catch (BoundedReads.TooLarge e) {
            throw tooLarge(ref);
        }
    }

    private SecretException tooLarge(SecretRef ref) {
        return new InvalidSecretValueException(
                ref, "the file is larger than mpsecrets.file.max-size (" + Sizes.format(maxSize) + ")");
    }

    private static java.time.Instant modified(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return time.toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * How the store classes what the JDK answers about a file: a refused permission is a denial (never served stale),
     * a missing file is missing, anything else is an outage.
     */
    public static SecretException failure(IOException e, SecretRef ref) {
        if (e instanceof AccessDeniedException) {
            return new SecretAccessDeniedException(
                    ref, "the file may not be read (" + e.getClass().getSimpleName() + ")", null);
        }
        if (e instanceof NoSuchFileException) {
            return new SecretNotFoundException(ref, "no such file");
        }
        return new ServiceUnavailableException(
                FailureReason.UNAVAILABLE,
                ref,
                "cannot read the file: " + e.getClass().getSimpleName(),
                null);
    }

    @Override
    public Optional<String> currentVersion(SecretId id) {
        SecretValue value = fetch(id);
        try {
            return value.version();
        } finally {
            value.destroy();
        }
    }

    /** The secrets in the directory: names not starting with a dot that lead to regular files inside it. */
    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>();
        SecretRef ref = SecretRef.secret(NAME, dir.toString());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && isServed(file, ref)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException(ref, "the secrets directory does not exist");
        } catch (IOException e) {
            throw failure(e, ref);
        }
        names.sort(null);
        return names;
    }

    private boolean isServed(Path file, SecretRef ref) {
        try {
            inside(file, ref);
            return true;
        } catch (IOException | SecretException e) {
            return false;
        }
    }

    private Path resolve(String name, SecretRef ref) {
        Path file = dir.resolve(name).normalize();
        if (name.startsWith(".") || name.contains("..") || !file.startsWith(dir) || file.equals(dir)) {
            throw new SecretNotFoundException(ref, "'" + name + "' is not a file name inside " + dir);
        }
        return file;
    }

    private static byte[] trimmed(byte[] content) {
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        return Arrays.copyOf(content, end);
    }

    @Override
    public String toString() {
        return "FileSecretStore[" + dir + "]";
    }
}
