package io.mpsecrets.kms.local;

import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.backend.Sizes;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.crypto.AesGcm;
import io.mpsecrets.support.AtomicFiles;
import io.mpsecrets.support.WriterLock;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A keyring file: versioned AES-256 master keys for development and small deployments, the embedded default
 * KMS. JSON, written atomically and readable by its owner only. A new version becomes the primary (used for new
 * data keys); old versions stay so values made under them keep decrypting.
 *
 * <pre>
 * {"format": "mpsecrets-keyring/1", "name": "dev", "primary": 2, "issued": 2,
 *  "keys": [{"version": 1, "created": "2026-11-22T10:00:00Z", "material": "&lt;base64, 32 bytes&gt;"}, ...]}
 * </pre>
 */
public final class LocalKeyring implements AutoCloseable {

    public static final String FORMAT = "mpsecrets-keyring/1";
    public static final String DEFAULT_NAME = "dev";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String name;
    private final int primary;
    private final SortedMap<Integer, MasterKey> keys;
    /** The highest version this keyring ever issued, kept when versions are removed so that none is issued twice. */
    private final int issued;

    private LocalKeyring(String name, int primary, SortedMap<Integer, MasterKey> keys, int issued) {
        this.name = name;
        this.primary = primary;
        this.keys = Collections.unmodifiableSortedMap(keys);
        this.issued = Math.max(issued, keys.lastKey());
    }

    /** How long a writer waits for another to finish with the same keyring file. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    /** A new keyring with one fresh key, version 1. */
    public static LocalKeyring generate(String name) {
        if (!LocalKeyId.validName(name)) {
            throw new ConfigurationException("invalid keyring name '" + name
                    + "': letters, digits, '.', '_' and '-', not ending in -<digits>, at most 64 characters");
        }
        SortedMap<Integer, MasterKey> keys = new TreeMap<>();
        keys.put(1, new MasterKey(1, now(), AesGcm.randomKey()));
        return new LocalKeyring(name, 1, keys, 1);
    }

