package io.mpsecrets.api.event;

/** How an access ended. */
public enum Outcome {
    /** Served. */
    OK,
    /** Served the last good value because the store failed (stale-if-error). */
    STALE,
    /** Refused by the KMS or store: the worker is not allowed. */
    DENIED,
    /** Not served. */
    FAILED,
    /** Served, but something needs attention (e.g. the secret is due for rotation). */
    WARNING
}
