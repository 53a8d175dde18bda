package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The key exists but may not be used now: disabled, or pending deletion. */
public class KeyDisabledException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A key that exists but may not be used now.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     */
    public KeyDisabledException(SecretRef ref, String detail, Throwable cause) {
        super(FailureReason.KEY_DISABLED, ref, detail, cause);
    }

    private KeyDisabledException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected KeyDisabledException copy(SecretRef newRef) {
        return new KeyDisabledException(reason(), newRef, detail(), getCause());
    }
}
