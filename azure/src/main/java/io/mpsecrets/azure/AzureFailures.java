package io.mpsecrets.azure;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.exception.UnknownKeyException;
import java.util.Map;

/**
 * Key Vault's, Entra ID's and the identity endpoints' error answers as typed mp-secrets failures, in one place: by
 * Key Vault's inner error code, then its error code ({@link #CODES}), then the HTTP status ({@link #byStatus}). Only
 * throttling (429, with {@code Retry-After}), time-outs and 5xx are availability ({@code THROTTLED}, {@code TIMEOUT},
 * {@code UNAVAILABLE}: retried, and a store's last good value served within {@code max-stale}); every other answer is
 * a refusal, given again wherever and whenever it is asked: 401 and 403 are never served stale. A redirect is never
 * followed (the JDK client's default), so that a token is sent to the vault and nowhere else; it is a refusal too.
 * The detail names the status, Key Vault's codes and its message (which names principals and resources, never
 * values), escaped and cut short.
 */
final class AzureFailures {

    private AzureFailures() {}

    /** What an answer says. */
    enum Meaning {
        /** Not authenticated, or not allowed: {@code ACCESS_DENIED}. */
        DENIED,
        /** A secret (or key) that exists but may not be used now: disabled, expired, not yet valid. */
        DISABLED,
        /** No such secret, version or key ({@code NOT_FOUND}; for a key {@code UNKNOWN_KEY}). */
        NOT_FOUND,
        /** The request was refused as invalid ({@code CONFIGURATION}; for an unwrap, {@code WRONG_KEY}). */
        REFUSED,
        THROTTLED,
        TIMEOUT,
        UNAVAILABLE
    }

    /**
     * Key Vault's error and inner error codes (the REST reference's "Key Vault error codes" and what the service
     * answers to the calls mp-secrets makes: Get Secret, Get Secrets, Get Key, Wrap Key, Unwrap Key). A code not here
     * is read by its HTTP status.
     */
    static final Map<String, Meaning> CODES = Map.ofEntries(
            Map.entry("Unauthorized", Meaning.DENIED),
            Map.entry("Forbidden", Meaning.DENIED),
            Map.entry("AccessDenied", Meaning.DENIED),
            Map.entry("ForbiddenByRbac", Meaning.DENIED),
            Map.entry("ForbiddenByPolicy", Meaning.DENIED),
            Map.entry("ForbiddenByFirewall", Meaning.DENIED),
            Map.entry("ForbiddenByConnection", Meaning.DENIED),
            // "Operation get is not allowed on a disabled secret": a 403 that is the secret's state, not the caller's.
            Map.entry("SecretDisabled", Meaning.DISABLED),
            Map.entry("KeyDisabled", Meaning.DISABLED),
            Map.entry("KeyExpired", Meaning.DISABLED),
            Map.entry("KeyNotYetValid", Meaning.DISABLED),
            Map.entry("SecretNotFound", Meaning.NOT_FOUND),
            Map.entry("KeyNotFound", Meaning.NOT_FOUND),
            Map.entry("NotFound", Meaning.NOT_FOUND),
            Map.entry("VaultNotFound", Meaning.NOT_FOUND),
            // A soft-deleted secret's name is taken until it is purged or recovered: not there to read.
            Map.entry("ObjectIsDeletedButRecoverable", Meaning.NOT_FOUND),
            Map.entry("ObjectIsBeingDeleted", Meaning.NOT_FOUND),
            Map.entry("BadParameter", Meaning.REFUSED),
            Map.entry("BadRequest", Meaning.REFUSED),
            Map.entry("Conflict", Meaning.REFUSED),
            Map.entry("Throttled", Meaning.THROTTLED),
            Map.entry("TooManyRequests", Meaning.THROTTLED),
            Map.entry("RequestTimeout", Meaning.TIMEOUT),
            Map.entry("InternalServerError", Meaning.UNAVAILABLE),
            Map.entry("InternalError", Meaning.UNAVAILABLE),
            Map.entry("ServiceUnavailable", Meaning.UNAVAILABLE));

