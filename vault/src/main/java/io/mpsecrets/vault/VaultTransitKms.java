package io.mpsecrets.vault;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.api.spi.BackendEvents;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * HashiCorp Vault's Transit engine as the KMS of {@code ENC} values: Vault generates each data key
 * ({@code transit/datakey/plaintext/<key>}) and unwraps it ({@code transit/decrypt/<key>}); the key never leaves
 * Vault. The key must be a derived one ({@code derived=true}): the encryption context (the application's name) is
 * the Transit {@code context}, so a value made for another application does not unwrap, and a Vault policy decides
 * who may call {@code decrypt}. Key ids are {@code vault-transit:<key name>}; the wrapped key is Vault's ciphertext
 * ({@code vault:v<version>:...}), so a rotated key ({@code transit/keys/<key>/rotate}) still unwraps older values
 * until {@code min_decryption_version} passes them. Connection and login are the Vault store's
 * ({@code mpsecrets.vault.*}); the engine's mount is {@code mpsecrets.kms.vault-transit.mount} ({@code transit}).
 *
 * <p>The key name goes into the request's path, so it is checked first, as Vault's routes match names: a word
 * character ({@code A-Z a-z 0-9 _}) at each end, word characters, {@code -} and {@code .} between. Any other name
 * ({@code ../../sys/...}, a slash, a space, a {@code ?}) is an {@link UnknownKeyException}, and nothing is sent.
 */
public final class VaultTransitKms implements KeyManagementService {

    public static final String NAME = "vault-transit";
    static final String PREFIX = NAME + ":";

    /** Vault's {@code framework.GenericNameRegex}, which its Transit routes match key names with. */
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");

    private final VaultClient client;
    private final String mount;

    VaultTransitKms(VaultSettings settings, String mount) {
        this(settings, mount, BackendEvents.NONE);
    }

    VaultTransitKms(VaultSettings settings, String mount, BackendEvents events) {
        this.client = VaultToken.client(settings, events);
        this.mount = mount;
    }

    static boolean isTransitKeyId(String keyId) {
        return keyId != null && keyId.startsWith(PREFIX) && keyId.length() > PREFIX.length();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        String key = keyName(keyId, ref);
        JsonObject data =
                data(call("datakey/plaintext/", key, Json.createObjectBuilder().add("bits", 256), context, ref), ref);
        String ciphertext = string(data, "ciphertext", ref);
        byte[] plaintext = dataKey(data, ref);
        try {
            return new GeneratedDataKey(keyId, ciphertext.getBytes(StandardCharsets.UTF_8), DataKey.copyOf(plaintext));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        String key = keyName(keyId, ref);
        String ciphertext = new String(wrappedKey, StandardCharsets.UTF_8);
        if (!ciphertext.startsWith("vault:v")) {
            throw new DecryptionFailedException(FailureReason.WRONG_KEY, ref, "not a Vault Transit ciphertext", null);
        }
        JsonObject data = data(
                call("decrypt/", key, Json.createObjectBuilder().add("ciphertext", ciphertext), context, ref), ref);
        byte[] plaintext = dataKey(data, ref);
        try {
            return DataKey.copyOf(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The key name in {@code vault-transit:<name>}, when Vault could have a key of that name. */
    static String keyName(String keyId, SecretRef ref) {
        if (keyId == null || !keyId.startsWith(PREFIX)) {
            throw new UnknownKeyException(ref, "not a " + PREFIX + "<key name> key id", null);
        }
        String name = keyId.substring(PREFIX.length());
        if (!KEY_NAME.matcher(name).matches()) {
            throw new UnknownKeyException(
                    ref,
                    "not a Vault Transit key name (Vault's rule: a letter, digit or _ at each end, letters, digits, _,"
                            + " - and . between)",
                    null);
        }
        return name;
    }

    /** {@code POST /v1/<mount>/<operation><key>}; {@code key} is a checked name. */
    private JsonObject call(
            String operation, String key, JsonObjectBuilder body, EncryptionContext context, SecretRef ref) {
        body.add("context", Base64.getEncoder().encodeToString(canonical(context)));
        try {
            return client.post(mount + "/" + operation + key, body.build(), ref);
        } catch (ConfigurationException refused) {
            throw TransitFailures.map(refused, ref);
        }
    }

    /** The context as Transit's {@code context}: its entries, sorted, as a JSON object (one encoding per context). */
    static byte[] canonical(EncryptionContext context) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        context.entries().forEach(object::add);
        return object.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject data(JsonObject answer, SecretRef ref) {
        return VaultJson.optionalObject(answer, "data", ref)
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Vault answered without a data object"));
    }

    private static String string(JsonObject data, String member, SecretRef ref) {
        return VaultJson.string(data, member, ref)
                .filter(text -> !text.isEmpty())
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Vault answered without '" + member + "'"));
    }

    /** The answer's base64 plaintext, which must be an AES-256 key. */
    private static byte[] dataKey(JsonObject data, SecretRef ref) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(string(data, "plaintext", ref));
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretValueException(ref, "Vault answered with a plaintext that is not base64");
        }
        if (key.length != DataKey.LENGTH) {
            Arrays.fill(key, (byte) 0);
            throw new InvalidSecretValueException(
                    ref, "Vault answered with a data key of " + key.length + " bytes, not " + DataKey.LENGTH);
        }
        return key;
    }

    private SecretRef ref(String keyId) {
        return SecretRef.key(keyId).withBackend(NAME);
    }

    @Override
    public String toString() {
        return "VaultTransitKms[" + mount + "]";
    }

    /** Vault's 400 answers to Transit, by their error text (Vault has no error codes): the one place they map. */
    static final class TransitFailures {

        private TransitFailures() {}

        static SecretException map(ConfigurationException refused, SecretRef ref) {
            String detail = refused.getMessage();
            if (detail.contains("message authentication failed") || detail.contains("invalid ciphertext")) {
                return new DecryptionFailedException(
                        FailureReason.WRONG_KEY,
                        ref,
                        "Vault Transit did not unwrap the data key: another key, another application's context, or"
                                + " tampered",
                        null);
            }
            if (detail.contains("encryption key not found")) {
                return new UnknownKeyException(ref, "Vault Transit has no such key", null);
            }
            if (detail.contains("disallowed by policy") || detail.contains("invalid key version")) {
                return new KeyDisabledException(
                        ref, "the key version is below the key's min_decryption_version, or unknown", null);
            }
            if (detail.contains("missing 'context'")) {
                return new ConfigurationException(
                        ref, "the Transit key is not a derived key (create it with derived=true)", null);
            }
            return refused;
        }
    }
}
