package io.mpsecrets.envelope.legacy;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.crypto.AesGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads (never writes) SmallRye Config {@code ${aes-gcm-nopadding::...}} values, so applications can move to
 * mp-secrets: base64url of {@code iv length (1 byte) · iv · AES-GCM ciphertext with tag}, under the SHA-256 of the
 * configured {@code smallrye.config.secret-handler.aes-gcm-nopadding.encryption-key} (its UTF-8 bytes, or its
 * base64url-decoded bytes when {@code encryption-key-decode=true}).
 */
public final class SmallRyeAesGcmDecryptor {

    public static final String HANDLER = "aes-gcm-nopadding";

    private final SecretKeySpec key;

    /**
     * @throws ConfigurationException when {@code decode} is set and the key is not base64url
     */
    public SmallRyeAesGcmDecryptor(String encryptionKey, boolean decode) {
        byte[] material;
        try {
            material = decode
                    ? Base64.getUrlDecoder().decode(encryptionKey.trim())
                    : encryptionKey.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "the SmallRye encryption key is not base64url (encryption-key-decode=true, --smallrye-key-decode)");
        }
        try {
            this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(material), "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** Decrypts the text after {@code aes-gcm-nopadding::}; {@code ref} names the property for errors. */
    public byte[] decrypt(String body, SecretRef ref) {
        ByteBuffer in;
        try {
            in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(body.trim()));
        } catch (IllegalArgumentException e) {
            throw new MalformedValueException(ref, "not an " + HANDLER + " value: not base64url");
        }
        int ivLength = in.hasRemaining() ? in.get() & 0xff : 0;
        if (ivLength < 12 || in.remaining() < ivLength + 16) {
            throw new MalformedValueException(ref, "not an " + HANDLER + " value: bad length");
        }
        byte[] iv = new byte[ivLength];
        in.get(iv);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        try {
            return AesGcm.decrypt(key, iv, ciphertext, new byte[0]);
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY,
                    ref.withKeyId("smallrye:" + HANDLER),
                    "the value does not decrypt with the configured SmallRye encryption key",
                    null);
        }
    }
}
