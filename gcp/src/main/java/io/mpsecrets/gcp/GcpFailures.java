package io.mpsecrets.gcp;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.exception.UnknownKeyException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Google's error answers as typed mp-secrets failures, in one place: Google APIs answer {@code {"error": {"code": 403,
 * "status": "PERMISSION_DENIED", "message": "..."}}} (google.rpc.Status, AIP-193), read by its canonical status
 * ({@link #STATUSES}), else by the HTTP status; OAuth 2.0 token endpoints answer {@code {"error": "invalid_grant",
 * "error_description": "..."}} (RFC 6749 §5.2, {@link #oauth}). Only {@code RESOURCE_EXHAUSTED},
 * {@code DEADLINE_EXCEEDED}, {@code UNAVAILABLE} and their kin (5xx, 408, 429) are availability: retried, and a store's
 * last good value served within {@code max-stale}; a denial, a missing or disabled secret or key, a wrong key is the
 * service's answer, never retried and never answered with a stale value. The detail names the HTTP status, Google's
 * status and Google's message (which names resources and principals, never payloads), escaped and capped; a message
 * that quotes something the request carried that must not be shown (a data key sent to {@code encrypt}) is withheld.
 */
final class GcpFailures {

    private GcpFailures() {}

    /** Which API answered, which words name it, and what its refusals mean for the caller. */
    enum Api {
        SECRET_MANAGER("Secret Manager"),
        KMS_ENCRYPT("Cloud KMS"),
        KMS_DECRYPT("Cloud KMS"),
        KMS_ADMIN("Cloud KMS"),
        IAM_CREDENTIALS("IAM Service Account Credentials"),
        TOKEN("the token endpoint"),
        METADATA("the metadata server");

        final String words;

        Api(String words) {
            this.words = words;
        }

        boolean key() {
            return this == KMS_ENCRYPT || this == KMS_DECRYPT || this == KMS_ADMIN;
        }
    }

    /** What a google.rpc status says, for mp-secrets. */
    enum Meaning {
        /** {@code ACCESS_DENIED}: not authenticated, or not allowed. */
        DENIED,
        /** {@code NOT_FOUND}; for a key, {@code UNKNOWN_KEY}. */
        NOT_FOUND,
        /**
         * {@code FAILED_PRECONDITION}: the secret version or key version is disabled or destroyed (a secret:
         * {@code NOT_FOUND}, it has no usable value; a key: {@code KEY_DISABLED}).
         */
        DISABLED,
        /** {@code INVALID_ARGUMENT}: a request refused; to {@code decrypt}, a ciphertext the key cannot open. */
        INVALID,
        /** Refused for another reason ({@code CONFIGURATION}). */
        REFUSED,
        /** The service says it lost data: not usable, not transient. */
        UNUSABLE,
        THROTTLED,
        TIMEOUT,
        UNAVAILABLE
    }

    /** The canonical codes of google.rpc.Code, by the name Google's JSON errors carry in {@code status}. */
    static final Map<String, Meaning> STATUSES = Map.ofEntries(
            Map.entry("CANCELLED", Meaning.UNAVAILABLE),
            Map.entry("UNKNOWN", Meaning.UNAVAILABLE),
            Map.entry("INVALID_ARGUMENT", Meaning.INVALID),
            Map.entry("DEADLINE_EXCEEDED", Meaning.TIMEOUT),
            Map.entry("NOT_FOUND", Meaning.NOT_FOUND),
            Map.entry("ALREADY_EXISTS", Meaning.REFUSED),
            Map.entry("PERMISSION_DENIED", Meaning.DENIED),
            Map.entry("UNAUTHENTICATED", Meaning.DENIED),
            // Quota: Secret Manager's access and read quotas, Cloud KMS's per-second limits (docs/gcp.md).
            Map.entry("RESOURCE_EXHAUSTED", Meaning.THROTTLED),
            // Secret Manager: the version is DISABLED or DESTROYED; Cloud KMS: the key version is not ENABLED.
            Map.entry("FAILED_PRECONDITION", Meaning.DISABLED),
            // A concurrency conflict inside the service: Google's guidance is to retry.
            Map.entry("ABORTED", Meaning.UNAVAILABLE),
            Map.entry("OUT_OF_RANGE", Meaning.REFUSED),
            Map.entry("UNIMPLEMENTED", Meaning.REFUSED),
            Map.entry("INTERNAL", Meaning.UNAVAILABLE),
            Map.entry("UNAVAILABLE", Meaning.UNAVAILABLE),
            Map.entry("DATA_LOSS", Meaning.UNUSABLE));

    /**
     * A status Google did not name (or that is not in {@link #STATUSES}), by its HTTP status: 5xx the service failing,
     * 408 and 429 a time-out and throttling, 401 and 403 a denial, 404 not found, any other a refusal.
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
     * A google.rpc error answer as a typed failure.
     *
     * @param withheld texts the request carried that the failure must not show, should Google's message quote them
     */
    static SecretException map(int status, byte[] body, Api api, SecretRef ref, Collection<String> withheld) {
        JsonObject error = errorObject(body);
        String code = error == null ? null : text(error.get("status"));
        String message = error == null ? null : text(error.get("message"));
        Meaning known = code == null ? null : STATUSES.get(code.toUpperCase(Locale.ROOT));
        Meaning meaning = known != null ? known : byStatus(status);
        String detail = api.words + " answered " + status + (code == null ? "" : " " + safe(code))
                + (message == null ? "" : ": " + quoted(message, withheld));
        return typed(meaning, detail, api, ref, message);
    }

    /**
     * An OAuth 2.0 error answer of a token endpoint (Google's, an STS, a workload identity pool's): {@code
     * invalid_grant}, {@code invalid_client}, {@code unauthorized_client} and their kin are a denial, whatever the HTTP
     * status; 5xx and 429 are availability.
     */
    static SecretException oauth(int status, byte[] body, Api api, SecretRef ref, Collection<String> withheld) {
        JsonObject error = object(body);
        String code = error == null ? null : text(error.get("error"));
        if (code == null && error != null && error.get("error") instanceof JsonObject) {
            return map(status, body, api, ref, withheld); // an STS answers google.rpc errors too
        }
        String description = error == null ? null : text(error.get("error_description"));
        String detail = api.words + " answered " + status + (code == null ? "" : " " + safe(code))
                + (description == null ? "" : ": " + quoted(description, withheld));
        // A token refused is a denial whatever the status (even a 404 from a wrong token_uri): never an outage.
        Meaning meaning = status >= 500 || status == 429 || status == 408 ? byStatus(status) : Meaning.DENIED;
        return typed(meaning, detail, api, ref, description);
    }

    private static SecretException typed(Meaning meaning, String detail, Api api, SecretRef ref, String message) {
        return switch (meaning) {
            case DENIED -> new SecretAccessDeniedException(ref, detail, null);
            case NOT_FOUND ->
                api.key() ? new UnknownKeyException(ref, detail, null) : new SecretNotFoundException(ref, detail);
            case DISABLED ->
                api.key()
                        ? new KeyDisabledException(ref, detail, null)
                        : api == Api.SECRET_MANAGER
                                ? new SecretNotFoundException(ref, "the version is disabled or destroyed: " + detail)
                                : new ConfigurationException(ref, detail, null);
            case INVALID -> invalid(detail, api, ref, message);
            case REFUSED -> new ConfigurationException(ref, detail, null);
            case UNUSABLE -> new InvalidSecretValueException(ref, detail);
            case THROTTLED -> new ServiceUnavailableException(FailureReason.THROTTLED, ref, detail, null);
            case TIMEOUT -> new ServiceUnavailableException(FailureReason.TIMEOUT, ref, detail, null);
            case UNAVAILABLE -> new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, detail, null);
        };
    }

    /**
     * {@code INVALID_ARGUMENT}: to {@code decrypt}, the key does not open the ciphertext (another key, another
     * encryption context sent as additional authenticated data, tampered: "Decryption failed: verify that 'name'
     * refers to the correct CryptoKey."), unless it is Google saying a CRC32C we sent does not match what it received,
     * which is corruption on the way, to be retried a few times as Google advises. Elsewhere a request refused.
     */
    private static SecretException invalid(String detail, Api api, SecretRef ref, String message) {
        boolean checksum = message != null && message.toLowerCase(Locale.ROOT).contains("checksum");
        if (checksum) {
            return new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE, ref, detail + " (corrupted on the way; retried)", null);
        }
        if (api == Api.KMS_DECRYPT) {
            return new DecryptionFailedException(FailureReason.WRONG_KEY, ref, detail, null);
        }
        return new ConfigurationException(ref, detail, null);
    }

    /** The {@code error} object of a google.rpc answer, or null. */
    private static JsonObject errorObject(byte[] body) {
        JsonObject json = object(body);
        return json != null && json.get("error") instanceof JsonObject error ? error : null;
    }

    private static JsonObject object(byte[] body) {
        if (body == null || body.length == 0 || !JsonLimits.shallow(body)) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString text ? text.getString() : null;
    }

    /** Google's message, one line, capped, escaped; withheld when it quotes what must not be shown. */
    static String quoted(String message, Collection<String> withheld) {
        for (String secret : withheld) {
            if (secret != null && !secret.isEmpty() && message.contains(secret)) {
                return "(message withheld: it quotes the request)";
            }
        }
        return safe(message);
    }

    static String safe(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return LogSafe.escape(line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }
}
