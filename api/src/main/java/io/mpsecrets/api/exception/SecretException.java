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

    /** Why it failed; never null. */
    private final FailureReason reason;

    /**
     * What failed; {@link SecretRef#NONE} when nothing is named, never null. Not serialized itself (a record of
     * names, not {@code Serializable}): {@link #refFields} is, and {@link #readResolve} builds it again, so that a
     * failure crosses a serialization boundary (a remote EJB call) with its names.
     */
    private final transient SecretRef ref;

    /** The ref's fields in their order, for serialization. */
    private final String[] refFields;

    /** The library's own words as given, unescaped, or null. */
    private final String detail;

    /**
     * Builds the message, {@code mp-secrets: REASON: description; detail [ref]}, with every name in the ref and the
     * detail escaped ({@link LogSafe}) so that it stays one line.
     *
     * @param reason why it failed
     * @param ref what failed, as far as the thrower knows; null is taken as {@link SecretRef#NONE}
     * @param detail the library's own words on what went wrong, or null; never a value or a ciphertext
     * @param cause the underlying failure, or null; its message and its causes' must hold no value either
     * @throws NullPointerException when {@code reason} is null
     */
    protected SecretException(FailureReason reason, SecretRef ref, String detail, Throwable cause) {
        super(message(reason, ref, detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.ref = ref == null ? SecretRef.NONE : ref;
        this.refFields = new String[] {
            this.ref.property(), this.ref.backend(), this.ref.secretId(), this.ref.keyId(), this.ref.version()
        };
        this.detail = detail;
    }

    /**
     * After deserialization: the ref, from its serialized fields.
     *
     * @return this failure with its ref
     * @throws java.io.ObjectStreamException never; declared as serialization requires
     */
    protected Object readResolve() throws java.io.ObjectStreamException {
        if (ref != null) {
            return this;
        }
        return withRef(new SecretRef(refFields[0], refFields[1], refFields[2], refFields[3], refFields[4]));
    }

    /**
     * Why it failed, for a caller to act on: {@link FailureReason#transientFailure()} says whether trying again later
     * may help.
     *
     * @return the reason, never null
     */
    public FailureReason reason() {
        return reason;
    }

    /**
     * What failed, as far as the layer that threw knew it; an outer layer names it more fully with {@link #withRef}.
     *
     * @return the ref, never null; {@link SecretRef#NONE} when nothing is named
     */
    public SecretRef ref() {
        return ref;
    }

    /**
     * The library's own words on what went wrong, if any; never a value.
     *
     * @return the detail as it was given, not escaped (the message holds it escaped); null when there is none
     */
    public String detail() {
        return detail;
    }

    /**
     * The same failure, named more fully by an outer layer (e.g. the property that asked, which a KMS does not
     * know). Keeps type, reason, detail, cause and stack trace.
     *
     * @param newRef the ref the copy carries in place of this one's; it replaces the whole ref, not merged with it
     * @return a new exception of this one's exact type, with its suppressed exceptions too; this one is unchanged
     */
    public SecretException withRef(SecretRef newRef) {
        SecretException copy = copy(newRef);
        copy.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }

    /**
     * {@link #withRef} filling in the property name.
     *
     * @param property the property that was read
     * @return a new exception as {@link #withRef} makes it, the ref's other fields kept
     */
    public SecretException withProperty(String property) {
        return withRef(ref.withProperty(property));
    }

    /**
     * A new instance of the same type with another ref. Each subclass implements it with a constructor that takes
     * reason, ref, detail and cause, so that {@link #withRef} keeps the exact type.
     *
     * @param newRef the copy's ref
     * @return a new instance of exactly this one's class, with its reason, detail and cause
     */
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
