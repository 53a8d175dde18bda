package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The key id names no key the KMS or keyring knows. */
public class UnknownKeyException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A key id that names no key the KMS or keyring knows.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     */
    public UnknownKeyException(SecretRef ref, String detail, Throwable cause) {
        super(FailureReason.UNKNOWN_KEY, ref, detail, cause);
    }

    private UnknownKeyException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected UnknownKeyException copy(SecretRef newRef) {
        return new UnknownKeyException(reason(), newRef, detail(), getCause());
    }
}
