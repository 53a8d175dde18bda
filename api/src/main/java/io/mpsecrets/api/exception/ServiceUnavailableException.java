package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** The KMS or store could not answer: throttled, timed out or down ({@link FailureReason#transientFailure()}). */
public class ServiceUnavailableException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A store or KMS that could not answer now.
     *
     * @param reason {@link FailureReason#THROTTLED}, {@link FailureReason#TIMEOUT} or
     *        {@link FailureReason#UNAVAILABLE}
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     * @throws IllegalArgumentException when {@code reason} is not one of those three
     * @throws NullPointerException when {@code reason} is null
     */
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
