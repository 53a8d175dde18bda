package io.mpsecrets.aws;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
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
import java.io.IOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into typed mp-secrets failures, by AWS error code, after the SDK's own retries. The
 * detail names the AWS error code, request id and AWS's message (which names principals and resources, never
 * payloads).
 */
public final class AwsFailures {

    private AwsFailures() {}

    /**
     * The typed failure for an SDK exception. Neither the SDK's message nor the exception itself is kept: the SDK
     * quotes what it could not read ("Unable to unmarshall response (... Unrecognized token '...')"), which may be a
     * secret. The detail names the AWS error code, request id and AWS's own error message, or the types of what failed.
     */
    public static SecretException map(SdkException e, SecretRef ref) {
        BoundedResponses.TooLarge tooLarge = cause(e, BoundedResponses.TooLarge.class);
        if (tooLarge != null) {
            return new InvalidSecretValueException(ref, tooLarge.getMessage());
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
        String detail = code + ": " + safe(message);
        if (code != null && (code.equals("ThrottlingException") || code.equals("TooManyRequestsException"))) {
            return new ServiceUnavailableException(FailureReason.THROTTLED, ref, detail, null);
        }
        return byCode(String.valueOf(code), detail, 400, ref, null);
    }

    private static SecretException byCode(String code, String detail, int status, SecretRef ref, Throwable e) {
        switch (code) {
            case "AccessDeniedException":
            case "AccessDenied":
            case "UnrecognizedClientException":
            case "InvalidSignatureException":
            case "ExpiredTokenException":
                return new SecretAccessDeniedException(ref, detail, e);
            case "InvalidCiphertextException":
            case "IncorrectKeyException":
                return new DecryptionFailedException(FailureReason.WRONG_KEY, ref, detail, e);
            case "DecryptionFailure":
                // Secrets Manager could not decrypt the secret with its KMS key (usually: no kms:Decrypt on it).
                return new DecryptionFailedException(FailureReason.WRONG_KEY, ref, detail, e);
            case "DisabledException":
            case "InvalidKeyId":
            case "KMSInvalidStateException":
            case "KeyUnavailableException":
                return new KeyDisabledException(ref, detail, e);
            case "NotFoundException":
                return ref.keyId() != null
                        ? new UnknownKeyException(ref, detail, e)
                        : new SecretNotFoundException(ref, detail);
            case "ParameterNotFound":
            case "ParameterVersionNotFound":
            case "ResourceNotFoundException":
            case "InvalidRequestException":
                // Secrets Manager answers InvalidRequestException for a secret scheduled for deletion.
                return new SecretNotFoundException(ref, detail);
            case "ValidationException":
            case "InvalidParameterException":
                return new ConfigurationException(ref, detail, e);
            case "DependencyTimeoutException":
                return new ServiceUnavailableException(FailureReason.TIMEOUT, ref, detail, e);
            default:
                if (status >= 500) {
                    return new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, detail, e);
                }
                return new ServiceUnavailableException(
                        FailureReason.UNAVAILABLE, ref, "unexpected answer " + detail, e);
        }
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
