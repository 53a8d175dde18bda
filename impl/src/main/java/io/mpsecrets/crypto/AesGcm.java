package io.mpsecrets.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * JCA AES-256-GCM with a random 96-bit nonce and a 128-bit tag: the only cipher mp-secrets uses. Keys are
 * single-use per value or per wrapped data key in practice, so random nonces stay far below the birthday bound.
 */
public final class AesGcm {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Decryption reuses one {@code Cipher} per thread, initialised afresh for each value: finding a provider for a new
     * {@code Cipher} costs about ten times the decryption of a short value, and a cipher re-initialised with the same
     * key keeps its key schedule. (Encryption makes a new one: it is rare, and a GCM cipher refuses to encrypt twice
     * under one nonce.) Tink's {@code AesGcmJce} does the same.
     */
    private static final ThreadLocal<Cipher> DECRYPTING = ThreadLocal.withInitial(AesGcm::newCipher);

    private AesGcm() {}

    public static byte[] randomNonce() {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    public static byte[] randomKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    public static byte[] encrypt(SecretKey key, byte[] nonce, byte[] plaintext, byte[] associatedData) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @throws AEADBadTagException when the ciphertext, nonce or associated data do not authenticate under the key
     */
    public static byte[] decrypt(SecretKey key, byte[] nonce, byte[] ciphertext, byte[] associatedData)
            throws AEADBadTagException {
        try {
            Cipher cipher = DECRYPTING.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }
}
