package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** A stored value cannot be used as asked: not JSON where a field is asked for, no such field type, not UTF-8. */
public class InvalidSecretValueException extends SecretException {

    private static final long serialVersionUID = 1L;

    public InvalidSecretValueException(SecretRef ref, String detail) {
        super(FailureReason.INVALID_VALUE, ref, detail, null);
    }

    private InvalidSecretValueException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected InvalidSecretValueException copy(SecretRef newRef) {
        return new InvalidSecretValueException(reason(), newRef, detail(), getCause());
    }
}
