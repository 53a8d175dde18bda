package io.mpsecrets.provider.file;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.provider.ContentVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A directory of one file per secret, as Kubernetes and Docker mount them: the file name is the secret's name,
 * its content the value. Kubernetes updates a mounted secret by swapping the {@code ..data} symlink atomically;
 * files are read through it, so a read sees the whole old or the whole new value. Names starting with a dot
 * ({@code ..data}, {@code ..2026_11_22_...}) are not secrets. The version is a keyed hash of the content.
 */
public final class FileSecretProvider implements SecretProvider {

    public static final String NAME = "file";

    private final Path dir;
    private final boolean trimNewline;

    /**
     * @param trimNewline drop one trailing line break ({@code echo} into a file, editors), as a mount of a value
     *        written by tools usually has it and a password never does
     */
    public FileSecretProvider(Path dir, boolean trimNewline) {
        this.dir = dir.toAbsolutePath().normalize();
        this.trimNewline = trimNewline;
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
        try {
            byte[] content = Files.readAllBytes(file);
            byte[] value = trimNewline ? trimmed(content) : content;
            try {
                return SecretValue.of(
                        value,
                        ContentVersion.of(value),
                        Files.getLastModifiedTime(file).toInstant());
            } finally {
                Arrays.fill(content, (byte) 0);
                Arrays.fill(value, (byte) 0);
            }
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException(ref, "no file " + id.path() + " in " + dir);
        } catch (IOException e) {
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    ref,
                    "cannot read " + file + ": " + e.getClass().getSimpleName(),
                    null);
        }
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

    /** The secrets in the directory: regular files (through symlinks) whose names do not start with a dot. */
    public List<String> list() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(file)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException(
                    SecretRef.secret(NAME, dir.toString()), "the secrets directory does not exist");
        } catch (IOException e) {
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    SecretRef.secret(NAME, dir.toString()),
                    "cannot list the secrets directory: " + e.getClass().getSimpleName(),
                    null);
        }
        names.sort(null);
        return names;
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
        return "FileSecretProvider[" + dir + "]";
    }
}
