package io.mpsecrets.api.spi;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;

/**
 * Where a backend reports what it handled on its own and the application should still hear of: the runtime audits it
 * (log line and CDI event). Called from the thread that asked the backend; returns quickly and never throws.
 */
public interface BackendEvents {

    /** For a backend built without a runtime (tools, tests): reports go nowhere. */
    BackendEvents NONE = (ref, from, to, reason) -> {};

    /**
     * {@code from} (a region, a replica) failed with {@code reason}, and {@code to} answered instead.
     *
     * @param ref the key or secret the call was for
     * @param from the choice that failed first, e.g. a region such as {@code eu-west-1}
     * @param to the choice that answered
     * @param reason why {@code from} failed
     *
     * @see io.mpsecrets.api.event.SecretFailover
     */
    void failedOver(SecretRef ref, String from, String to, FailureReason reason);
}
