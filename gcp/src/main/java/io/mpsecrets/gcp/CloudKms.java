package io.mpsecrets.gcp;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.gcp.GcpFailures.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Cloud KMS as the KMS of {@code ENC} values, over its REST API (v1). Cloud KMS has no data keys of its own: a
 * data key is 32 bytes from {@link SecureRandom}, wrapped by {@code cryptoKeys.encrypt} under a symmetric
 * ({@code ENCRYPT_DECRYPT}) key and unwrapped by {@code cryptoKeys.decrypt}. The value's encryption context (the
 * application's name) goes as {@code additionalAuthenticatedData}, its entries sorted, as a JSON object, so Cloud KMS
 * itself refuses to unwrap a data key for another application. Key ids are
 * {@code gcp-kms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>}; the wrapped key names the key version it was
 * made with, so a rotated key (a new primary version) still unwraps older values while their version is enabled.
 *
 * <p>Google's integrity fields are checked as Google's "Verifying end-to-end data integrity" describes: every request
 * carries the CRC32C of what it sends ({@code plaintextCrc32c}, {@code ciphertextCrc32c},
 * {@code additionalAuthenticatedDataCrc32c}); {@code encrypt}'s answer must say it verified them
 * ({@code verifiedPlaintextCrc32c}, {@code verifiedAdditionalAuthenticatedDataCrc32c}), name a version of the key asked
 * for, and carry a {@code ciphertextCrc32c} that matches the ciphertext; {@code decrypt}'s must carry a
 * {@code plaintextCrc32c} that matches the plaintext. An answer that fails a check is discarded and the call made
 * again, up to {@code max-attempts}; then it is an {@code INVALID_VALUE}. A Google error that says a checksum we sent
 * did not match is retried the same way.
 */
public final class CloudKms implements KeyManagementService {

    public static final String NAME = GcpSettings.KMS;
    static final String PREFIX = NAME + ":";
    static final String DEFAULT_ENDPOINT = "https://cloudkms.googleapis.com";
    private static final String WORDS = Api.KMS_ENCRYPT.words;

    /** A CryptoKey's resource name, as Cloud KMS's rules allow its parts. */
    private static final Pattern KEY = Pattern.compile("projects/([^/]+)/locations/([a-z][a-z0-9-]{0,62})"
            + "/keyRings/[A-Za-z0-9_-]{1,63}/cryptoKeys/[A-Za-z0-9_-]{1,63}");

    private final GcpHttp http;
    private final GoogleCredentials credentials;
    private final URI endpoint;
    private final int maxAttempts;
    private final SecureRandom random = new SecureRandom();

    CloudKms(GcpSettings settings, URI endpoint, GcpHttp http, GoogleCredentials credentials) {
        this.http = http.authenticated(credentials);
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.maxAttempts = settings.maxAttempts();
    }

    /** Whether {@code keyId} is {@code gcp-kms:} and a CryptoKey's resource name. */
    static boolean isKeyId(String keyId) {
        return keyId != null && keyId.startsWith(PREFIX) && resourceName(keyId).isPresent();
    }

