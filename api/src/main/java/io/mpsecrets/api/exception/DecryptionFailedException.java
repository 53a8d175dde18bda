package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/**
 * A value or a wrapped data key did not authenticate: wrong key, tampered, or moved to another property ({@link
 * FailureReason#WRONG_KEY}, {@link FailureReason#NOT_AUTHENTIC}).
 */
public class DecryptionFailedException extends SecretException {

    private static final long serialVersionUID = 1L;

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
