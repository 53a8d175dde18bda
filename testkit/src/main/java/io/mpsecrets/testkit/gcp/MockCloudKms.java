package io.mpsecrets.testkit.gcp;

import io.mpsecrets.testkit.gcp.GoogleRest.Call;
import io.mpsecrets.testkit.gcp.GoogleRest.GoogleError;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Google Cloud KMS's REST API (v1, {@code https://cloudkms.googleapis.com/v1/...}), as far as symmetric keys go, field
 * by field as Google's REST reference for {@code projects.locations.keyRings}, {@code ...cryptoKeys} and
 * {@code ...cryptoKeyVersions} describes it (Google's Cloud KMS Java client is not served where the testkit is built,
 * so these fields are the reference's): key rings ({@code create} with {@code keyRingId}, {@code get}, {@code list}),
 * crypto keys ({@code create} with {@code cryptoKeyId} and {@code purpose: ENCRYPT_DECRYPT}, {@code get}, {@code list},
 * {@code updatePrimaryVersion}), versions ({@code create}, {@code get}, {@code list}, {@code patch} of {@code state},
 * {@code destroy}, {@code restore}), {@code encrypt} and {@code decrypt} with {@code additionalAuthenticatedData} and
 * the CRC32C integrity fields ({@code plaintextCrc32c}, {@code additionalAuthenticatedDataCrc32c} and
 * {@code ciphertextCrc32c} checked when sent, an {@code INVALID_ARGUMENT} on a mismatch; {@code
 * verifiedPlaintextCrc32c}, {@code verifiedAdditionalAuthenticatedDataCrc32c}, {@code ciphertextCrc32c} and
 * {@code plaintextCrc32c} answered), {@code bytes} as base64 and int64 as strings, errors as google.rpc.Status. A
 * ciphertext is AES-256-GCM under the version's in-memory key material and authenticates the crypto key, the version
 * and the additional authenticated data: another key or other data is "Decryption failed: verify that 'name' refers to
 * the correct CryptoKey." ({@code INVALID_ARGUMENT}). A version not {@code ENABLED} is {@code FAILED_PRECONDITION}; a
 * caller a key's {@link Policy} does not allow {@code cloudkms.cryptoKeyVersions.useToEncrypt} or {@code useToDecrypt}
 * is {@code PERMISSION_DENIED}. Nothing here logs a plaintext.
 */
public final class MockCloudKms {

    public static final String ENCRYPT = "cloudkms.cryptoKeyVersions.useToEncrypt";

    public static final String DECRYPT = "cloudkms.cryptoKeyVersions.useToDecrypt";

    private static final Pattern NAME = Pattern.compile("projects/([^/]+)/locations/([^/]+)/keyRings(?:/([^/:]+)"
            + "(/cryptoKeys(?:/([^/:]+)(/cryptoKeyVersions(?:/([^/:]+))?)?)?)?)?(?::([a-zA-Z]+))?");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]{1,63}");
    private static final int MAX_PLAINTEXT = 64 * 1024;
    private static final byte CIPHERTEXT_FORMAT = 0x4b;

    private final SecureRandom random = new SecureRandom();
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private final Map<String, Instant> keyRings = new TreeMap<>();
    private final Map<String, Key> keys = new TreeMap<>();
    private final AtomicInteger corruptNext = new AtomicInteger();

    /** A version's state, with its number in the API's enum. */
    enum State {
        ENABLED(1),
        DISABLED(2),
        DESTROYED(3),
        DESTROY_SCHEDULED(4);

        final int number;

        State(int number) {
            this.number = number;
        }
    }

    private static final class Version {
        final int number;
        final byte[] material;
        final Instant created = Instant.now();
        State state = State.ENABLED;

        Version(int number, byte[] material) {
            this.number = number;
            this.material = material;
        }
    }

    private static final class Key {
        final String name;
        final Instant created = Instant.now();
        final List<Version> versions = new ArrayList<>();
        int primary;
        Policy policy = Policy.OPEN;

        Key(String name) {
            this.name = name;
        }
    }

    MockCloudKms() {}

    public Faults faults() {
        return faults;
    }

    /** Calls per operation, by the API's method names: {@code Encrypt}, {@code Decrypt}, {@code GetCryptoKey}, ... */
    public CallCounter counter() {
        return counter;
    }

    public long calls(String operation) {
        return counter.calls(operation);
    }

    // ---- Java API for tests: keys are named projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k> ----

    /** A symmetric key (its key ring too, if new) with one enabled, primary version; returns its name. */
    public synchronized String createKey(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || m.group(5) == null || m.group(6) != null || keys.containsKey(name)) {
            throw new IllegalArgumentException("not a new CryptoKey's name: " + name);
        }
        keyRings.putIfAbsent(name.substring(0, name.indexOf("/cryptoKeys/")), Instant.now());
        Key key = new Key(name);
        addVersion(key);
        key.primary = 1;
        keys.put(name, key);
        return name;
    }

    /** Rotates the key: a new version that becomes primary (older ones stay enabled). Returns its number. */
    public synchronized int rotate(String name) {
        Key key = existing(name);
        key.primary = addVersion(key).number;
        return key.primary;
    }

    public synchronized void disable(String name, int version) {
        version(existing(name), version).state = State.DISABLED;
    }

    public synchronized void enable(String name, int version) {
        version(existing(name), version).state = State.ENABLED;
    }

    /** Schedules a version's destruction (as {@code destroy} does): it no longer encrypts or decrypts. */
    public synchronized void destroy(String name, int version) {
        version(existing(name), version).state = State.DESTROY_SCHEDULED;
    }

    /** Who may do what with the key ({@link #ENCRYPT}, {@link #DECRYPT}); without statements, everyone may. */
    public synchronized void policy(String name, Policy policy) {
        existing(name).policy = policy;
    }

    /** The next {@code answers} answers to encrypt or decrypt carry a checksum that does not match. */
    public void corruptNextAnswers(int answers) {
        corruptNext.set(answers);
    }

    private Key existing(String name) {
        Key key = keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("no such key: " + name);
        }
        return key;
    }

    private static Version version(Key key, int number) {
        if (number < 1 || number > key.versions.size()) {
            throw new IllegalArgumentException("no version " + number + " of " + key.name);
        }
        return key.versions.get(number - 1);
    }

    private Version addVersion(Key key) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        Version version = new Version(key.versions.size() + 1, material);
        key.versions.add(version);
        return version;
    }

    // ---- the wire API ----

    boolean serves(String path) {
        return path.startsWith("/v1/projects/") && path.contains("/keyRings");
    }

    JsonObject handle(Call call) throws GoogleError {
        Matcher m = NAME.matcher(call.path().substring("/v1/".length()));
        if (!m.matches()) {
            throw GoogleRest.notFound("The requested URL " + call.path() + " was not found on this server.");
        }
        String operation = operation(call.method(), m);
        counter.count(operation);
        Faults.Action action;
        try {
            action = faults.apply(operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GoogleRest.unavailable();
        }
        if (action == Faults.Action.THROTTLE) {
            throw GoogleRest.throttled("cloudkms.googleapis.com/crypto_requests");
        }
        if (action == Faults.Action.INTERNAL_ERROR) {
            throw GoogleRest.unavailable();
        }
        synchronized (this) {
            return serve(call, operation, m);
        }
    }

    private static String operation(String method, Matcher m) throws GoogleError {
        String target = m.group(3) == null
                ? "rings"
                : m.group(4) == null
                        ? "ring"
                        : m.group(5) == null
                                ? "keys"
                                : m.group(6) == null ? "key" : m.group(7) == null ? "versions" : "version";
        String key = method + " " + target + (m.group(8) == null ? "" : ":" + m.group(8));
        return switch (key) {
            case "POST rings" -> "CreateKeyRing";
            case "GET rings" -> "ListKeyRings";
            case "GET ring" -> "GetKeyRing";
            case "POST keys" -> "CreateCryptoKey";
            case "GET keys" -> "ListCryptoKeys";
            case "GET key" -> "GetCryptoKey";
            case "POST key:encrypt", "POST version:encrypt" -> "Encrypt";
            case "POST key:decrypt" -> "Decrypt";
            case "POST key:updatePrimaryVersion" -> "UpdateCryptoKeyPrimaryVersion";
            case "POST versions" -> "CreateCryptoKeyVersion";
            case "GET versions" -> "ListCryptoKeyVersions";
            case "GET version" -> "GetCryptoKeyVersion";
            case "PATCH version" -> "UpdateCryptoKeyVersion";
            case "POST version:destroy" -> "DestroyCryptoKeyVersion";
            case "POST version:restore" -> "RestoreCryptoKeyVersion";
            default -> throw GoogleRest.notFound("No such method: " + key);
        };
    }

    private JsonObject serve(Call call, String operation, Matcher m) throws GoogleError {
        String location = "projects/" + m.group(1) + "/locations/" + m.group(2);
        String ring = m.group(3) == null ? null : location + "/keyRings/" + m.group(3);
        String keyName = m.group(5) == null ? null : ring + "/cryptoKeys/" + m.group(5);
        switch (operation) {
            case "CreateKeyRing": {
                String id = call.query().getOrDefault("keyRingId", "");
                if (!ID.matcher(id).matches()) {
                    throw GoogleRest.invalid("Invalid keyRingId: must be 1 to 63 letters, digits, - and _.");
                }
                String name = location + "/keyRings/" + id;
                if (keyRings.putIfAbsent(name, Instant.now()) != null) {
                    throw GoogleRest.exists("KeyRing " + name + " already exists.");
                }
                return ringJson(name);
            }
            case "ListKeyRings": {
                List<String> names = keyRings.keySet().stream()
                        .filter(name -> name.startsWith(location + "/keyRings/"))
                        .toList();
                return list(call, "keyRings", names, MockCloudKms::ringJson);
            }
            default:
                break;
        }
        if (!keyRings.containsKey(ring)) {
            throw GoogleRest.notFound("KeyRing " + ring + " not found.");
        }
        switch (operation) {
            case "GetKeyRing":
                return ringJson(ring);
            case "CreateCryptoKey":
                return create(call, ring);
            case "ListCryptoKeys": {
                List<String> names = keys.keySet().stream()
                        .filter(name -> name.startsWith(ring + "/cryptoKeys/"))
                        .toList();
                return list(call, "cryptoKeys", names, name -> keyJson(call, keys.get(name)));
            }
            default:
                break;
        }
        Key key = keys.get(keyName);
        if (key == null) {
            throw GoogleRest.notFound("CryptoKey " + keyName + " not found.");
        }
        String permission = operation.equals("Encrypt")
                ? ENCRYPT
                : operation.equals("Decrypt") ? DECRYPT : "cloudkms.cryptoKeys.get";
        if (!key.policy.allows(call.principal(), permission, Map.of())) {
            throw new GoogleError(
                    403,
                    "PERMISSION_DENIED",
                    "Permission '" + permission + "' denied on resource '" + key.name + "' (or it may not exist).");
        }
        switch (operation) {
            case "GetCryptoKey":
                return keyJson(call, key);
            case "Encrypt":
                return encrypt(call, key, m.group(7));
            case "Decrypt":
                return decrypt(call, key);
            case "UpdateCryptoKeyPrimaryVersion": {
                String id = GoogleRest.string(call.body(), "cryptoKeyVersionId").orElse("");
                Version version = versionOf(key, id);
                if (version.state != State.ENABLED) {
                    throw GoogleRest.precondition(versionName(key, version) + " is not enabled.");
                }
                key.primary = version.number;
                return keyJson(call, key);
            }
            case "CreateCryptoKeyVersion":
                return versionJson(call, key, addVersion(key));
            case "ListCryptoKeyVersions": {
                List<String> numbers =
                        key.versions.stream().map(v -> String.valueOf(v.number)).toList();
                return list(
                        call,
                        "cryptoKeyVersions",
                        numbers,
                        n -> versionJson(call, key, version(key, Integer.parseInt(n))));
            }
            default:
                break;
        }
        Version version = versionOf(key, m.group(7));
        switch (operation) {
            case "GetCryptoKeyVersion":
                return versionJson(call, key, version);
            case "UpdateCryptoKeyVersion": {
                if (!call.query().getOrDefault("updateMask", "").equals("state")) {
                    throw GoogleRest.invalid("Only the state of a CryptoKeyVersion can be updated (updateMask=state).");
                }
                String state = GoogleRest.string(call.body(), "state").orElse("");
                if (version.state == State.DESTROYED || version.state == State.DESTROY_SCHEDULED) {
                    throw GoogleRest.precondition(versionName(key, version) + " is scheduled for destruction.");
                }
                if (state.equals("ENABLED") || state.equals("1")) {
                    version.state = State.ENABLED;
                } else if (state.equals("DISABLED") || state.equals("2")) {
                    version.state = State.DISABLED;
                } else {
                    throw GoogleRest.invalid("Invalid state: " + state);
                }
                return versionJson(call, key, version);
            }
            case "DestroyCryptoKeyVersion":
                version.state = State.DESTROY_SCHEDULED;
                return versionJson(call, key, version);
            case "RestoreCryptoKeyVersion":
                if (version.state != State.DESTROY_SCHEDULED) {
                    throw GoogleRest.precondition(versionName(key, version) + " is not scheduled for destruction.");
                }
                version.state = State.DISABLED;
                return versionJson(call, key, version);
            default:
                throw GoogleRest.notFound("No such method: " + operation);
        }
    }

    private JsonObject create(Call call, String ring) throws GoogleError {
        String id = call.query().getOrDefault("cryptoKeyId", "");
        if (!ID.matcher(id).matches()) {
            throw GoogleRest.invalid("Invalid cryptoKeyId: must be 1 to 63 letters, digits, - and _.");
        }
        String purpose = GoogleRest.string(call.body(), "purpose").orElse("");
        if (!purpose.equals("ENCRYPT_DECRYPT") && !purpose.equals("1")) {
            throw GoogleRest.invalid("This mock makes symmetric keys only: purpose must be ENCRYPT_DECRYPT.");
        }
        String name = ring + "/cryptoKeys/" + id;
        if (keys.containsKey(name)) {
            throw GoogleRest.exists("CryptoKey " + name + " already exists.");
        }
        Key key = new Key(name);
        if (!Boolean.parseBoolean(call.query().getOrDefault("skipInitialVersionCreation", "false"))) {
            addVersion(key);
            key.primary = 1;
        }
        keys.put(name, key);
        return keyJson(call, key);
    }

    /** {@code cryptoKeys.encrypt}: under the primary version (or the version named), checking what was sent. */
    private JsonObject encrypt(Call call, Key key, String versionId) throws GoogleError {
        JsonObject body = call.body();
        byte[] plaintext =
                GoogleRest.bytes(body, "plaintext").orElseThrow(() -> GoogleRest.invalid("plaintext is required."));
        byte[] aad = GoogleRest.bytes(body, "additionalAuthenticatedData").orElse(new byte[0]);
        try {
            if (plaintext.length > MAX_PLAINTEXT || aad.length > MAX_PLAINTEXT) {
                throw GoogleRest.invalid("The plaintext and additional authenticated data must be at most 64 KiB.");
            }
            boolean plaintextChecked = checksum(body, "plaintextCrc32c", plaintext, "plaintext");
            boolean aadChecked =
                    checksum(body, "additionalAuthenticatedDataCrc32c", aad, "additional_authenticated_data");
            Version version;
            if (versionId != null) {
                version = versionOf(key, versionId);
            } else if (key.primary == 0) {
                throw GoogleRest.precondition(key.name + " has no primary version.");
            } else {
                version = version(key, key.primary);
            }
            usable(key, version);
            byte[] ciphertext = seal(key, version, plaintext, aad);
            long crc = GoogleRest.crc32c(ciphertext);
            if (corruptNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                crc ^= 1;
            }
            return Json.createObjectBuilder()
                    .add("name", versionName(key, version))
                    .add("ciphertext", GoogleRest.base64(ciphertext))
                    .add("ciphertextCrc32c", String.valueOf(crc))
                    .add("verifiedPlaintextCrc32c", plaintextChecked)
                    .add("verifiedAdditionalAuthenticatedDataCrc32c", aadChecked)
                    .add("protectionLevel", call.enumValue("SOFTWARE", 1))
                    .build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** {@code cryptoKeys.decrypt}: the version the ciphertext names, with the same additional authenticated data. */
    private JsonObject decrypt(Call call, Key key) throws GoogleError {
        JsonObject body = call.body();
        byte[] ciphertext =
                GoogleRest.bytes(body, "ciphertext").orElseThrow(() -> GoogleRest.invalid("ciphertext is required."));
        byte[] aad = GoogleRest.bytes(body, "additionalAuthenticatedData").orElse(new byte[0]);
        checksum(body, "ciphertextCrc32c", ciphertext, "ciphertext");
        checksum(body, "additionalAuthenticatedDataCrc32c", aad, "additional_authenticated_data");
        GoogleError wrong =
                GoogleRest.invalid("Decryption failed: verify that 'name' refers to the correct CryptoKey.");
        ByteBuffer in = ByteBuffer.wrap(ciphertext);
        if (ciphertext.length < 1 + 4 + 12 + 16 || in.get() != CIPHERTEXT_FORMAT) {
            throw wrong;
        }
        int number = in.getInt();
        if (number < 1 || number > key.versions.size()) {
            throw wrong;
        }
        Version version = key.versions.get(number - 1);
        byte[] plaintext = open(key, version, ciphertext, aad).orElseThrow(() -> wrong);
        try {
            usable(key, version);
            long crc = GoogleRest.crc32c(plaintext);
            if (corruptNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                crc ^= 1;
            }
            return Json.createObjectBuilder()
                    .add("plaintext", GoogleRest.base64(plaintext))
                    .add("plaintextCrc32c", String.valueOf(crc))
                    .add("usedPrimary", number == key.primary)
                    .add("protectionLevel", call.enumValue("SOFTWARE", 1))
                    .build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Whether a CRC32C field was sent (then it must match, or the request is refused as Google refuses it). */
    private static boolean checksum(JsonObject body, String field, byte[] data, String dataField) throws GoogleError {
        Optional<Long> crc = GoogleRest.int64(body, field);
        if (crc.isPresent() && crc.get() != GoogleRest.crc32c(data)) {
            String snake = field.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
            throw GoogleRest.invalid(
                    "The checksum in field " + snake + " did not match the data in field " + dataField + ".");
        }
        return crc.isPresent();
    }

    private static void usable(Key key, Version version) throws GoogleError {
        if (version.state != State.ENABLED) {
            throw GoogleRest.precondition(
                    versionName(key, version) + " is not enabled, current state is: " + version.state + ".");
        }
    }

    /** format byte, version number, 12-byte nonce, AES-256-GCM (key name, version and AAD authenticated). */
    private byte[] seal(Key key, Version version, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE, new SecretKeySpec(version.material, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associated(key, version, aad));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + 4 + 12 + sealed.length)
                    .put(CIPHERTEXT_FORMAT)
                    .putInt(version.number)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static Optional<byte[]> open(Key key, Version version, byte[] ciphertext, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(version.material, "AES"),
                    new GCMParameterSpec(128, ciphertext, 5, 12));
            cipher.updateAAD(associated(key, version, aad));
            return Optional.of(cipher.doFinal(ciphertext, 17, ciphertext.length - 17));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] associated(Key key, Version version, byte[] aad) {
        byte[] name = (key.name + "/cryptoKeyVersions/" + version.number).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + name.length + aad.length)
                .putInt(name.length)
                .put(name)
                .put(aad)
                .array();
    }

    private static Version versionOf(Key key, String id) throws GoogleError {
        if (id == null || !id.matches("[1-9][0-9]{0,8}") || Integer.parseInt(id) > key.versions.size()) {
            throw GoogleRest.notFound("CryptoKeyVersion " + key.name + "/cryptoKeyVersions/" + id + " not found.");
        }
        return key.versions.get(Integer.parseInt(id) - 1);
    }

    private interface Render {
        JsonObject json(String name) throws GoogleError;
    }

    private static JsonObject list(Call call, String field, List<String> names, Render render) throws GoogleError {
        int size = call.intParameter("pageSize", 1000, 1000);
        if (size == 0) {
            size = 1000;
        }
        int from = GoogleRest.offset(call.query().get("pageToken"));
        int to = Math.min(names.size(), from + size);
        JsonArrayBuilder page = Json.createArrayBuilder();
        for (int i = from; i < to; i++) {
            page.add(render.json(names.get(i)));
        }
        JsonObjectBuilder out = Json.createObjectBuilder();
        if (!names.isEmpty()) {
            out.add(field, page);
        }
        if (to < names.size()) {
            out.add("nextPageToken", GoogleRest.pageToken(to));
        }
        return out.add("totalSize", names.size()).build();
    }

    private static JsonObject ringJson(String name) {
        return Json.createObjectBuilder()
                .add("name", name)
                .add("createTime", GoogleRest.time(Instant.now()))
                .build();
    }

    private static JsonObject keyJson(Call call, Key key) {
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("name", key.name)
                .add("purpose", call.enumValue("ENCRYPT_DECRYPT", 1))
                .add("createTime", GoogleRest.time(key.created))
                .add(
                        "versionTemplate",
                        Json.createObjectBuilder()
                                .add("protectionLevel", call.enumValue("SOFTWARE", 1))
                                .add("algorithm", call.enumValue("GOOGLE_SYMMETRIC_ENCRYPTION", 1)))
                .add("destroyScheduledDuration", "2592000s");
        if (key.primary > 0) {
            out.add("primary", versionJson(call, key, key.versions.get(key.primary - 1)));
        }
        return out.build();
    }

    private static JsonObject versionJson(Call call, Key key, Version version) {
        return Json.createObjectBuilder()
                .add("name", versionName(key, version))
                .add("state", call.enumValue(version.state.name(), version.state.number))
                .add("protectionLevel", call.enumValue("SOFTWARE", 1))
                .add("algorithm", call.enumValue("GOOGLE_SYMMETRIC_ENCRYPTION", 1))
                .add("createTime", GoogleRest.time(version.created))
                .add("generateTime", GoogleRest.time(version.created))
                .build();
    }

    private static String versionName(Key key, Version version) {
        return key.name + "/cryptoKeyVersions/" + version.number;
    }

    @Override
    public synchronized String toString() {
        return "MockCloudKms[" + keys.size() + " keys]";
    }
}