    private static Optional<String> resourceName(String keyId) {
        String name = keyId.substring(PREFIX.length());
        Matcher matcher = KEY.matcher(name);
        return matcher.matches()
                        && GcpSettings.PROJECT.matcher(matcher.group(1)).matches()
                ? Optional.of(name)
                : Optional.empty();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        String key = keyName(keyId, ref);
        byte[] plaintext = new byte[DataKey.LENGTH];
        random.nextBytes(plaintext);
        byte[] aad = canonical(context);
        String encoded = Base64.getEncoder().encodeToString(plaintext);
        try {
            JsonObjectBuilder request = Json.createObjectBuilder()
                    .add("plaintext", encoded)
                    .add("plaintextCrc32c", String.valueOf(GcpJson.crc32c(plaintext)));
            withAad(request, aad);
            JsonObject body = request.build();
            for (int attempt = 1; ; attempt++) {
                JsonObject answer = http.post(
                        uri(key, ":encrypt"),
                        body,
                        Api.KMS_ENCRYPT,
                        ref,
                        List.of(encoded, Base64.getUrlEncoder().encodeToString(plaintext)));
                Optional<byte[]> wrapped = wrapped(answer, key, aad.length > 0, ref);
                if (wrapped.isPresent()) {
                    return new GeneratedDataKey(keyId, wrapped.get(), DataKey.copyOf(plaintext));
                }
                if (attempt >= maxAttempts) {
                    throw new InvalidSecretValueException(
                            ref, WORDS + "'s answers to encrypt failed their integrity checks " + attempt + " times");
                }
            }
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The ciphertext of an {@code EncryptResponse} that passes Google's integrity checks; empty when one fails (the
     * answer is to be discarded and the call made again).
     */
    private static Optional<byte[]> wrapped(JsonObject answer, String key, boolean aad, SecretRef ref) {
        String version = GcpJson.required(answer, "name", WORDS, ref);
        if (!version.startsWith(key + "/cryptoKeyVersions/")) {
            throw new InvalidSecretValueException(ref, WORDS + " encrypted with a key other than the one asked for");
        }
        if (!GcpJson.bool(answer, "verifiedPlaintextCrc32c", WORDS, ref)
                || (aad && !GcpJson.bool(answer, "verifiedAdditionalAuthenticatedDataCrc32c", WORDS, ref))) {
            return Optional.empty();
        }
        byte[] ciphertext = GcpJson.bytes(answer, "ciphertext", WORDS, ref)
                .filter(bytes -> bytes.length > 0)
                .orElseThrow(() -> new InvalidSecretValueException(ref, WORDS + " answered without a ciphertext"));
        Optional<Long> crc = GcpJson.crc32c(answer, "ciphertextCrc32c", WORDS, ref);
        return crc.isPresent() && crc.get() == GcpJson.crc32c(ciphertext) ? Optional.of(ciphertext) : Optional.empty();
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        SecretRef ref = ref(keyId);
        String key = keyName(keyId, ref);
        byte[] aad = canonical(context);
        JsonObjectBuilder request = Json.createObjectBuilder()
                .add("ciphertext", Base64.getEncoder().encodeToString(wrappedKey))
                .add("ciphertextCrc32c", String.valueOf(GcpJson.crc32c(wrappedKey)));
        withAad(request, aad);
        JsonObject body = request.build();
        for (int attempt = 1; ; attempt++) {
            JsonObject answer = http.post(uri(key, ":decrypt"), body, Api.KMS_DECRYPT, ref, List.of());
            byte[] plaintext = GcpJson.bytes(answer, "plaintext", WORDS, ref).orElseGet(() -> new byte[0]);
            try {
                Optional<Long> crc = GcpJson.crc32c(answer, "plaintextCrc32c", WORDS, ref);
                if (crc.isPresent() && crc.get() == GcpJson.crc32c(plaintext)) {
                    if (plaintext.length != DataKey.LENGTH) {
                        throw new InvalidSecretValueException(
                                ref,
                                WORDS + " unwrapped " + plaintext.length + " bytes, not a data key of "
                                        + DataKey.LENGTH);
                    }
                    return DataKey.copyOf(plaintext);
                }
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            if (attempt >= maxAttempts) {
                throw new InvalidSecretValueException(
                        ref, WORDS + "'s answers to decrypt failed their integrity check " + attempt + " times");
            }
        }
    }

    private static void withAad(JsonObjectBuilder request, byte[] aad) {
        if (aad.length > 0) {
            request.add("additionalAuthenticatedData", Base64.getEncoder().encodeToString(aad))
                    .add("additionalAuthenticatedDataCrc32c", String.valueOf(GcpJson.crc32c(aad)));
        }
    }

    /**
     * The encryption context as additional authenticated data: its entries, sorted, as a JSON object (one encoding per
     * context); none for an empty context.
     */
    static byte[] canonical(EncryptionContext context) {
        if (context.isEmpty()) {
            return new byte[0];
        }
        JsonObjectBuilder object = Json.createObjectBuilder();
        context.entries().forEach(object::add);
        return object.build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The CryptoKey's resource name in {@code gcp-kms:<name>}, when Cloud KMS could have a key of that name. */
    static String keyName(String keyId, SecretRef ref) {
        if (keyId == null || !keyId.startsWith(PREFIX)) {
            throw new UnknownKeyException(ref, "not a " + PREFIX + "<CryptoKey resource name> key id", null);
        }
        return resourceName(keyId)
                .orElseThrow(() -> new UnknownKeyException(
                        ref,
                        "not a Cloud KMS CryptoKey name: " + PREFIX
                                + "projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>",
                        null));
    }

    private URI uri(String key, String verb) {
        return URI.create(endpoint + "/v1/" + key + verb);
    }

    private static SecretRef ref(String keyId) {
        return SecretRef.key(keyId).withBackend(NAME);
    }

    @Override
    public String toString() {
        return "CloudKms[" + endpoint + ", " + credentials + "]";
    }
}
