package org.example.toy;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.DecryptionFailedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The toy KMS: a master key per key id ({@code toy:<name>}), made on first use and kept for the JVM's life, that
 * wraps data keys with JCA AES-256-GCM under the key id and the encryption context as associated data.
 */
final class ToyKms implements KeyManagementService {

    private static final Map<String, byte[]> MASTER_KEYS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final AtomicInteger UNWRAPS = new AtomicInteger();

    @Override
    public String name() {
        return ToyKmsFactory.NAME;
    }

    @Override
    public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, keyId, nonce, context).doFinal(key);
            return new GeneratedDataKey(
                    keyId,
                    ByteBuffer.allocate(12 + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array(),
                    DataKey.copyOf(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
        UNWRAPS.incrementAndGet();
        if (wrappedKey.length != 12 + 32 + 16) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY, SecretRef.key(keyId), "not a toy wrapped key", null);
        }
        byte[] key = null;
        try {
            key = cipher(Cipher.DECRYPT_MODE, keyId, Arrays.copyOf(wrappedKey, 12), context)
                    .doFinal(wrappedKey, 12, wrappedKey.length - 12);
            return DataKey.copyOf(key);
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException(
                    FailureReason.WRONG_KEY, SecretRef.key(keyId), "the toy key does not unwrap it", null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private static Cipher cipher(int mode, String keyId, byte[] nonce, EncryptionContext context)
            throws GeneralSecurityException {
        byte[] master = MASTER_KEYS.computeIfAbsent(keyId, k -> {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            return fresh;
        });
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD((keyId + "|" + context.entries()).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
