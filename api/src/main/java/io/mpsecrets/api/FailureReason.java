package io.mpsecrets.api;

/**
 * Why an access failed. A closed set, so that exceptions and audit events can say why without free text that
 * might carry a value.
 */
public enum FailureReason {
    MALFORMED("not a well-formed ENC(...) value"),
    UNKNOWN_KEY("no such key"),
    WRONG_KEY("the data key cannot be unwrapped: wrong key or keyring, a tampered wrapped key, or another encryption "
            + "context"),
    NOT_AUTHENTIC("the ciphertext does not authenticate: tampered with, or encrypted for another property"),
    KEY_DISABLED("the key is disabled or pending deletion"),
    ACCESS_DENIED("access denied"),
    NOT_FOUND("no such secret"),
    THROTTLED("throttled by the service"),
    TIMEOUT("the service did not answer in time"),
    UNAVAILABLE("the service is unavailable"),
    AUDIT_UNAVAILABLE("no audit sink recorded the access, and audit is required"),
    CONFIGURATION("invalid mp-secrets configuration"),
    INVALID_VALUE("the stored value is not usable"),
    CLOSED("mp-secrets was closed: the application is stopping");

    private final String description;

    FailureReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True when trying again later may succeed. */
    public boolean transientFailure() {
        return this == THROTTLED || this == TIMEOUT || this == UNAVAILABLE;
    }
}
