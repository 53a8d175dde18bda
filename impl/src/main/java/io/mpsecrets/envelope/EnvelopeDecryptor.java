package io.mpsecrets.envelope;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.crypto.AesGcm;
import io.mpsecrets.support.StrictUtf8;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Opens {@code ENC(...)} values: unwraps the data key through the KMS the key id names (cached by wrapped bytes),
 * then decrypts and authenticates with AES-256-GCM under the value's header and, if bound, the property name.
 * Every failure is a {@link SecretException} naming the property and key id; nothing partial is returned.
 */
public final class EnvelopeDecryptor {

    private final KmsRegistry kms;
    private final DataKeyCache dataKeys;
    private final EncryptionContext context;

    public EnvelopeDecryptor(KmsRegistry kms, DataKeyCache dataKeys, EncryptionContext context) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Decrypts {@code value} read as {@code property}, as UTF-8 text. */
    public String decryptToString(String property, EncryptedValue value) {
        byte[] plaintext = decrypt(property, value);
        try {
            return StrictUtf8.decode(
                    plaintext,
                    () -> new InvalidSecretValueException(
                            SecretRef.property(property), "the decrypted value is not UTF-8 text"));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Decrypts {@code value} read as {@code property}. The caller owns (and should zero) the result. */
    public byte[] decrypt(String property, EncryptedValue value) {
        SecretKey key;
        try {
            key = dataKeys.get(
                    value.keyId(),
                    value.wrappedKeyUnsafe(),
                    () -> kms.forKeyId(value.keyId()).decrypt(value.keyId(), value.wrappedKeyUnsafe(), context));
        } catch (SecretException e) {
            throw e.withRef(refOf(property, value).withBackend(e.ref().backend()));
        }
        try {
            return AesGcm.decrypt(key, value.nonce(), value.ciphertext(), value.associatedData(property));
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException(
                    FailureReason.NOT_AUTHENTIC,
                    refOf(property, value),
                    value.bound()
                            ? "the value is bound to a property name and does not authenticate as '" + property + "'"
                            : "the unbound value does not authenticate",
                    null);
        }
    }

    /** What an error names: made only when one is thrown, so that a read pays nothing for it. */
    private static SecretRef refOf(String property, EncryptedValue value) {
        return new SecretRef(property, null, null, EncryptedValue.printableKeyId(value.keyId()), null);
    }
}
