package io.mpsecrets.aws;

import io.mpsecrets.api.backend.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to reach an AWS service: region, endpoint override (a mock, a VPC endpoint, LocalStack), credentials profile,
 * time limit per call and attempts, and the largest answer read. Unset region and credentials come from the SDK's
 * default chains (environment,
 * system properties, profile files, container and instance roles).
 *
 * @param prefix the settings prefix, e.g. {@code mpsecrets.kms.aws.}, used in error messages
 */
public record AwsClientSettings(
        String prefix,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<String> profile,
        Duration timeout,
        int maxAttempts,
        long maxResponseSize) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /**
     * Room for a {@code BatchGetSecretValue} answer of 20 secrets of Secrets Manager's largest size (64 KiB, base64
     * for a binary one), and far more than any KMS answer.
     */
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 2 * 1024 * 1024;

    /** These settings for another region, reached at {@code endpoint} (or the region's own when empty). */
    public AwsClientSettings inRegion(String otherRegion, Optional<URI> otherEndpoint) {
        return new AwsClientSettings(
                prefix, Optional.of(otherRegion), otherEndpoint, profile, timeout, maxAttempts, maxResponseSize);
    }

    /** The names {@link #read} reads, relative to the prefix. */
    public static final java.util.Set<String> NAMES =
            java.util.Set.of("region", "endpoint", "profile", "timeout", "max-attempts", "max-response-size");

    /** {@link #NAMES} and a backend's own {@code more}. */
    public static java.util.Set<String> names(String... more) {
        java.util.Set<String> all = new java.util.TreeSet<>(NAMES);
        all.addAll(java.util.List.of(more));
        return java.util.Set.copyOf(all);
    }

    /** Reads {@code <prefix>region}, {@code endpoint}, {@code profile}, {@code timeout} and {@code max-attempts}. */
    public static AwsClientSettings read(String prefix, Function<String, Optional<String>> lookup) {
        Settings settings = new Settings(lookup);
        return new AwsClientSettings(
                prefix,
                settings.string(prefix + "region"),
                settings.url(prefix + "endpoint"),
                settings.string(prefix + "profile"),
                settings.duration(prefix + "timeout", DEFAULT_TIMEOUT),
                settings.intBetween(prefix + "max-attempts", 1, 20, DEFAULT_MAX_ATTEMPTS),
                settings.bytes(prefix + "max-response-size", DEFAULT_MAX_RESPONSE_SIZE));
    }
}
