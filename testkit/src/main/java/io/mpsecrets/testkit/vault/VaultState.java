package io.mpsecrets.testkit.vault;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;

/**
 * The mock Vault's state directory ({@code --state DIR}): one file, {@code vault.json}, rewritten whole after every
 * change, so that keys and values outlive a restart. It holds Transit key material, stored values and tokens in the
 * clear, so the directory is made owner-only ({@code rwx------}) when it is created and the file is written owner-only
 * ({@code rw-------}; on a file system without POSIX permissions, an ACL granting its owner alone); it is written to a
 * temporary file in the same directory, flushed to disk and renamed over the old one, so that a crash leaves the old
 * state or the new, never half of one. A lock file keeps a second mock off a directory in use. A file it cannot read
 * (not JSON, another shape, over {@value #MAX_BYTES} bytes) stops the mock from starting rather than start it empty
 * over someone's keys; the reason never quotes the file's contents.
 */
final class VaultState implements AutoCloseable {

    static final String FILE = "vault.json";
    static final int MAX_BYTES = 64 << 20;

    private final Path dir;
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private VaultState(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Takes {@code dir} (created owner-only if absent) for one mock.
     *
     * @throws IllegalStateException when it cannot be made or another mock holds it
     */
    static VaultState open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } else {
                    restrictToOwner(dir);
                }
            }
            Path lockFile = dir.resolve(".lock");
            FileChannel channel = FileChannel.open(
                    lockFile,
                    EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    ownerOnly(dir, "rw-------"));
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException(
                        "the state directory " + dir + " is in use by another mock Vault (its .lock is held)");
            }
            return new VaultState(dir, channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot use " + dir + " as the mock Vault's state directory: " + e);
        }
    }

    /**
     * The saved state, or null when there is none yet.
     *
     * @throws IllegalStateException when the file cannot be read or is not a state the mock wrote
     */
    JsonObject load() {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalStateException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            return reader.readObject();
        } catch (JsonParsingException e) {
            throw new IllegalStateException(file + " is not the mock Vault's state: not JSON at line "
                    + e.getLocation().getLineNumber() + ", column "
                    + e.getLocation().getColumnNumber());
        } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException(file + " is not the mock Vault's state: not a JSON object");
        }
    }

    /** Replaces the saved state with {@code state}, atomically. */
    synchronized void save(JsonObject state) throws IOException {
        byte[] bytes = state.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new IOException("the state would be larger than " + MAX_BYTES + " bytes");
        }
        Path temporary = Files.createTempFile(dir, ".vault.json.", ".tmp", ownerOnly(dir, "rw-------"));
        try {
            restrictToOwner(temporary);
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the rename durable where the platform lets a directory be synced (Linux); elsewhere a no-op. */
    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories
        }
    }

    Path directory() {
        return dir;
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    /** POSIX permissions at creation where the file system has them (the umask can only take bits away). */
    private static FileAttribute<?>[] ownerOnly(Path where, String permissions) throws IOException {
        if (Files.getFileStore(where).supportsFileAttributeView("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
            };
        }
        return new FileAttribute<?>[0];
    }

    /** Without POSIX permissions (Windows), an ACL with one entry: the owner's. */
    private static void restrictToOwner(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            return;
        }
        AclFileAttributeView acl = Files.getFileAttributeView(path, AclFileAttributeView.class);
        if (acl != null) {
            acl.setAcl(List.of(AclEntry.newBuilder()
                    .setType(AclEntryType.ALLOW)
                    .setPrincipal(acl.getOwner())
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                    .build()));
        }
    }

    // ---- typed reads of a saved state; a failure names the item, never its value ----

    static JsonObject object(JsonValue value, String what) {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw shape(what, "an object");
    }

    static JsonArray array(JsonValue value, String what) {
        if (value instanceof JsonArray array) {
            return array;
        }
        throw shape(what, "an array");
    }

    static String string(JsonValue value, String what) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw shape(what, "a string");
    }

    static int integer(JsonValue value, String what) {
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.intValueExact();
            } catch (ArithmeticException e) {
                throw shape(what, "an int");
            }
        }
        throw shape(what, "an int");
    }

    static long seconds(JsonValue value, String what) {
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                throw shape(what, "a whole number");
            }
        }
        throw shape(what, "a whole number");
    }

    static boolean bool(JsonValue value, String what) {
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        throw shape(what, "true or false");
    }

    static byte[] base64(JsonValue value, String what) {
        try {
            return Base64.getDecoder().decode(string(value, what));
        } catch (IllegalArgumentException e) {
            throw shape(what, "base64");
        }
    }

    /** An instant, or null where the state says {@code null}. */
    static Instant optionalInstant(JsonValue value, String what) {
        return value == JsonValue.NULL ? null : instant(value, what);
    }

    static Instant instant(JsonValue value, String what) {
        try {
            return Instant.parse(string(value, what));
        } catch (DateTimeParseException e) {
            throw shape(what, "an instant");
        }
    }

    private static IllegalArgumentException shape(String what, String expected) {
        return new IllegalArgumentException(what + " is missing or not " + expected);
    }
}
