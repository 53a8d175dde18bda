package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** Audit is required and no sink recorded the access, so the access is refused. */
public class AuditFailureException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * An access refused because no audit sink recorded its event.
     *
     * @param ref the access refused
     * @param detail which event no sink recorded, and why it was required; never a value
     */
    public AuditFailureException(SecretRef ref, String detail) {
        super(FailureReason.AUDIT_UNAVAILABLE, ref, detail, null);
    }

    private AuditFailureException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected AuditFailureException copy(SecretRef newRef) {
        return new AuditFailureException(reason(), newRef, detail(), getCause());
    }
}
