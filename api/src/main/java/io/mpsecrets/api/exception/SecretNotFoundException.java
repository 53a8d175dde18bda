package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The store has no such secret, version or field. */
public class SecretNotFoundException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A secret, version or field the store does not have.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     */
    public SecretNotFoundException(SecretRef ref, String detail) {
        super(FailureReason.NOT_FOUND, ref, detail, null);
    }

    private SecretNotFoundException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected SecretNotFoundException copy(SecretRef newRef) {
        return new SecretNotFoundException(reason(), newRef, detail(), getCause());
    }
}
