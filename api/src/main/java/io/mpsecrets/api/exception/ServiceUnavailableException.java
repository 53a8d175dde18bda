package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The KMS or store could not answer: throttled, timed out or down ({@link FailureReason#transientFailure()}). */
public class ServiceUnavailableException extends SecretException {

    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(requireTransient(reason), ref, detail, cause);
    }

    private static FailureReason requireTransient(FailureReason reason) {
        if (!reason.transientFailure()) {
            throw new IllegalArgumentException("not a transient failure: " + reason);
        }
        return reason;
    }

    @Override
    protected ServiceUnavailableException copy(SecretRef newRef) {
        return new ServiceUnavailableException(reason(), newRef, detail(), getCause());
    }
}
