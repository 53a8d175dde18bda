package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** A value that looks like {@code ENC(...)} but cannot be parsed: bad base64, unknown version, truncated. */
public class MalformedValueException extends SecretException {

    private static final long serialVersionUID = 1L;

    public MalformedValueException(SecretRef ref, String detail) {
        super(FailureReason.MALFORMED, ref, detail, null);
    }

    private MalformedValueException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(reason, ref, detail, cause);
    }

    @Override
    protected MalformedValueException copy(SecretRef newRef) {
        return new MalformedValueException(reason(), newRef, detail(), getCause());
    }
}
