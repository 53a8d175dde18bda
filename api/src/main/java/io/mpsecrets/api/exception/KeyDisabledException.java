package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The key exists but may not be used now: disabled, or pending deletion. */
public class KeyDisabledException extends SecretException {

    private static final long serialVersionUID = 1L;

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
