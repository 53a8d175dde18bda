package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/** A value that looks like {@code ENC(...)} but cannot be parsed: bad base64, unknown version, truncated. */
public class MalformedValueException extends SecretException {

    private static final long serialVersionUID = 1L;

    /**
     * An {@code ENC(...)} value that cannot be parsed.
     *
     * @param ref what failed: property, backend, secret id, key id and version, as far as the thrower knows them
     * @param detail what is wrong with the value's form, or null; never the value or any part of it
     */
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
