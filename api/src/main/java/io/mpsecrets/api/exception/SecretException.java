package io.mpsecrets.api.exception;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import java.util.Objects;

/**
 * Base of every mp-secrets failure. The message is built here, from the {@link SecretRef} (property, backend,
 * secret id, key id, version), the {@link FailureReason} and an optional detail that the library writes itself;
 * it never holds a value or a ciphertext, and every name and detail in it is escaped ({@link LogSafe}) so that it
 * stays one line. Subclasses exist so callers can catch what they can act on.
 */
public abstract class SecretException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FailureReason reason;
    private final SecretRef ref;
    private final String detail;

    protected SecretException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(message(reason, ref, detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.ref = ref == null ? SecretRef.NONE : ref;
        this.detail = detail;
    }

    public FailureReason reason() {
        return reason;
    }

    public SecretRef ref() {
        return ref;
    }

    /** The library's own words on what went wrong, if any; never a value. */
    public String detail() {
        return detail;
    }

    /**
     * The same failure, named more fully by an outer layer (e.g. the property that asked, which a KMS does not
     * know). Keeps type, reason, detail, cause and stack trace.
     */
    public SecretException withRef(SecretRef newRef) {
        SecretException copy = copy(newRef);
        copy.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }

    /** {@link #withRef} filling in the property name. */
    public SecretException withProperty(String property) {
        return withRef(ref.withProperty(property));
    }

    /** A new instance of the same type with another ref. */
    protected abstract SecretException copy(SecretRef newRef);

    private static String message(FailureReason reason, SecretRef ref, String detail) {
        StringBuilder out =
                new StringBuilder("mp-secrets: ").append(reason.name()).append(": ");
        out.append(reason.description());
        if (detail != null && !detail.isEmpty()) {
            out.append("; ").append(LogSafe.escape(detail));
        }
        if (ref != null && !ref.attributes().isEmpty()) {
            // A configuration error that names no property, store or key says so by having no suffix at all.
            out.append(" [").append(ref).append(']');
        }
        return out.toString();
    }
}
