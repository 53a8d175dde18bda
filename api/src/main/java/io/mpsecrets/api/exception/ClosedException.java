package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/**
 * The read met mp-secrets' shutdown (the application is stopping): it is refused once, clearly, rather than served a
 * value that is being zeroed ({@link FailureReason#CLOSED}).
 */
public class ClosedException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * A read refused because mp-secrets is closing.
     *
     * @param ref the read refused
     */
    public ClosedException(SecretRef ref) {
        super(FailureReason.CLOSED, ref, null, null);
    }

    private ClosedException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected ClosedException copy(SecretRef newRef) {
        return new ClosedException(reason(), newRef, detail(), getCause());
    }
}
