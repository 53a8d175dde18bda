package io.mpsecrets.kms.local;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.crypto.AesGcm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.AEADBadTagException;

/**
 * The local keyring as a {@link KeyManagementService}: data keys are wrapped with AES-256-GCM under a keyring
 * master key, with the key id and the encryption context as associated data, so a wrapped key only unwraps under
 * the same key version and the same worker context. When a value names a key version the keyring does not have,
 * the file is read again once (the CLI may have rotated it while the application runs).
 *
 * <p>Wrapped key layout: {@code 0x01 · nonce (12) · AES-GCM(data key) with tag (48)}.
 */
public final class LocalKeyringKms implements KeyManagementService {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.kms.local");
    private static final byte WRAP_VERSION = 1;
    private static final int WRAPPED_LENGTH = 1 + 12 + 32 + 16;
    private static final byte[] WRAP_LABEL = "mpsecrets/local-wrap/v1".getBytes(StandardCharsets.UTF_8);

    private final Path file;
    private LocalKeyring keyring;
    private FileTime loadedModified;

    private LocalKeyringKms(Path file, LocalKeyring keyring, FileTime modified) {
        this.file = file;
        this.keyring = keyring;
        this.loadedModified = modified;
    }

    /** Reads the keyring at {@code file}, warning when others may read it. */
    public static LocalKeyringKms open(Path file) {
        FileTime modified = modifiedTime(file);
        LocalKeyring keyring = LocalKeyring.load(file);
        warnIfReadableByOthers(file);
        return new LocalKeyringKms(file, keyring, modified);
    }

    /** Over a keyring held in memory only (tests, the CLI's in-process use). */
    public static LocalKeyringKms of(LocalKeyring keyring) {
        return new LocalKeyringKms(null, keyring, null);
    }

    @Override
    public String name() {
        return "local";
    }

    /** {@code local} and {@code local:...}. */
    public static boolean isLocalKeyId(String keyId) {
        return LocalKeyId.handles(keyId);
    }

    public synchronized LocalKeyring keyring() {
        return keyring;
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        ResolvedKey master = resolve(keyId, true);
        String resolved = master.keyId();
        byte[] dataKey = AesGcm.randomKey();
        try {
            byte[] nonce = AesGcm.randomNonce();
            byte[] sealed = AesGcm.encrypt(master.key(), nonce, dataKey, associatedData(resolved, context));
            byte[] wrapped = ByteBuffer.allocate(WRAPPED_LENGTH)
                    .put(WRAP_VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return new GeneratedDataKey(resolved, wrapped, DataKey.copyOf(dataKey));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        LocalKeyId id = LocalKeyId.parse(keyId);
        if (id == null || id.name() == null || id.version().isEmpty()) {
            throw new UnknownKeyException(
                    SecretRef.key(keyId), "a value must name a local key version, as in local:<name>-<version>", null);
        }
        ResolvedKey master = resolve(keyId, false);
        if (wrappedKey.length != WRAPPED_LENGTH || wrappedKey[0] != WRAP_VERSION) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY,
                    SecretRef.key(keyId),
                    "the wrapped data key is not a local keyring wrapped key",
                    null);
        }
        byte[] nonce = Arrays.copyOfRange(wrappedKey, 1, 13);
        byte[] sealed = Arrays.copyOfRange(wrappedKey, 13, WRAPPED_LENGTH);
        byte[] dataKey = null;
        try {
            dataKey = AesGcm.decrypt(master.key(), nonce, sealed, associatedData(keyId, context));
            return DataKey.copyOf(dataKey);
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY,
                    SecretRef.key(keyId),
                    "the keyring's key " + keyId + " does not unwrap this data key",
                    null);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
    }

    /** A master key picked for one operation; its JCA key is a copy, safe from a concurrent reload's zeroing. */
    private record ResolvedKey(String keyId, javax.crypto.SecretKey key) {}

    private ResolvedKey resolved(LocalKeyring.MasterKey master) {
        return new ResolvedKey(keyring.keyId(master.version()), master.secretKey());
    }

    /** The master key a key id names; when {@code forNewKey}, an unversioned id means the primary. */
    private synchronized ResolvedKey resolve(String keyId, boolean forNewKey) {
        LocalKeyId id = LocalKeyId.parse(keyId);
        if (id == null) {
            throw new UnknownKeyException(SecretRef.key(keyId), "not a local keyring key id", null);
        }
        if (id.name() != null && !id.name().equals(keyring.name())) {
            throw new UnknownKeyException(
                    SecretRef.key(keyId), "the configured keyring is '" + keyring.name() + "'" + where(), null);
        }
        if (id.version().isEmpty()) {
            if (!forNewKey) {
                throw new UnknownKeyException(SecretRef.key(keyId), "a key version is needed", null);
            }
            return resolved(keyring.primary());
        }
        int version = id.version().getAsInt();
        if (keyring.key(version).isEmpty()) {
            reloadIfChanged();
        }
        return resolved(keyring.key(version)
                .orElseThrow(() -> new UnknownKeyException(
                        SecretRef.key(keyId),
                        "keyring '" + keyring.name() + "' has no key version " + version + where(),
                        null)));
    }

    private String where() {
        return file == null ? "" : " (" + file + ")";
    }

    private void reloadIfChanged() {
        if (file == null) {
            return;
        }
        FileTime modified = modifiedTime(file);
        if (modified != null && !modified.equals(loadedModified)) {
            LocalKeyring reloaded = LocalKeyring.load(file);
            keyring.close();
            keyring = reloaded;
            loadedModified = modified;
            LOG.info(() -> "mp-secrets: reloaded keyring " + LogSafe.escape(file.toString()) + ": versions "
                    + reloaded.keys().keySet());
        }
    }

    /** Associated data of a wrap: a label, the resolved key id and the canonical encryption context. */
    static byte[] associatedData(String keyId, EncryptionContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeSized(out, WRAP_LABEL);
        writeSized(out, keyId.getBytes(StandardCharsets.UTF_8));
        context.entries().forEach((k, v) -> {
            writeSized(out, k.getBytes(StandardCharsets.UTF_8));
            writeSized(out, v.getBytes(StandardCharsets.UTF_8));
        });
        return out.toByteArray();
    }

    private static void writeSized(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static FileTime modifiedTime(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (!LocalKeyring.OWNER_ONLY.containsAll(permissions)) {
                    LOG.warning(() -> "mp-secrets: keyring file " + LogSafe.escape(file.toString())
                            + " is accessible to others ("
                            + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "); run: chmod 600 "
                            + LogSafe.escape(file.toString()));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.FINE, "cannot read keyring file permissions", e);
        }
    }

    /** When the key version a key id names was created, if the keyring has it. */
    @Override
    public synchronized java.util.Optional<java.time.Instant> keyCreated(String keyId) {
        LocalKeyId id = LocalKeyId.parse(keyId);
        if (id == null
                || id.version().isEmpty()
                || (id.name() != null && !id.name().equals(keyring.name()))) {
            return java.util.Optional.empty();
        }
        return keyring.key(id.version().getAsInt()).map(LocalKeyring.MasterKey::created);
    }

    @Override
    public synchronized void close() {
        keyring.close();
    }

    @Override
    public String toString() {
        return "LocalKeyringKms[" + (file == null ? "in memory" : file) + ", " + keyring + "]";
    }
}
