package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.MockVault.envelope;
import static io.mpsecrets.testkit.vault.MockVault.string;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vault's Transit secrets engine as far as a KMS for data keys needs it, at {@code transit/} (or wherever it is
 * mounted): named keys with versions, derived keys ({@code context} required), {@code datakey/plaintext} and
 * {@code datakey/wrapped}, {@code decrypt}, {@code keys/<name>} (create, and read: type, derivation, versions with
 * their creation times, {@code latest_version}, {@code min_decryption_version}, as Vault's Read Key answers; create
 * and rotate answer the same, as Vault does since it returns the key from writes), {@code keys/<name>/rotate} and
 * {@code keys/<name>/config} ({@code min_decryption_version}). Key names follow Vault's rule (a word character at each
 * end, word characters, {@code -} and {@code .} between); a path with another name matches no route (404). Its
 * ciphertexts look like Vault's ({@code vault:v<version>:<base64>}); inside, AES-256-GCM under a key derived from the
 * version's key and the context with HMAC-SHA256 (the mock's own derivation: a ciphertext is opaque to clients). Its
 * keys live in memory, or in the mock's state file ({@link #snapshot()}).
 */
final class MockTransit {

    static final String MOUNT = "transit";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Vault's {@code framework.GenericNameRegex}: the names its Transit routes match. */
    private static final Pattern NAME = Pattern.compile("\\w(([\\w.-]+)?\\w)?");

    private static final class Key {
        final String name;
        final List<byte[]> versions = new ArrayList<>(); // guarded by this
        final List<Instant> created = new ArrayList<>(); // guarded by this
        volatile int minDecryptionVersion = 1;

        Key(String name) {
            this.name = name;
        }

        synchronized void addVersion() {
            versions.add(random(32));
            created.add(Instant.now());
        }
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    /** Where it is mounted, without the trailing slash ({@code transit}). */
    private final String mount;

    MockTransit(String mount) {
        this.mount = mount;
    }

    /** Creates a derived key, as {@code vault write transit/keys/<name> derived=true}. */
    void create(String name) {
        keys.computeIfAbsent(name, n -> {
            Key key = new Key(n);
            key.addVersion();
            return key;
        });
    }

    void rotate(String name) throws VaultError {
        key(name).addVersion();
    }

    int latestVersion(String name) throws VaultError {
        Key key = key(name);
        synchronized (key) {
            return key.versions.size();
        }
    }

    void minDecryptionVersion(String name, int version) throws VaultError {
        key(name).minDecryptionVersion = version;
    }

    /** Serves {@code path} (below the mount), already authorised. */
    JsonObject route(String path, String method, JsonObject body) throws VaultError {
        if (path.startsWith("keys/") && method.equals("GET")) {
            return describe(key(name(path.substring("keys/".length()), path), true));
        }
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new VaultError(405, "unsupported operation");
        }
        if (path.startsWith("keys/") && path.endsWith("/rotate")) {
            String name = name(path.substring("keys/".length(), path.length() - "/rotate".length()), path);
            rotate(name);
            return describe(key(name));
        }
        if (path.startsWith("keys/") && path.endsWith("/config")) {
            JsonValue min = body.get("min_decryption_version");
            minDecryptionVersion(
                    name(path.substring("keys/".length(), path.length() - "/config".length()), path),
                    min instanceof jakarta.json.JsonNumber n
                            ? n.intValue()
                            : Integer.parseInt(string(body, "min_decryption_version")));
            return null;
        }
        if (path.startsWith("keys/")) {
            String name = name(path.substring("keys/".length()), path);
            create(name);
            return describe(key(name));
        }
        if (path.startsWith("datakey/plaintext/") || path.startsWith("datakey/wrapped/")) {
            boolean plaintext = path.startsWith("datakey/plaintext/");
            String name = name(path.substring(path.indexOf('/', "datakey/".length()) + 1), path);
            byte[] context = context(body);
            byte[] dataKey = random(32);
            String ciphertext = encrypt(name, context, dataKey);
            var data = Json.createObjectBuilder().add("ciphertext", ciphertext).add("key_version", latestVersion(name));
            if (plaintext) {
                data.add("plaintext", Base64.getEncoder().encodeToString(dataKey));
            }
            return envelope(data.build());
        }
        if (path.startsWith("decrypt/")) {
            String name = name(path.substring("decrypt/".length()), path);
            byte[] plaintext = decrypt(name, context(body), string(body, "ciphertext"));
            return envelope(Json.createObjectBuilder()
                    .add("plaintext", Base64.getEncoder().encodeToString(plaintext))
                    .build());
        }
        throw new VaultError(404, "no handler for route \"" + mount + "/" + path + "\". route entry not found.");
    }

    /** {@code name} when Vault's routes would match it, else the 404 Vault's router answers for {@code path}. */
    private static String name(String name, String path) throws VaultError {
        if (!NAME.matcher(name).matches()) {
            throw new VaultError(404, "1 error occurred:\n\t* unsupported path\n\n");
        }
        return name;
    }

