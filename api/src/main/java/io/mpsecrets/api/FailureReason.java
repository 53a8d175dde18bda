package io.mpsecrets.api;

/**
 * Why an access failed. A closed set, so that exceptions and audit events can say why without free text that
 * might carry a value. Each reason is carried by one {@link io.mpsecrets.api.exception.SecretException} subclass,
 * named on each constant; only the three for which {@link #transientFailure()} is true may pass with time.
 */
public enum FailureReason {
    /**
     * A value that looks like {@code ENC(...)} cannot be parsed: bad base64, an unknown format version, truncated
     * ({@link io.mpsecrets.api.exception.MalformedValueException}).
     */
    MALFORMED("not a well-formed ENC(...) value"),
    /**
     * The key id names no key the KMS or keyring knows, or no enabled KMS takes key ids of its form
     * ({@link io.mpsecrets.api.exception.UnknownKeyException}).
     */
    UNKNOWN_KEY("no such key"),
    /**
     * A wrapped data key does not unwrap: another key or keyring, a tampered wrapped key, or another encryption
     * context, which is how a value made for another application fails
     * ({@link io.mpsecrets.api.exception.DecryptionFailedException}).
     */
    WRONG_KEY("the data key cannot be unwrapped: wrong key or keyring, a tampered wrapped key, or another encryption "
            + "context"),
    /**
     * The data key unwrapped but the ciphertext does not authenticate under it: it was tampered with, or copied from
     * the property it was encrypted for to another ({@link io.mpsecrets.api.exception.DecryptionFailedException}).
     */
    NOT_AUTHENTIC("the ciphertext does not authenticate: tampered with, or encrypted for another property"),
    /**
     * The key exists but may not be used now: disabled, or pending deletion
     * ({@link io.mpsecrets.api.exception.KeyDisabledException}).
     */
    KEY_DISABLED("the key is disabled or pending deletion"),
    /**
     * The store or KMS refused this worker: its credentials, or its encryption context, are not allowed. Never served
     * from a stale value, and audited as {@link io.mpsecrets.api.event.SecretAccessDenied}
     * ({@link io.mpsecrets.api.exception.SecretAccessDeniedException}).
     */
    ACCESS_DENIED("access denied"),
    /**
     * The store has no such secret, version or field ({@link io.mpsecrets.api.exception.SecretNotFoundException}).
     */
    NOT_FOUND("no such secret"),
    /**
     * The service refused the call for its rate, and may answer later; transient
     * ({@link io.mpsecrets.api.exception.ServiceUnavailableException}).
     */
    THROTTLED("throttled by the service"),
    /**
     * No answer within the configured time; transient ({@link io.mpsecrets.api.exception.ServiceUnavailableException}).
     */
    TIMEOUT("the service did not answer in time"),
    /**
     * The service could not be reached or answered that it is failing (an HTTP 5xx, say); transient
     * ({@link io.mpsecrets.api.exception.ServiceUnavailableException}).
     */
    UNAVAILABLE("the service is unavailable"),
    /**
     * With {@code mpsecrets.audit.required=true}, no audit sink recorded the access, so it is refused
     * ({@link io.mpsecrets.api.exception.AuditFailureException}).
     */
    AUDIT_UNAVAILABLE("no audit sink recorded the access, and audit is required"),
    /**
     * A setting, a keyring file or a CLI argument is wrong, or the service refused a request as invalid; fixed by
     * changing the configuration, not by waiting ({@link io.mpsecrets.api.exception.ConfigurationException}).
     */
    CONFIGURATION("invalid mp-secrets configuration"),
    /**
     * The stored value, or the service's answer, cannot be used as asked: not JSON where a field is asked for, not
     * UTF-8, larger than its limit, or not what the backend documents
     * ({@link io.mpsecrets.api.exception.InvalidSecretValueException}).
     */
    INVALID_VALUE("the stored value is not usable"),
    /**
     * The read met mp-secrets' shutdown, while the application stops
     * ({@link io.mpsecrets.api.exception.ClosedException}).
     */
    CLOSED("mp-secrets was closed: the application is stopping");

    private final String description;

    FailureReason(String description) {
        this.description = description;
    }

    /**
     * A fixed English phrase for the reason, what an exception message prints after the reason's name
     * ({@code mp-secrets: NOT_FOUND: no such secret}).
     *
     * @return the phrase; it describes the kind of failure only, never naming a secret or holding a value
     */
    public String description() {
        return description;
    }

    /**
     * True when trying again later may succeed: {@link #THROTTLED}, {@link #TIMEOUT} and {@link #UNAVAILABLE}, the
     * reasons of a {@link io.mpsecrets.api.exception.ServiceUnavailableException}. Only on these does a cache serve a
     * store's last good value instead of failing (stale-if-error); every other reason is the service's answer and is
     * given again whenever it is asked.
     *
     * @return whether the failure may pass with time
     */
    public boolean transientFailure() {
        return this == THROTTLED || this == TIMEOUT || this == UNAVAILABLE;
    }
}
