package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/**
 * A value or a wrapped data key did not authenticate: wrong key, tampered, or moved to another property ({@link
 * FailureReason#WRONG_KEY}, {@link FailureReason#NOT_AUTHENTIC}).
 */
public class DecryptionFailedException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A value or wrapped key that did not authenticate.
     *
     * @param reason {@link FailureReason#WRONG_KEY} for a wrapped data key that does not unwrap,
     *        {@link FailureReason#NOT_AUTHENTIC} for a ciphertext that does not authenticate
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     * @throws IllegalArgumentException when {@code reason} is any other reason, or null
     */
    public DecryptionFailedException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(requireOneOf(reason), ref, detail, cause);
    }

    private static FailureReason requireOneOf(FailureReason reason) {
        if (reason != FailureReason.WRONG_KEY && reason != FailureReason.NOT_AUTHENTIC) {
            throw new IllegalArgumentException("not a decryption failure: " + reason);
        }
        return reason;
    }

    @Override
    protected DecryptionFailedException copy(SecretRef newRef) {
        return new DecryptionFailedException(reason(), newRef, detail(), getCause());
    }
}
