package io.mpsecrets.testkit.kms;

import io.mpsecrets.testkit.aws.AwsError;
import io.mpsecrets.testkit.aws.AwsJson;
import io.mpsecrets.testkit.aws.AwsJsonService;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS KMS over AWS JSON 1.1 ({@code TrentService.*}), as far as mp-secrets and its tests use it: symmetric keys with
 * aliases, data keys, encrypt/decrypt/re-encrypt with encryption context, rotation of key material (old
 * ciphertexts keep decrypting), enable/disable, and key policies per principal. Ciphertext blobs are AES-256-GCM
 * under in-memory key material and authenticate the key, the material version and the encryption context; they
 * reveal nothing. Nothing here logs a plaintext or a data key.
 */
public final class MockKms extends AwsJsonService {

    private static final Pattern ALIAS = Pattern.compile("alias/[a-zA-Z0-9:/_-]{1,250}");
    private static final Pattern KEY_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");
    private static final byte BLOB_VERSION = 1;
    private static final byte[] BLOB_LABEL = "mpsecrets-mock-kms-v1".getBytes(StandardCharsets.UTF_8);

    private final String region;
    private final String account;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Key> keys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Alias> aliases = new ConcurrentHashMap<>();

    /** A KMS key: id, ARN, state, and its material versions (rotation adds one). */
    public static final class Key {
        final String id;
        final String arn;
        final Instant created = Instant.now();
        final String description;
        /** Shared with the key's replicas in other regions' mocks (a Multi-Region key's material is the same). */
        final List<byte[]> materials;

        volatile boolean enabled = true;
        volatile boolean rotationEnabled;
        volatile int rotationPeriodDays = 365;
        volatile Policy policy = Policy.OPEN;

        Key(String id, String arn, String description) {
            this(id, arn, description, new ArrayList<>());
        }

        Key(String id, String arn, String description, List<byte[]> materials) {
            this.id = id;
            this.arn = arn;
            this.description = description;
            this.materials = materials;
        }

        public String id() {
            return id;
        }

        public String arn() {
            return arn;
        }

        synchronized int currentMaterial() {
            return materials.size() - 1;
        }

        synchronized byte[] material(int version) {
            return version >= 0 && version < materials.size() ? materials.get(version) : null;
        }
    }

    record Alias(String name, String keyId, Instant created) {}

    public MockKms(String region, String account) {
        super("TrentService.");
        this.region = region;
        this.account = account;
    }

    @Override
    protected String internalErrorType() {
        return "KMSInternalException";
    }

    // ---- Java API for tests ----

    /** Creates a key (like CreateKey); returns its ARN. */
    public String createKey(String description) {
        String id = UUID.randomUUID().toString();
        Key key = new Key(id, "arn:aws:kms:" + region + ":" + account + ":key/" + id, description);
        key.materials.add(newMaterial());
        keys.put(id, key);
        return key.arn;
    }

    /**
     * Creates a Multi-Region primary key (like CreateKey with {@code MultiRegion=true}): its id is {@code mrk-} and 32
     * hex digits, the same in every region it is replicated to; returns its ARN.
     */
    public String createMultiRegionKey(String description) {
        String id = "mrk-" + UUID.randomUUID().toString().replace("-", "");
        Key key = new Key(id, "arn:aws:kms:" + region + ":" + account + ":key/" + id, description);
        key.materials.add(newMaterial());
        keys.put(id, key);
        return key.arn;
    }

    /**
     * Replicates a Multi-Region key into another region's mock (like ReplicateKey): the replica has the same id and key
     * material (rotation included), its own ARN, state and policy. Returns the replica's ARN.
     */
    public String replicateKey(String keyId, MockKms replicaRegion) {
        Key key = key(keyId).orElseThrow(() -> new IllegalArgumentException("no key " + keyId));
        if (!key.id.startsWith("mrk-")) {
            throw new IllegalArgumentException(keyId + " is not a Multi-Region key");
        }
        Key replica = new Key(
                key.id,
                "arn:aws:kms:" + replicaRegion.region + ":" + replicaRegion.account + ":key/" + key.id,
                key.description,
                key.materials);
        replicaRegion.keys.put(key.id, replica);
        return replica.arn;
    }

