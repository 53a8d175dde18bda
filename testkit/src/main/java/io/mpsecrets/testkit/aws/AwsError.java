package io.mpsecrets.testkit.aws;

/** An AWS JSON error answer: HTTP status, {@code __type} and message. */
public final class AwsError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    public AwsError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public static AwsError badRequest(String type, String message) {
        return new AwsError(400, type, message);
    }

    public static AwsError validation(String message) {
        return new AwsError(400, "ValidationException", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
