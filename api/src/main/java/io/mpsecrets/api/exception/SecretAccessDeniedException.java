package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The KMS or store refused this worker: its principal or encryption context is not allowed. Always audited. */
public class SecretAccessDeniedException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A refusal of this worker by the store or KMS.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     */
    public SecretAccessDeniedException(SecretRef ref, String detail, Throwable cause) {
        super(FailureReason.ACCESS_DENIED, ref, detail, cause);
    }

    private SecretAccessDeniedException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected SecretAccessDeniedException copy(SecretRef newRef) {
        return new SecretAccessDeniedException(reason(), newRef, detail(), getCause());
    }
}