    /** Creates a key and an alias for it; returns the key ARN. */
    public String createKeyWithAlias(String alias) {
        String arn = createKey(alias);
        try {
            createAlias(alias, arn);
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return arn;
    }

    /** The ARN of the key an alias names, if there is one. */
    public Optional<String> keyArnForAlias(String alias) {
        return key(alias).map(found -> found.arn);
    }

    /** Sets a key's policy (key id, ARN or alias). */
    public void policy(String keyId, Policy policy) {
        key(keyId).orElseThrow(() -> new IllegalArgumentException("no key " + keyId)).policy = policy;
    }

    /** Adds key material, as automatic or on-demand rotation does. */
    public void rotate(String keyId) {
        Key key = key(keyId).orElseThrow(() -> new IllegalArgumentException("no key " + keyId));
        synchronized (key) {
            key.materials.add(newMaterial());
        }
    }

    public void disable(String keyId) {
        key(keyId).orElseThrow().enabled = false;
    }

    public void enable(String keyId) {
        key(keyId).orElseThrow().enabled = true;
    }

    /** The number of key material versions of a key. */
    public int materialVersions(String keyId) {
        return key(keyId).orElseThrow().currentMaterial() + 1;
    }

    public Optional<Key> key(String keyIdOrAlias) {
        String id = keyIdOrAlias;
        if (id.startsWith("arn:")) {
            String[] parts = id.split(":", 6);
            if (parts.length < 6 || !parts[3].equals(region)) {
                return Optional.empty(); // as KMS: an ARN names a key in its own region only
            }
            int alias = id.indexOf(":alias/");
            if (alias >= 0) {
                id = id.substring(alias + 1);
            } else {
                int slash = id.indexOf(":key/");
                id = slash >= 0 ? id.substring(slash + 5) : id;
            }
        }
        if (id.startsWith("alias/")) {
            Alias alias = aliases.get(id);
            return alias == null ? Optional.empty() : Optional.ofNullable(keys.get(alias.keyId()));
        }
        return Optional.ofNullable(keys.get(id));
    }

    private byte[] newMaterial() {
        byte[] material = new byte[32];
        random.nextBytes(material);
        return material;
    }

    // ---- the wire API ----

    @Override
    public JsonObject call(String operation, JsonObject request, String principal) throws AwsError {
        switch (operation) {
            case "CreateKey":
                return createKeyOp(request);
            case "DescribeKey":
                return Json.createObjectBuilder()
                        .add("KeyMetadata", metadata(allowed(request, "KeyId", operation, principal, Map.of())))
                        .build();
            case "CreateAlias":
                allowed(request, "TargetKeyId", operation, principal, Map.of());
                createAlias(AwsJson.required(request, "AliasName"), AwsJson.required(request, "TargetKeyId"));
                return Json.createObjectBuilder().build();
            case "ListAliases":
                return listAliases(request);
            case "GenerateDataKey":
                return generateDataKey(request, principal, true);
            case "GenerateDataKeyWithoutPlaintext":
                return generateDataKey(request, principal, false);
            case "Encrypt":
                return encryptOp(request, principal);
            case "Decrypt":
                return decryptOp(request, principal);
            case "ReEncrypt":
                return reEncrypt(request, principal);
            case "EnableKeyRotation":
                return rotation(request, principal, operation, true);
            case "DisableKeyRotation":
                return rotation(request, principal, operation, false);
            case "GetKeyRotationStatus": {
                Key key = allowed(request, "KeyId", operation, principal, Map.of());
                return Json.createObjectBuilder()
                        .add("KeyId", key.arn)
                        .add("KeyRotationEnabled", key.rotationEnabled)
                        .add("RotationPeriodInDays", key.rotationPeriodDays)
                        .build();
            }
            case "RotateKeyOnDemand": {
                Key key = usable(allowed(request, "KeyId", operation, principal, Map.of()));
                rotate(key.id);
                return Json.createObjectBuilder().add("KeyId", key.arn).build();
            }
            case "DisableKey":
                allowed(request, "KeyId", operation, principal, Map.of()).enabled = false;
                return Json.createObjectBuilder().build();
            case "EnableKey":
                allowed(request, "KeyId", operation, principal, Map.of()).enabled = true;
                return Json.createObjectBuilder().build();
            default:
                throw AwsError.badRequest("UnknownOperationException", "Unknown operation " + operation);
        }
    }

    private JsonObject createKeyOp(JsonObject request) throws AwsError {
        String spec = Optional.ofNullable(AwsJson.string(request, "KeySpec"))
                .orElse(AwsJson.string(request, "CustomerMasterKeySpec"));
        if (spec != null && !spec.equals("SYMMETRIC_DEFAULT")) {
            throw AwsError.badRequest(
                    "UnsupportedOperationException", "The mock KMS makes SYMMETRIC_DEFAULT keys only");
        }
        String usage = AwsJson.string(request, "KeyUsage");
        if (usage != null && !usage.equals("ENCRYPT_DECRYPT")) {
            throw AwsError.validation("KeyUsage " + usage + " is not valid for a SYMMETRIC_DEFAULT key");
        }
        String arn = createKey(
                Optional.ofNullable(AwsJson.string(request, "Description")).orElse(""));
        return Json.createObjectBuilder()
                .add("KeyMetadata", metadata(key(arn).orElseThrow()))
                .build();
    }

    private JsonObjectBuilder metadata(Key key) {
        return Json.createObjectBuilder()
                .add("AWSAccountId", account)
                .add("KeyId", key.id)
                .add("Arn", key.arn)
                .add("CreationDate", AwsJson.timestamp(key.created))
                .add("Enabled", key.enabled)
                .add("Description", key.description)
                .add("KeyUsage", "ENCRYPT_DECRYPT")
                .add("KeyState", key.enabled ? "Enabled" : "Disabled")
                .add("Origin", "AWS_KMS")
                .add("KeyManager", "CUSTOMER")
                .add("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT")
                .add("KeySpec", "SYMMETRIC_DEFAULT")
                .add("EncryptionAlgorithms", Json.createArrayBuilder().add("SYMMETRIC_DEFAULT"))
                .add("MultiRegion", false);
    }

    private void createAlias(String name, String target) throws AwsError {
        if (!ALIAS.matcher(name).matches()) {
            throw AwsError.validation("1 validation error detected: Value '" + name
                    + "' at 'aliasName' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }
        if (name.startsWith("alias/aws/")) {
            throw AwsError.badRequest(
                    "NotAuthorizedException", "The alias prefix alias/aws/ is reserved for AWS managed keys");
        }
        if (target.startsWith("alias/") || target.contains(":alias/")) {
            throw AwsError.validation("TargetKeyId must be a key id or key ARN, not an alias");
        }
        Key key = key(target).orElseThrow(() -> notFound(target));
        if (aliases.putIfAbsent(name, new Alias(name, key.id, Instant.now())) != null) {
            throw AwsError.badRequest(
                    "AlreadyExistsException",
                    "An alias with the name arn:aws:kms:" + region + ":" + account + ":" + name + " already exists");
        }
    }

    private JsonObject listAliases(JsonObject request) throws AwsError {
        String keyId = AwsJson.string(request, "KeyId");
        Key filter = keyId == null ? null : key(keyId).orElseThrow(() -> notFound(keyId));
        JsonArrayBuilder list = Json.createArrayBuilder();
        new TreeMap<>(aliases)
                .values().stream()
                        .filter(a -> filter == null || a.keyId().equals(filter.id))
                        .forEach(a -> list.add(Json.createObjectBuilder()
                                .add("AliasName", a.name())
                                .add("AliasArn", "arn:aws:kms:" + region + ":" + account + ":" + a.name())
                                .add("TargetKeyId", a.keyId())
                                .add("CreationDate", AwsJson.timestamp(a.created()))
                                .add("LastUpdatedDate", AwsJson.timestamp(a.created()))));
        return Json.createObjectBuilder()
                .add("Aliases", list)
                .add("Truncated", false)
                .build();
    }

    private JsonObject generateDataKey(JsonObject request, String principal, boolean withPlaintext) throws AwsError {
        String operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        Map<String, String> context = AwsJson.stringMap(request, "EncryptionContext");
        String keySpec = AwsJson.string(request, "KeySpec");
        Integer bytes = AwsJson.integer(request, "NumberOfBytes");
        if ((keySpec == null) == (bytes == null)) {
            throw AwsError.validation("Please specify either number of bytes or key spec.");
        }
        int length;
        if (keySpec != null) {
            if (!keySpec.equals("AES_256") && !keySpec.equals("AES_128")) {
                throw AwsError.validation("1 validation error detected: Value '" + keySpec
                        + "' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AES_256, AES_128]");
            }
            length = keySpec.equals("AES_256") ? 32 : 16;
        } else {
            if (bytes < 1 || bytes > 1024) {
                throw AwsError.validation("1 validation error detected: Value '" + bytes
                        + "' at 'numberOfBytes' failed to satisfy constraint: Member must have value "
                        + "between 1 and 1024");
            }
            length = bytes;
        }
        Key key = usable(allowed(request, "KeyId", operation, principal, context));
        byte[] plaintext = new byte[length];
        random.nextBytes(plaintext);
        try {
            JsonObjectBuilder out = Json.createObjectBuilder()
                    .add("CiphertextBlob", AwsJson.base64(seal(key, plaintext, context)))
                    .add("KeyId", key.arn);
            if (withPlaintext) {
                out.add("Plaintext", AwsJson.base64(plaintext));
            }
            return out.build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private JsonObject encryptOp(JsonObject request, String principal) throws AwsError {
        Map<String, String> context = AwsJson.stringMap(request, "EncryptionContext");
        byte[] plaintext = AwsJson.blob(request, "Plaintext");
        if (plaintext == null || plaintext.length < 1 || plaintext.length > 4096) {
            throw AwsError.validation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
                    + "Member must have length between 1 and 4096");
        }
        algorithm(request, "EncryptionAlgorithm");
        Key key = usable(allowed(request, "KeyId", "Encrypt", principal, context));
        return Json.createObjectBuilder()
                .add("CiphertextBlob", AwsJson.base64(seal(key, plaintext, context)))
                .add("KeyId", key.arn)
                .add("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
                .build();
    }

    private JsonObject decryptOp(JsonObject request, String principal) throws AwsError {
        Map<String, String> context = AwsJson.stringMap(request, "EncryptionContext");
        byte[] blob = required(AwsJson.blob(request, "CiphertextBlob"), "ciphertextBlob");
        algorithm(request, "EncryptionAlgorithm");
        Key key = blobKey(blob);
        String requested = AwsJson.string(request, "KeyId");
        if (requested != null && !key(requested).map(k -> k.id.equals(key.id)).orElseThrow(() -> notFound(requested))) {
            throw AwsError.badRequest(
                    "IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        check(key, "Decrypt", principal, context);
        byte[] plaintext = open(usable(key), blob, context);
        try {
            return Json.createObjectBuilder()
                    .add("KeyId", key.arn)
                    .add("Plaintext", AwsJson.base64(plaintext))
                    .add("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
                    .build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private JsonObject reEncrypt(JsonObject request, String principal) throws AwsError {
        byte[] blob = required(AwsJson.blob(request, "CiphertextBlob"), "ciphertextBlob");
        Map<String, String> sourceContext = AwsJson.stringMap(request, "SourceEncryptionContext");
        Map<String, String> destinationContext = AwsJson.stringMap(request, "DestinationEncryptionContext");
        Key source = blobKey(blob);
        String sourceKeyId = AwsJson.string(request, "SourceKeyId");
        if (sourceKeyId != null
                && !key(sourceKeyId).map(k -> k.id.equals(source.id)).orElseThrow(() -> notFound(sourceKeyId))) {
            throw AwsError.badRequest(
                    "IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        check(source, "ReEncryptFrom", principal, sourceContext);
        Key destination = usable(allowed(request, "DestinationKeyId", "ReEncryptTo", principal, destinationContext));
        byte[] plaintext = open(usable(source), blob, sourceContext);
        try {
            return Json.createObjectBuilder()
                    .add("CiphertextBlob", AwsJson.base64(seal(destination, plaintext, destinationContext)))
                    .add("SourceKeyId", source.arn)
                    .add("KeyId", destination.arn)
                    .add("SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
                    .add("DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
                    .build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private JsonObject rotation(JsonObject request, String principal, String operation, boolean enable)
            throws AwsError {
        Key key = usable(allowed(request, "KeyId", operation, principal, Map.of()));
        Integer days = AwsJson.integer(request, "RotationPeriodInDays");
        if (days != null && (days < 90 || days > 2560)) {
            throw AwsError.validation("RotationPeriodInDays must be between 90 and 2560");
        }
        key.rotationEnabled = enable;
        if (days != null) {
            key.rotationPeriodDays = days;
        }
        return Json.createObjectBuilder().build();
    }

    // ---- checks ----

    private Key allowed(
            JsonObject request, String member, String operation, String principal, Map<String, String> context)
            throws AwsError {
        String keyId = AwsJson.required(request, member);
        if (!keyId.startsWith("alias/")
                && !keyId.startsWith("arn:")
                && !KEY_UUID.matcher(keyId).matches()) {
            throw notFound(keyId);
        }
        Key key = key(keyId).orElseThrow(() -> notFound(keyId));
        check(key, operation, principal, context);
        return key;
    }

    private void check(Key key, String operation, String principal, Map<String, String> context) throws AwsError {
        if (!key.policy.allows(principal, operation, context)) {
            throw AwsError.badRequest(
                    "AccessDeniedException",
                    "User: arn:aws:iam::" + account + ":user/" + principal
                            + " is not authorized to perform: kms:" + operation + " on resource: " + key.arn
                            + " because no resource-based policy allows the kms:" + operation + " action");
        }
    }

    private static Key usable(Key key) throws AwsError {
        if (!key.enabled) {
            throw AwsError.badRequest("DisabledException", key.arn + " is disabled.");
        }
        return key;
    }

    private AwsError notFound(String keyId) {
        return AwsError.badRequest(
                "NotFoundException",
                (keyId.contains("alias/") ? "Alias " : "Key ") + (keyId.startsWith("arn:") ? keyId : "'" + keyId + "'")
                        + " does not exist");
    }

    private static void algorithm(JsonObject request, String member) throws AwsError {
        String algorithm = AwsJson.string(request, member);
        if (algorithm != null && !algorithm.equals("SYMMETRIC_DEFAULT")) {
            throw AwsError.badRequest(
                    "InvalidKeyUsageException", "Only SYMMETRIC_DEFAULT is supported by symmetric keys");
        }
    }

    private static byte[] required(byte[] value, String member) throws AwsError {
        if (value == null || value.length == 0) {
            throw AwsError.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    // ---- ciphertext blobs: version · key uuid (16) · material version (4) · nonce (12) · AES-GCM ciphertext, tag ----

    private byte[] seal(Key key, byte[] plaintext, Map<String, String> context) {
        int version = key.currentMaterial();
        byte[] material = key.material(version);
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] header = header(key.id, version);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(material, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(header, context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(header.length + nonce.length + sealed.length)
                    .put(header)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key blobKey(byte[] blob) throws AwsError {
        if (blob.length < 1 + 16 + 4 + 12 + 16 || blob[0] != BLOB_VERSION) {
            throw invalidCiphertext();
        }
        ByteBuffer in = ByteBuffer.wrap(blob, 1, 16);
        UUID uuid = new UUID(in.getLong(), in.getLong());
        Key key = keys.get(uuid.toString());
        if (key == null) {
            key = keys.get("mrk-" + uuid.toString().replace("-", ""));
        }
        if (key == null) {
            throw invalidCiphertext();
        }
        return key;
    }

    private byte[] open(Key key, byte[] blob, Map<String, String> context) throws AwsError {
        int version = ByteBuffer.wrap(blob, 17, 4).getInt();
        byte[] material = key.material(version);
        if (material == null) {
            throw invalidCiphertext();
        }
        byte[] header = Arrays.copyOfRange(blob, 0, 21);
        byte[] nonce = Arrays.copyOfRange(blob, 21, 33);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(header, context));
            return cipher.doFinal(blob, 33, blob.length - 33);
        } catch (AEADBadTagException e) {
            throw invalidCiphertext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AwsError invalidCiphertext() {
        return AwsError.badRequest("InvalidCiphertextException", null);
    }

    private static byte[] header(String keyId, int materialVersion) {
        UUID uuid = keyId.startsWith("mrk-") ? uuidOfHex(keyId.substring(4)) : UUID.fromString(keyId);
        return ByteBuffer.allocate(21)
                .put(BLOB_VERSION)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .putInt(materialVersion)
                .array();
    }

    private static UUID uuidOfHex(String hex) {
        return new UUID(
                Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static byte[] aad(byte[] header, Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(BLOB_LABEL);
        out.writeBytes(header);
        new TreeMap<>(context).forEach((k, v) -> {
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            byte[] vb = v.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(kb.length).array());
            out.writeBytes(kb);
            out.writeBytes(ByteBuffer.allocate(4).putInt(vb.length).array());
            out.writeBytes(vb);
        });
        return out.toByteArray();
    }
}
