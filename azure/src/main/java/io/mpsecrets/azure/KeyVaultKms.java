package io.mpsecrets.azure;

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
import io.mpsecrets.api.exception.UnknownKeyException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Azure Key Vault (or Managed HSM) keys as the KMS of {@code ENC} values: each data key is made here (32 random
 * bytes) and wrapped by Key Vault ({@code POST <key id>/wrapkey}), with RSA-OAEP-256 under an RSA key ({@code RSA},
 * {@code RSA-HSM}) or AES key wrap (A256KW) under a Managed HSM's {@code oct-HSM} key; the key never leaves Key Vault.
 * Key ids are {@code azure-keyvault:https://<vault>/keys/<name>[/<version>]}: a new data key is wrapped under the key's
 * current version (Get Key, then Wrap Key) and its value names that version, so a rotated key wraps new values under
 * the new version while older values keep unwrapping under theirs ({@code POST <key id>/<version>/unwrapkey}), one
 * unwrap per data key.
 *
 * <p>RSA and AES key wrap take no encryption context, so the context (the application's name) is bound in what is
 * wrapped: the data key, then a SHA-256 of the context ({@link #contextDigest}). A value made for another application
 * unwraps to a digest that does not match and is a {@code WRONG_KEY}. That binding stops a value being used by another
 * application by mistake; it does not stop an application that may call Unwrap Key from reading what it unwraps.
 * Who may unwrap is Key Vault's to decide: a key per application and RBAC (Key Vault Crypto User on that key only).
 *
 * <p>The wrapped key an {@code ENC} value holds is a version byte, the algorithm's byte and Key Vault's result.
 */
public final class KeyVaultKms implements KeyManagementService {

    public static final String NAME = "azure-keyvault";
    static final String PREFIX = NAME + ":";

    private static final byte FORMAT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The wrap algorithms, by the byte a wrapped key names them with. */
    enum Algorithm {
        RSA_OAEP_256((byte) 1, "RSA-OAEP-256"),
        A256KW((byte) 2, "A256KW");

        final byte code;
        final String jose;

        Algorithm(byte code, String jose) {
            this.code = code;
            this.jose = jose;
        }

        static Algorithm of(byte code) {
            for (Algorithm algorithm : values()) {
                if (algorithm.code == code) {
                    return algorithm;
                }
            }
            return null;
        }
    }

    private final KeyVaultClient client;

    KeyVaultKms(AzureSettings settings) {
        this.client = new KeyVaultClient(settings);
    }

    static boolean isKeyId(String keyId) {
        return keyId != null && keyId.startsWith(PREFIX + "https://") && keyId.contains("/keys/");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        KeyVaultIds.Location asked = location(keyId, ref);
        JsonObject bundle = client.get(asked.url(), ref);
        JsonObject jwk = AzureJson.object(bundle, "key", ref, "Key Vault")
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Key Vault answered Get Key without a key"));
        KeyVaultIds.Location current =
                sameKey(KeyVaultIds.key(AzureJson.requiredString(jwk, "kid", ref, "Key Vault"), ref), asked, ref);
        SecretRef versioned = ref(PREFIX + current.url()).withVersion(current.version());
        AzureJson.Attributes.of(bundle, versioned).unusable(Instant.now()).ifPresent(why -> {
            throw new KeyDisabledException(versioned, "the key may not be used now: it is " + why, null);
        });
        Algorithm algorithm = algorithm(AzureJson.requiredString(jwk, "kty", versioned, "Key Vault"), versioned);
        byte[] key = new byte[DataKey.LENGTH];
        RANDOM.nextBytes(key);
        byte[] payload = payload(key, context);
        try {
            JsonObject answer = client.post(
                    URI.create(current.url() + "/wrapkey"), operation(algorithm, payload), versioned, false);
            KeyVaultIds.Location wrappedBy = sameKey(
                    KeyVaultIds.key(AzureJson.requiredString(answer, "kid", versioned, "Key Vault"), ref), asked, ref);
            if (!current.version().equals(wrappedBy.version())) {
                throw new InvalidSecretValueException(versioned, "Key Vault wrapped under another key version");
            }
            byte[] result = decode(AzureJson.requiredString(answer, "value", versioned, "Key Vault"), versioned);
            byte[] wrapped = new byte[result.length + 2];
            wrapped[0] = FORMAT;
            wrapped[1] = algorithm.code;
            System.arraycopy(result, 0, wrapped, 2, result.length);
            return new GeneratedDataKey(PREFIX + current.url(), wrapped, DataKey.copyOf(key));
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(payload, (byte) 0);
        }
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        KeyVaultIds.Location at = location(keyId, ref);
        Algorithm algorithm = wrappedKey.length > 2 && wrappedKey[0] == FORMAT ? Algorithm.of(wrappedKey[1]) : null;
        if (algorithm == null) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY, ref, "not a data key wrapped by " + NAME, null);
        }
        byte[] result = Arrays.copyOfRange(wrappedKey, 2, wrappedKey.length);
        JsonObject answer = client.post(URI.create(at.url() + "/unwrapkey"), operation(algorithm, result), ref, true);
        byte[] payload = decode(AzureJson.requiredString(answer, "value", ref, "Key Vault"), ref);
        byte[] digest = contextDigest(context);
        try {
            if (payload.length != DataKey.LENGTH + digest.length) {
                throw new DecryptionFailedException(
                        FailureReason.WRONG_KEY, ref, "Key Vault unwrapped something that is not a data key", null);
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(payload, DataKey.LENGTH, payload.length), digest)) {
                throw new DecryptionFailedException(
                        FailureReason.WRONG_KEY,
                        ref,
                        "the data key was wrapped for another encryption context (another application)",
                        null);
            }
            return DataKey.copyOf(Arrays.copyOf(payload, DataKey.LENGTH));
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
    }

    /** The key {@code keyId} names: {@code azure-keyvault:https://<vault>/keys/<name>[/<version>]}. */
    static KeyVaultIds.Location location(String keyId, SecretRef ref) {
        if (!isKeyId(keyId)) {
            throw new UnknownKeyException(ref, "not an " + PREFIX + "https://<vault>/keys/<name> key id", null);
        }
        return KeyVaultIds.key(keyId.substring(PREFIX.length()), ref);
    }

    /** Key Vault's answer names the key asked for (any version when none was asked), with a version. */
    private static KeyVaultIds.Location sameKey(
            KeyVaultIds.Location answered, KeyVaultIds.Location asked, SecretRef ref) {
        if (!answered.vault().equals(asked.vault())
                || !answered.name().equalsIgnoreCase(asked.name())
                || answered.version() == null
                || (asked.version() != null && !asked.version().equalsIgnoreCase(answered.version()))) {
            throw new InvalidSecretValueException(ref, "Key Vault answered with another key, or without its version");
        }
        return answered;
    }

    private static Algorithm algorithm(String kty, SecretRef ref) {
        return switch (kty) {
            case "RSA", "RSA-HSM" -> Algorithm.RSA_OAEP_256;
            case "oct", "oct-HSM" -> Algorithm.A256KW;
            default ->
                throw new ConfigurationException(
                        ref,
                        "a " + kty + " key cannot wrap data keys: use an RSA key, or a Managed HSM oct-HSM key",
                        null);
        };
    }

    /**
     * The data key, then SHA-256 of the context's canonical form: 64 bytes, within what RSA-OAEP-256 wraps under a
     * 2048-bit key (190) and a multiple of 8, as AES key wrap needs.
     */
    static byte[] payload(byte[] key, EncryptionContext context) {
        byte[] digest = contextDigest(context);
        byte[] payload = new byte[key.length + digest.length];
        System.arraycopy(key, 0, payload, 0, key.length);
        System.arraycopy(digest, 0, payload, key.length, digest.length);
        return payload;
    }

    /** SHA-256 of a label and the context's entries, sorted, each name and value length-prefixed. */
    static byte[] contextDigest(EncryptionContext context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] label = "mpsecrets azure-keyvault context v1".getBytes(StandardCharsets.UTF_8);
        out.write(label, 0, label.length);
        for (Map.Entry<String, String> entry : context.entries().entrySet()) {
            for (String text : new String[] {entry.getKey(), entry.getValue()}) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                out.write(bytes.length >>> 24);
                out.write(bytes.length >>> 16);
                out.write(bytes.length >>> 8);
                out.write(bytes.length);
                out.write(bytes, 0, bytes.length);
            }
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static JsonObject operation(Algorithm algorithm, byte[] value) {
        return Json.createObjectBuilder()
                .add("alg", algorithm.jose)
                .add("value", EntraToken.base64Url(value))
                .build();
    }

    private static byte[] decode(String base64Url, SecretRef ref) {
        try {
            return Base64.getUrlDecoder().decode(base64Url.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretValueException(ref, "Key Vault answered a value that is not base64url");
        }
    }

    private static SecretRef ref(String keyId) {
        return SecretRef.key(keyId).withBackend(NAME);
    }

    @Override
    public String toString() {
        return "KeyVaultKms[" + client.settings().auth() + "]";
    }
}
