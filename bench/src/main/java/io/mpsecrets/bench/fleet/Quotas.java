package io.mpsecrets.bench.fleet;

/**
 * Calls a second per account and region. {@link #AWS}: AWS Secrets Manager's published quotas
 * ({@code GetSecretValue} 10,000, {@code DescribeSecret} 40,000, {@code BatchGetSecretValue} 100, not adjustable)
 * and KMS's shared quota for symmetric cryptographic operations (5,500 in most regions).
 */
record Quotas(double batchGetSecretValue, double getSecretValue, double describeSecret, double kmsDecrypt) {

    static final Quotas AWS = new Quotas(100, 10_000, 40_000, 5_500);

    /** Secrets a second the store can serve at best: batches of {@code batchSize} and single reads together. */
    double secretsPerSecond(int batchSize) {
        return batchGetSecretValue * batchSize + getSecretValue;
    }
}
