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

    /**
     * The backend's own credentials were refused before their time: a Vault token an operator revoked, a wrapping token
     * someone else used. Audited as an access denied for {@code ref} (the request under way), whatever that request's
     * outcome: the backend may have logged in again, and the trail must still show it. The default does nothing, so
     * that implementations written before this method keep compiling.
     *
     * @param ref the request under way when the refusal was found (its backend names who was refused)
     * @param detail the backend's own words for what happened and what it does about it; never a credential
     */
    default void credentialsRefused(SecretRef ref, String detail) {}
}
