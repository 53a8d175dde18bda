package io.mpsecrets.aws;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.exception.UnknownKeyException;
import java.io.IOException;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into typed mp-secrets failures, after the SDK's own retries: by AWS error code
 * ({@link #CODES}, one table for KMS, Secrets Manager and Parameter Store), else by HTTP status. Only throttling,
 * time-outs, 5xx and failures to reach the service are availability ({@code THROTTLED}, {@code TIMEOUT},
 * {@code UNAVAILABLE}: failover to another region, a stale value within {@code max-stale}); any other answer is a
 * refusal, whatever its code. The detail names the AWS error code, request id and AWS's message (which names
 * principals and resources, never payloads).
 */
public final class AwsFailures {

    private AwsFailures() {}

    /**
     * The typed failure for an SDK exception. Neither the SDK's message nor the exception itself is kept: the SDK
     * quotes what it could not read ("Unable to unmarshall response (... Unrecognized token '...')"), which may be a
     * secret. The detail names the AWS error code, request id and AWS's own error message, or the types of what failed.
     */
    public static SecretException map(SdkException e, SecretRef ref) {
        BoundedReads.TooLarge tooLarge = cause(e, BoundedReads.TooLarge.class);
        if (tooLarge != null) {
            return new InvalidSecretValueException(ref, "the service's answer is " + tooLarge.getMessage());
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new ServiceUnavailableException(FailureReason.TIMEOUT, ref, "no answer within the time limit", null);
        }
        if (!(e instanceof AwsServiceException service) || service.awsErrorDetails() == null) {
            if (unreadable(e)) {
                return new InvalidSecretValueException(
                        ref, "the service's answer could not be read (" + types(e) + ")");
            }
            IOException network = cause(e, IOException.class);
            return new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    ref,
                    "cannot reach the service (" + types(e) + (network == null ? "" : ": " + safe(network.getMessage()))
                            + ")",
                    null);
        }
        String code = String.valueOf(service.awsErrorDetails().errorCode());
        String detail = code + " (request " + service.requestId() + "): "
                + safe(service.awsErrorDetails().errorMessage());
        if (service.isThrottlingException()) {
            return new ServiceUnavailableException(FailureReason.THROTTLED, ref, detail, null);
        }
        return byCode(code, detail, service.statusCode(), ref, null);
    }

    /** An answer the SDK received but could not read: its parser failed on what the service sent. */
    private static boolean unreadable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("Unable to unmarshall")
                    || t.getClass().getName().contains("Json")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The simple names of the exception and its causes, e.g. {@code SdkClientException < ConnectException}. */
    private static String types(Throwable e) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            out.append(depth == 0 ? "" : " < ").append(t.getClass().getSimpleName());
        }
        return out.toString();
    }

    /** A per-item error of a batch answer ({@code BatchGetSecretValue}'s {@code Errors}), by its error code. */
    public static SecretException map(String code, String message, SecretRef ref) {
        // No HTTP status of its own: a code the table does not know is a refusal.
        return byCode(String.valueOf(code), code + ": " + safe(message), 0, ref, null);
    }

    /**
     * What an AWS error code says, whichever of KMS, Secrets Manager and Parameter Store sent it. Only
     * {@link #THROTTLED}, {@link #TIMEOUT} and {@link #UNAVAILABLE} are availability: a Multi-Region key fails over
     * to the next region on them and a store serves its last good value within {@code max-stale}; every other
     * meaning is the service's answer, given again wherever and whenever it is asked.
     */
    enum Meaning {
        /** Not authenticated, or not allowed: {@code ACCESS_DENIED}. */
        DENIED,
        /** The key cannot decrypt this, or is not a key for this: {@code WRONG_KEY}. */
        WRONG_KEY,
        /** The key is disabled, pending deletion or in a state that refuses the call: {@code KEY_DISABLED}. */
        KEY_DISABLED,
        /** No such secret, parameter or version ({@code NOT_FOUND}); for a key, {@code UNKNOWN_KEY}. */
        NOT_FOUND,
        /** The service refused the request as invalid: {@code CONFIGURATION}. */
        REFUSED,
        THROTTLED,
        TIMEOUT,
        UNAVAILABLE
    }

    /**
     * The error codes of the calls mp-secrets makes, from the AWS API references: the errors common to all AWS
     * services (and the SDK's throttling codes), KMS's {@code Decrypt} and {@code GenerateDataKey}, Secrets
     * Manager's {@code GetSecretValue}, {@code BatchGetSecretValue} and {@code DescribeSecret}, Parameter Store's
     * {@code GetParameter}, {@code GetParameters}, {@code GetParametersByPath} and {@code DescribeParameters}. A code
     * not here is read by its HTTP status ({@link #byStatus}).
     */
    static final Map<String, Meaning> CODES = Map.ofEntries(
            // Common to all AWS services: who is asking, and is the request well formed.
            Map.entry("AccessDeniedException", Meaning.DENIED),
            Map.entry("AccessDenied", Meaning.DENIED),
            Map.entry("NotAuthorized", Meaning.DENIED),
            Map.entry("OptInRequired", Meaning.DENIED),
            Map.entry("UnrecognizedClientException", Meaning.DENIED),
            Map.entry("InvalidClientTokenId", Meaning.DENIED),
            Map.entry("MissingAuthenticationToken", Meaning.DENIED),
            Map.entry("MissingAuthenticationTokenException", Meaning.DENIED),
            Map.entry("IncompleteSignature", Meaning.DENIED),
            Map.entry("IncompleteSignatureException", Meaning.DENIED),
            Map.entry("InvalidSignatureException", Meaning.DENIED),
            Map.entry("SignatureDoesNotMatch", Meaning.DENIED),
            Map.entry("ExpiredTokenException", Meaning.DENIED),
            Map.entry("ExpiredToken", Meaning.DENIED),
            // A request signed more than 15 minutes ago (or ahead): the clock is wrong, asking again will not do.
            Map.entry("RequestExpired", Meaning.DENIED),
            Map.entry("ValidationException", Meaning.REFUSED),
            Map.entry("ValidationError", Meaning.REFUSED),
            Map.entry("SerializationException", Meaning.REFUSED),
            Map.entry("InvalidAction", Meaning.REFUSED),
            Map.entry("UnknownOperationException", Meaning.REFUSED),
            Map.entry("MissingAction", Meaning.REFUSED),
            Map.entry("MissingParameter", Meaning.REFUSED),
            Map.entry("InvalidParameterValue", Meaning.REFUSED),
            Map.entry("InvalidParameterCombination", Meaning.REFUSED),
            Map.entry("InvalidQueryParameter", Meaning.REFUSED),
            Map.entry("MalformedQueryString", Meaning.REFUSED),
            Map.entry("MalformedHttpRequestException", Meaning.REFUSED),
            Map.entry("RequestEntityTooLargeException", Meaning.REFUSED),
            Map.entry("InternalFailure", Meaning.UNAVAILABLE),
            Map.entry("ServiceUnavailable", Meaning.UNAVAILABLE),
            Map.entry("ServiceUnavailableException", Meaning.UNAVAILABLE),
            Map.entry("RequestTimeoutException", Meaning.TIMEOUT),
            // Throttling, as the SDK's retries know it (AwsErrorCode.THROTTLING_ERROR_CODES).
            Map.entry("ThrottlingException", Meaning.THROTTLED),
            Map.entry("Throttling", Meaning.THROTTLED),
            Map.entry("ThrottledException", Meaning.THROTTLED),
            Map.entry("TooManyRequestsException", Meaning.THROTTLED),
            Map.entry("RequestLimitExceeded", Meaning.THROTTLED),
            Map.entry("RequestThrottled", Meaning.THROTTLED),
            Map.entry("RequestThrottledException", Meaning.THROTTLED),
            Map.entry("SlowDown", Meaning.THROTTLED),
            Map.entry("ProvisionedThroughputExceededException", Meaning.THROTTLED),
            Map.entry("BandwidthLimitExceeded", Meaning.THROTTLED),
            // KMS Decrypt and GenerateDataKey.
            Map.entry("NotFoundException", Meaning.NOT_FOUND),
            Map.entry("DisabledException", Meaning.KEY_DISABLED),
            Map.entry("KMSInvalidStateException", Meaning.KEY_DISABLED),
            Map.entry("InvalidCiphertextException", Meaning.WRONG_KEY),
            Map.entry("IncorrectKeyException", Meaning.WRONG_KEY),
            // A key whose KeyUsage or key spec is not symmetric encryption: not a key for data keys.
            Map.entry("InvalidKeyUsageException", Meaning.WRONG_KEY),
            // A grant token is a permission; mp-secrets sends none, so KMS refusing one is a denial.
            Map.entry("InvalidGrantTokenException", Meaning.DENIED),
            // mp-secrets never asks for a dry run: an answer that says it did is not one to act on.
            Map.entry("DryRunOperationException", Meaning.REFUSED),
            Map.entry("DependencyTimeoutException", Meaning.TIMEOUT),
            Map.entry("KMSInternalException", Meaning.UNAVAILABLE),
            // A key in a custom key store whose HSMs or proxy cannot be reached (HTTP 500, "you can retry").
            Map.entry("KeyUnavailableException", Meaning.UNAVAILABLE),
            // Secrets Manager GetSecretValue, BatchGetSecretValue, DescribeSecret.
            Map.entry("ResourceNotFoundException", Meaning.NOT_FOUND),
            // Answered for a secret scheduled for deletion.
            Map.entry("InvalidRequestException", Meaning.NOT_FOUND),
            // Secrets Manager could not decrypt the secret with its KMS key (usually: no kms:Decrypt on it).
            Map.entry("DecryptionFailure", Meaning.WRONG_KEY),
            Map.entry("InvalidParameterException", Meaning.REFUSED),
            Map.entry("InvalidNextTokenException", Meaning.REFUSED),
            Map.entry("InternalServiceError", Meaning.UNAVAILABLE),
            // Parameter Store GetParameter(s), GetParametersByPath, DescribeParameters.
            Map.entry("ParameterNotFound", Meaning.NOT_FOUND),
            Map.entry("ParameterVersionNotFound", Meaning.NOT_FOUND),
            // The SecureString's KMS key is not valid (disabled, deleted, not allowed).
            Map.entry("InvalidKeyId", Meaning.KEY_DISABLED),
            Map.entry("InvalidFilterKey", Meaning.REFUSED),
            Map.entry("InvalidFilterOption", Meaning.REFUSED),
            Map.entry("InvalidFilterValue", Meaning.REFUSED),
            Map.entry("InvalidNextToken", Meaning.REFUSED),
            Map.entry("InternalServerError", Meaning.UNAVAILABLE));

    /**
     * A code the table does not know, by the HTTP status it came with: a 5xx is the service failing, 408 and 429 a
     * time-out and throttling; any other status (a 4xx, or a 3xx from something that is not AWS) is a refusal, which
     * neither fails over nor serves a stale value: a denial for 401 and 403, otherwise a request refused as invalid.
     */
    static Meaning byStatus(int status) {
        if (status >= 500) {
            return Meaning.UNAVAILABLE;
        }
        return switch (status) {
            case 408 -> Meaning.TIMEOUT;
            case 429 -> Meaning.THROTTLED;
            case 401, 403 -> Meaning.DENIED;
            default -> Meaning.REFUSED;
        };
    }

    private static SecretException byCode(String code, String detail, int status, SecretRef ref, Throwable e) {
        Meaning known = CODES.get(code);
        Meaning meaning = known != null ? known : byStatus(status);
        String what =
                known != null ? detail : "unexpected answer " + detail + (status > 0 ? " (HTTP " + status + ")" : "");
        return switch (meaning) {
            case DENIED -> new SecretAccessDeniedException(ref, what, e);
            case WRONG_KEY -> new DecryptionFailedException(FailureReason.WRONG_KEY, ref, what, e);
            case KEY_DISABLED -> new KeyDisabledException(ref, what, e);
            case NOT_FOUND ->
                ref.keyId() != null ? new UnknownKeyException(ref, what, e) : new SecretNotFoundException(ref, what);
            case REFUSED -> new ConfigurationException(ref, what, e);
            case THROTTLED -> new ServiceUnavailableException(FailureReason.THROTTLED, ref, what, e);
            case TIMEOUT -> new ServiceUnavailableException(FailureReason.TIMEOUT, ref, what, e);
            case UNAVAILABLE -> new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, what, e);
        };
    }

    /** AWS text made safe for one log line: control characters out, length capped. */
    static String safe(String text) {
        if (text == null) {
            return "";
        }
        String capped = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return LogSafe.escape(capped);
    }
}