    /**
     * A key as Vault's Read Key ({@code GET transit/keys/<name>}) describes it: a derived {@code aes256-gcm96} key,
     * each version with its creation time in Unix seconds.
     */
    private static JsonObject describe(Key key) {
        JsonObjectBuilder versions = Json.createObjectBuilder();
        int latest;
        synchronized (key) {
            for (int i = 0; i < key.created.size(); i++) {
                versions.add(Integer.toString(i + 1), key.created.get(i).getEpochSecond());
            }
            latest = key.versions.size();
        }
        return envelope(Json.createObjectBuilder()
                .add("name", key.name)
                .add("type", "aes256-gcm96")
                .add("derived", true)
                .add("kdf", "hkdf_sha256")
                .add("convergent_encryption", false)
                .add("deletion_allowed", false)
                .add("exportable", false)
                .add("allow_plaintext_backup", false)
                .add("imported_key", false)
                .add("auto_rotate_period", 0)
                .add("keys", versions)
                .add("latest_version", latest)
                .add("min_available_version", 0)
                .add("min_decryption_version", key.minDecryptionVersion)
                .add("min_encryption_version", 0)
                .add("supports_encryption", true)
                .add("supports_decryption", true)
                .add("supports_derivation", true)
                .add("supports_signing", false)
                .build());
    }

    /**
     * The keys, for the mock's state file: each version's key material (base64) and creation time, and the minimum
     * decryption version.
     */
    JsonObject snapshot() {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (Key key : keys.values()) {
            JsonArrayBuilder versions = Json.createArrayBuilder();
            synchronized (key) {
                for (int i = 0; i < key.versions.size(); i++) {
                    versions.add(Json.createObjectBuilder()
                            .add("key", Base64.getEncoder().encodeToString(key.versions.get(i)))
                            .add("created", key.created.get(i).toString()));
                }
            }
            out.add(
                    key.name,
                    Json.createObjectBuilder()
                            .add("min_decryption_version", key.minDecryptionVersion)
                            .add("versions", versions));
        }
        return out.build();
    }

    /**
     * Puts back what {@link #snapshot()} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong, never quoting key material
     */
    void restore(JsonObject snapshot) {
        for (Map.Entry<String, JsonValue> entry : snapshot.entrySet()) {
            String name = entry.getKey();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("transit key name " + name + " is not one Vault takes");
            }
            JsonObject saved = VaultState.object(entry.getValue(), "transit key " + name);
            Key key = new Key(name);
            for (JsonValue version : VaultState.array(saved.get("versions"), "transit key " + name + " versions")) {
                JsonObject one = VaultState.object(version, "transit key " + name + " version");
                byte[] material = VaultState.base64(one.get("key"), "transit key " + name + " material");
                if (material.length != 32) {
                    throw new IllegalArgumentException("transit key " + name + " has material of another length");
                }
                key.versions.add(material);
                key.created.add(VaultState.instant(one.get("created"), "transit key " + name + " created"));
            }
            if (key.versions.isEmpty()) {
                throw new IllegalArgumentException("transit key " + name + " has no versions");
            }
            key.minDecryptionVersion =
                    VaultState.integer(saved.get("min_decryption_version"), "transit key " + name + " minimum version");
            keys.put(name, key);
        }
    }

    private String encrypt(String name, byte[] context, byte[] plaintext) throws VaultError {
        Key key = key(name);
        int version;
        byte[] material;
        synchronized (key) {
            version = key.versions.size();
            material = key.versions.get(version - 1);
        }
        byte[] nonce = random(12);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, derive(material, context), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return "vault:v" + version + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new VaultError(500, "internal error");
        }
    }

    private byte[] decrypt(String name, byte[] context, String ciphertext) throws VaultError {
        Key key = key(name);
        if (ciphertext == null || !ciphertext.startsWith("vault:v") || ciphertext.indexOf(':', 7) < 0) {
            throw new VaultError(400, "invalid ciphertext: no prefix");
        }
        int colon = ciphertext.indexOf(':', 7);
        int version;
        byte[] sealed;
        try {
            version = Integer.parseInt(ciphertext.substring(7, colon));
            sealed = Base64.getDecoder().decode(ciphertext.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new VaultError(400, "invalid ciphertext: version number could not be decoded");
        }
        byte[] material;
        synchronized (key) {
            if (version < 1 || version > key.versions.size()) {
                throw new VaultError(400, "invalid key version");
            }
            if (version < key.minDecryptionVersion) {
                throw new VaultError(400, "ciphertext or signature version is disallowed by policy (too old)");
            }
            material = key.versions.get(version - 1);
        }
        if (sealed.length < 12 + 16) {
            throw new VaultError(400, "invalid ciphertext: too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, derive(material, context), new GCMParameterSpec(128, sealed, 0, 12));
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException e) {
            throw new VaultError(400, "cipher: message authentication failed");
        }
    }

    private Key key(String name) throws VaultError {
        return key(name, false);
    }

    /** The key; an unknown one is Vault's 400 to operations, and a 404 with no errors to a read. */
    private Key key(String name, boolean read) throws VaultError {
        Key key = keys.get(name);
        if (key == null) {
            if (read) {
                throw new VaultError(404, null);
            }
            throw new VaultError(400, "encryption key not found");
        }
        return key;
    }

    private static byte[] context(JsonObject body) throws VaultError {
        String context = string(body, "context");
        if (context == null || context.isEmpty()) {
            throw new VaultError(
                    400,
                    "missing 'context' for key derivation; the key was created using a derived key,"
                            + " which means additional, per-request information must be included in order to perform"
                            + " operations with the key");
        }
        try {
            return Base64.getDecoder().decode(context);
        } catch (IllegalArgumentException e) {
            throw new VaultError(400, "failed to base64-decode context");
        }
    }

    private static SecretKeySpec derive(byte[] material, byte[] context) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(material, "HmacSHA256"));
        return new SecretKeySpec(mac.doFinal(context), "AES");
    }

    private static byte[] random(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }
}