    /**
     * Creates the keyring file {@code file} with one fresh key, under the writers' lock.
     *
     * @throws ConfigurationException when the file exists, or the lock was held by another writer for {@code wait}
     */
    public static LocalKeyring create(Path file, String name, Duration wait) {
        LocalKeyring created = generate(name);
        try (WriterLock lock = lock(file, wait)) {
            created.write(file, false);
            return created;
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /**
     * Adds a fresh primary version to the keyring file {@code file}: under the writers' lock, the file is read again,
     * rotated and written, so that concurrent rotations each add their own version and none is lost.
     *
     * @throws ConfigurationException when the file cannot be read or written, or the lock was held by another writer
     *     for {@code wait}
     */
    public static LocalKeyring rotate(Path file, Duration wait) {
        try (WriterLock lock = lock(file, wait);
                LocalKeyring current = load(file)) {
            LocalKeyring rotated = current.rotate();
            try {
                rotated.write(file, true);
                return rotated;
            } catch (RuntimeException e) {
                rotated.close();
                throw e;
            }
        }
    }

    /** The writers' lock of {@code file}, in its directory, which is made (owner-only) if there is none yet. */
    private static WriterLock lock(Path file, Duration wait) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            return WriterLock.acquire(file, wait);
        } catch (WriterLock.LockTimeoutException e) {
            throw new ConfigurationException("keyring file " + file + " is being written by another writer: "
                    + e.getMessage() + "; try again when it is done");
        } catch (IOException e) {
            throw new ConfigurationException("cannot lock keyring file " + file + " for writing: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * This keyring plus a fresh key that becomes the primary; older versions stay for decryption. Its version follows
     * the highest ever issued, so a version removed from the file (a retired key) is never issued again with other
     * key material.
     */
    public LocalKeyring rotate() {
        SortedMap<Integer, MasterKey> next = new TreeMap<>();
        keys.forEach((version, key) -> next.put(version, key.copy()));
        int version = Math.addExact(issued, 1);
        next.put(version, new MasterKey(version, now(), AesGcm.randomKey()));
        return new LocalKeyring(name, version, next, version);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    public String name() {
        return name;
    }

    public MasterKey primary() {
        return keys.get(primary);
    }

    public Optional<MasterKey> key(int version) {
        return Optional.ofNullable(keys.get(version));
    }

    public SortedMap<Integer, MasterKey> keys() {
        return keys;
    }

    /** The key id that values made under {@code version} carry, e.g. {@code local:dev-2}. */
    public String keyId(int version) {
        return LocalKeyId.of(name, version);
    }

    /** Zeroes every key's material. */
    @Override
    public void close() {
        keys.values().forEach(MasterKey::destroy);
    }

    @Override
    public String toString() {
        return "LocalKeyring[name=" + name + ", primary=" + primary + ", versions=" + keys.keySet() + "]";
    }

    // ---- file format ----

    /** The largest keyring file read: far more than thousands of key versions. */
    static final long MAX_FILE_SIZE = 1024 * 1024;

    public static LocalKeyring load(Path file) {
        byte[] content = read(file);
        try {
            return parse(content, file);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * A keyring from the bytes of its file; {@code file} names it in errors.
     *
     * @throws ConfigurationException when the bytes are not a keyring
     */
    static LocalKeyring parse(byte[] content, Path file) {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new java.io.ByteArrayInputStream(content))) {
            if (!JsonLimits.shallow(content)) {
                throw new ConfigurationException(
                        "keyring file " + file + " is not a " + FORMAT + " keyring (nested too deep)");
            }
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new ConfigurationException("keyring file " + file + " is not a JSON object");
        } catch (NumberFormatException | ArithmeticException e) {
            // JSON-P parses numbers as it reads: an exponent beyond an int's range fails in the parser.
            throw new ConfigurationException("keyring file " + file + " holds a number JSON cannot hold");
        }
        try {
            return fromJson(json, file);
        } catch (ClassCastException | NullPointerException | ArithmeticException | IllegalArgumentException e) {
            throw new ConfigurationException("keyring file " + file + " is not a " + FORMAT
                    + " keyring (a field is missing or of the wrong type)");
        }
    }

    /** The file's bytes, refusing anything but a regular file of at most {@link #MAX_FILE_SIZE} bytes. */
    private static byte[] read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                if (!Files.exists(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                throw new ConfigurationException("keyring file " + file + " is not a regular file");
            }
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new ConfigurationException(
                        "keyring file " + file + " is larger than " + Sizes.format(MAX_FILE_SIZE));
            }
            try (InputStream in = Files.newInputStream(file)) {
                return BoundedReads.readAll(in, MAX_FILE_SIZE, "a keyring's size");
            } catch (BoundedReads.TooLarge e) {
                throw new ConfigurationException(
                        "keyring file " + file + " is larger than " + Sizes.format(MAX_FILE_SIZE));
            }
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("keyring file " + file
                    + " does not exist; create one with 'mpsecrets keygen --keyring " + file + "'");
        } catch (IOException e) {
            throw new ConfigurationException(
                    "cannot read keyring file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static LocalKeyring fromJson(JsonObject json, Path file) {
        if (!FORMAT.equals(json.getString("format", null))) {
            throw new ConfigurationException("keyring file " + file + " is not a " + FORMAT + " keyring");
        }
        String name = json.getString("name");
        if (!LocalKeyId.validName(name)) {
            throw new ConfigurationException("keyring file " + file + " has an invalid name");
        }
        SortedMap<Integer, MasterKey> keys = new TreeMap<>();
        for (JsonValue value : json.getJsonArray("keys")) {
            JsonObject key = value.asJsonObject();
            int version = key.getJsonNumber("version").intValueExact();
            Instant created;
            try {
                created = Instant.parse(key.getString("created"));
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(
                        "keyring file " + file + ": key version " + version + " has a bad creation time");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(key.getString("material"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(
                        "keyring file " + file + ": key version " + version + " is not base64");
            }
            if (version < 1 || material.length != 32) {
                Arrays.fill(material, (byte) 0);
                throw new ConfigurationException("keyring file " + file + ": key version " + version
                        + " is not a positive version with a 32-byte key");
            }
            if (keys.put(version, new MasterKey(version, created, material)) != null) {
                throw new ConfigurationException(
                        "keyring file " + file + ": key version " + version + " appears twice");
            }
            Arrays.fill(material, (byte) 0);
        }
        JsonNumber primary = json.getJsonNumber("primary");
        if (keys.isEmpty() || primary == null || !keys.containsKey(primary.intValueExact())) {
            throw new ConfigurationException("keyring file " + file + " has no keys or no valid primary version");
        }
        JsonNumber issued = json.getJsonNumber("issued");
        return new LocalKeyring(name, primary.intValueExact(), keys, issued == null ? 0 : issued.intValueExact());
    }

    /**
     * Writes the keyring to {@code file}, readable and writable by its owner only (on POSIX file systems),
     * atomically (a temporary file in the same directory is written, flushed and renamed over the target), under the
     * writers' lock. To add a version to a keyring file use {@link #rotate(Path, Duration)}, which reads it again
     * under the lock: a keyring loaded earlier, rotated and written here would drop versions another writer added.
     *
     * @param replace whether an existing file may be replaced; otherwise an existing file is an error
     */
    public void writeTo(Path file, boolean replace) {
        try (WriterLock lock = lock(file, LOCK_WAIT)) {
            write(file, replace);
        }
    }

    private void write(Path file, boolean replace) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (JsonWriter writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                    .createWriter(out)) {
                writer.writeObject(toJson());
            }
            byte[] content = out.toByteArray();
            try {
                AtomicFiles.write(file, content, OWNER_ONLY, replace);
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException(
                    "keyring file " + file + " already exists; use --rotate to add a key version");
        } catch (IOException e) {
            throw new ConfigurationException(
                    "cannot write keyring file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private JsonObject toJson() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (MasterKey key : keys.values()) {
            array.add(Json.createObjectBuilder()
                    .add("version", key.version())
                    .add("created", key.created().toString())
                    .add("material", key.materialBase64()));
        }
        return Json.createObjectBuilder()
                .add("format", FORMAT)
                .add("name", name)
                .add("primary", primary)
                .add("issued", issued)
                .add("keys", array)
                .build();
    }

    /** One master key version. Never prints its material; {@link #destroy()} zeroes it. */
    public static final class MasterKey {
        private final int version;
        private final Instant created;
        private final byte[] material;

        MasterKey(int version, Instant created, byte[] material) {
            this.version = version;
            this.created = created;
            this.material = material.clone();
        }

        public int version() {
            return version;
        }

        public Instant created() {
            return created;
        }

        javax.crypto.SecretKey secretKey() {
            return new javax.crypto.spec.SecretKeySpec(material, "AES");
        }

        String materialBase64() {
            return Base64.getEncoder().encodeToString(material);
        }

        MasterKey copy() {
            return new MasterKey(version, created, material);
        }

        void destroy() {
            Arrays.fill(material, (byte) 0);
        }

        @Override
        public String toString() {
            return "MasterKey[version=" + version + ", created=" + created + "]";
        }
    }
}
