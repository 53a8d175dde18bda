package io.mpsecrets.aws;

import io.mpsecrets.api.exception.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to reach an AWS service: region, endpoint override (a mock, a VPC endpoint, LocalStack), credentials profile,
 * time limit per call and attempts. Unset region and credentials come from the SDK's default chains (environment,
 * system properties, profile files, container and instance roles).
 *
 * @param prefix the settings prefix, e.g. {@code mpsecrets.kms.aws.}, used in error messages
 */
public record AwsClientSettings(String prefix, Optional<String> region, Optional<URI> endpoint, Optional<String> profile,
        Duration timeout, int maxAttempts) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** Reads {@code <prefix>region}, {@code endpoint}, {@code profile}, {@code timeout} and {@code max-attempts}. */
    public static AwsClientSettings read(String prefix, Function<String, Optional<String>> lookup) {
        Optional<String> region = nonBlank(lookup.apply(prefix + "region"));
        Optional<URI> endpoint = nonBlank(lookup.apply(prefix + "endpoint")).map(text -> uri(prefix + "endpoint", text));
        Optional<String> profile = nonBlank(lookup.apply(prefix + "profile"));
        Duration timeout = nonBlank(lookup.apply(prefix + "timeout")).map(text -> duration(prefix + "timeout", text))
                .orElse(DEFAULT_TIMEOUT);
        int attempts = nonBlank(lookup.apply(prefix + "max-attempts")).map(text -> attempts(prefix + "max-attempts", text))
                .orElse(DEFAULT_MAX_ATTEMPTS);
        return new AwsClientSettings(prefix, region, endpoint, profile, timeout, attempts);
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty());
    }

    private static URI uri(String name, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ConfigurationException(name + " must be an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name + " is not a URL");
        }
    }

    /** An ISO-8601 duration ({@code PT5S}) or a number of seconds. */
    public static Duration duration(String name, String text) {
        try {
            Duration parsed = text.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
            if (parsed.isNegative() || parsed.isZero()) {
                throw new ConfigurationException(name + " must be positive");
            }
            return parsed;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigurationException(name + " must be an ISO-8601 duration such as PT5S, or seconds");
        }
    }

    private static int attempts(String name, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 20) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigurationException(name + " must be a number from 1 to 20");
    }
}
