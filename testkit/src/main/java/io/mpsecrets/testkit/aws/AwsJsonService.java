package io.mpsecrets.testkit.aws;

import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import jakarta.json.JsonObject;

/**
 * A mock AWS service speaking JSON 1.1 ({@code X-Amz-Target: <prefix><Operation>}). The server hands it each call
 * with the caller (the access key id of the SigV4 credential); faults and counters apply before the operation runs.
 */
public abstract class AwsJsonService {

    private final String targetPrefix;
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();

    protected AwsJsonService(String targetPrefix) {
        this.targetPrefix = targetPrefix;
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public Faults faults() {
        return faults;
    }

    public CallCounter counter() {
        return counter;
    }

    /** Calls of {@code operation} so far. */
    public long calls(String operation) {
        return counter.calls(operation);
    }

    /** The error this service answers a throttled call with. */
    protected String throttlingType() {
        return "ThrottlingException";
    }

    /** The error this service answers an internal failure with (HTTP 500). */
    protected abstract String internalErrorType();

    /** Runs one operation; the answer is the response body. */
    public abstract JsonObject call(String operation, JsonObject request, String principal) throws AwsError;

    /** Counts, applies faults, then runs the operation. */
    public final JsonObject handle(String operation, JsonObject request, String principal) throws AwsError {
        counter.count(operation);
        Faults.Action action;
        try {
            action = faults.apply(operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsError(500, internalErrorType(), "interrupted");
        }
        switch (action) {
            case THROTTLE:
                throw AwsError.badRequest(throttlingType(), "Rate exceeded");
            case RESET:
                throw new Faults.ConnectionReset();
            case INTERNAL_ERROR:
                throw new AwsError(
                        500,
                        internalErrorType(),
                        "The request processing has failed because of an unknown error, exception or failure.");
            default:
                return call(operation, request, principal);
        }
    }
}
