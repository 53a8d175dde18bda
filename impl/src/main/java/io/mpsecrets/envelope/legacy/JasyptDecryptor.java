package io.mpsecrets.envelope.legacy;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.MalformedValueException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Reads (never writes) jasypt {@code ENC(...)} values, so applications can move off jasypt: the JDK's own PBE
 * ciphers with jasypt's layout, base64 of {@code salt · [iv] · ciphertext}.
 * <ul>
 * <li>{@code PBEWITHHMACSHA512ANDAES_256} (jasypt-spring-boot 3's default): 16-byte salt, 16-byte random IV.</li>
 * <li>{@code PBEWithMD5AndDES} (jasypt 1.9's legacy default): 8-byte salt, no IV.</li>
 * </ul>
 * These formats are not authenticated: a wrong password usually fails on padding but can yield garbage, which is
 * one reason to re-encrypt them ({@code mpsecrets reencrypt}).
 */
public final class JasyptDecryptor {

    public static final String AES_256 = "PBEWITHHMACSHA512ANDAES_256";
    public static final String MD5_DES = "PBEWITHMD5ANDDES";
    public static final int DEFAULT_ITERATIONS = 1000;

    private final String algorithm;
    private final char[] password;
    private final int iterations;

    public JasyptDecryptor(String algorithm, char[] password, int iterations) {
        String normalized = algorithm.toUpperCase(Locale.ROOT);
        if (!normalized.equals(AES_256) && !normalized.equals(MD5_DES)) {
            throw new ConfigurationException(
                    "unsupported jasypt algorithm '" + algorithm + "': " + AES_256 + " or PBEWithMD5AndDES");
        }
        if (iterations < 1) {
            throw new ConfigurationException("jasypt iterations must be positive");
        }
        this.algorithm = normalized;
        this.password = password.clone();
        this.iterations = iterations;
    }

    public String algorithm() {
        return algorithm;
    }

    /** Decrypts the text inside {@code ENC(...)}; {@code ref} names the property for errors. */
    public byte[] decrypt(String body, SecretRef ref) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedValueException(ref, "not a jasypt value: the text inside ENC(...) is not base64");
        }
        boolean aes = algorithm.equals(AES_256);
        int saltLength = aes ? 16 : 8;
        int ivLength = aes ? 16 : 0;
        if (bytes.length <= saltLength + ivLength) {
            throw new MalformedValueException(ref, "not a jasypt " + algorithm + " value: too short");
        }
        byte[] salt = Arrays.copyOfRange(bytes, 0, saltLength);
        byte[] iv = Arrays.copyOfRange(bytes, saltLength, saltLength + ivLength);
        byte[] ciphertext = Arrays.copyOfRange(bytes, saltLength + ivLength, bytes.length);
        PBEKeySpec keySpec = new PBEKeySpec(password);
        try {
            SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(keySpec);
            Cipher cipher = Cipher.getInstance(algorithm);
            PBEParameterSpec parameters = aes
                    ? new PBEParameterSpec(salt, iterations, new IvParameterSpec(iv))
                    : new PBEParameterSpec(salt, iterations);
            cipher.init(Cipher.DECRYPT_MODE, key, parameters);
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY,
                    ref.withKeyId("jasypt:" + algorithm),
                    "the jasypt value does not decrypt with the configured password",
                    null);
        } finally {
            keySpec.clearPassword();
        }
    }
}
