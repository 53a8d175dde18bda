package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** A stored value cannot be used as asked: not JSON where a field is asked for, no such field type, not UTF-8. */
public class InvalidSecretValueException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A stored value, or a service's answer, that cannot be used as asked.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     */
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