    /**
     * A status no code explains: 5xx the service failing, 408 a time-out, 429 throttling, 401 and 403 a denial, 404
     * missing; any other (another 4xx, a 3xx redirect not followed, a 1xx or 2xx where an error was expected) a
     * refusal.
     */
    static Meaning byStatus(int status) {
        if (status >= 500) {
            return Meaning.UNAVAILABLE;
        }
        return switch (status) {
            case 408 -> Meaning.TIMEOUT;
            case 429 -> Meaning.THROTTLED;
            case 401, 403 -> Meaning.DENIED;
            case 404 -> Meaning.NOT_FOUND;
            default -> Meaning.REFUSED;
        };
    }

    /**
     * Key Vault answered {@code status} with {@code body}.
     *
     * @param unwrapping whether the call was Unwrap Key, which Key Vault answers with 400 {@code BadParameter} when
     *     the wrapped key does not unwrap under the key: a wrong key, not a bad request
     */
    static SecretException keyVault(int status, byte[] body, SecretRef ref, boolean unwrapping) {
        AzureJson.KeyVaultError error = AzureJson.KeyVaultError.of(body);
        Meaning meaning = CODES.get(error.innerCode());
        if (meaning == null) {
            meaning = CODES.get(error.code());
        }
        boolean known = meaning != null;
        if (!known || (status >= 500 || status == 429)) {
            // The status wins where it says the service is failing or busy, whatever code came with it.
            Meaning byStatus = byStatus(status);
            if (!known || byStatus == Meaning.UNAVAILABLE || byStatus == Meaning.THROTTLED) {
                meaning = byStatus;
            }
        }
        if (status >= 300 && status < 400) {
            meaning = Meaning.REFUSED;
        }
        String described = error.describe();
        String detail = "Key Vault answered " + status + (described.isEmpty() ? "" : " " + described)
                + (status >= 300 && status < 400 ? " (a redirect, not followed)" : "");
        if (unwrapping && meaning == Meaning.REFUSED && status == 400) {
            return new DecryptionFailedException(
                    FailureReason.WRONG_KEY,
                    ref,
                    "Key Vault did not unwrap the data key: another key or key version, or tampered (" + detail + ")",
                    null);
        }
        return of(meaning, ref, detail);
    }

    /** Entra ID or an identity endpoint answered {@code status}: what it refuses is a denial of this worker. */
    static SecretException token(int status, byte[] body, SecretRef ref, String service) {
        String error = AzureJson.entraError(body);
        String detail = service + " refused a token: " + status + (error.isEmpty() ? "" : " " + error);
        Meaning meaning = byStatus(status);
        if (status == 410) {
            // IMDS answers 410 while it is being updated, for up to 70 seconds: asking again later works.
            meaning = Meaning.UNAVAILABLE;
        } else if (meaning == Meaning.NOT_FOUND || meaning == Meaning.REFUSED) {
            // invalid_client, invalid_grant, unauthorized_client, an unknown identity (400, 404): who is asking.
            meaning = Meaning.DENIED;
        }
        return of(meaning, ref, detail);
    }

    static SecretException of(Meaning meaning, SecretRef ref, String detail) {
        boolean key = ref.keyId() != null;
        return switch (meaning) {
            case DENIED -> new SecretAccessDeniedException(ref, detail, null);
            case DISABLED ->
                key
                        ? new KeyDisabledException(ref, detail, null)
                        : new InvalidSecretValueException(ref, "the secret may not be used now: " + detail);
            case NOT_FOUND ->
                key ? new UnknownKeyException(ref, detail, null) : new SecretNotFoundException(ref, detail);
            case REFUSED -> new ConfigurationException(ref, detail, null);
            case THROTTLED -> new ServiceUnavailableException(FailureReason.THROTTLED, ref, detail, null);
            case TIMEOUT -> new ServiceUnavailableException(FailureReason.TIMEOUT, ref, detail, null);
            case UNAVAILABLE -> new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, detail, null);
        };
    }
}
