package io.mpsecrets.aws;

import io.mpsecrets.api.exception.ConfigurationException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** Configures AWS SDK v2 clients the same way for every service mp-secrets talks to. */
public final class AwsClients {

    private AwsClients() {}

    /**
     * Applies {@code settings}: the JDK URL-connection HTTP client, region, endpoint, credentials, the per-call time
     * limit, a bound on the size of every answer, and the standard retry strategy (exponential backoff with jitter for
     * throttling and 5xx).
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, AwsClientSettings settings) {
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(min(settings.timeout(), java.time.Duration.ofSeconds(5)))
                .socketTimeout(settings.timeout()));
        builder.region(region(settings));
        settings.endpoint().ifPresent(builder::endpointOverride);
        DefaultCredentialsProvider.Builder credentials = DefaultCredentialsProvider.builder();
        settings.profile().ifPresent(credentials::profileName);
        builder.credentialsProvider(credentials.build());
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(
                        new BoundedResponses(settings.maxResponseSize(), settings.prefix() + "max-response-size"))
                .apiCallTimeout(settings.timeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .build());
        return builder;
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Region region(AwsClientSettings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder()
                    .profileName(settings.profile().orElse(null))
                    .build()
                    .getRegion();
        } catch (SdkClientException e) {
            throw new ConfigurationException(
                    settings.prefix() + "region is not set and the AWS SDK found no default region"
                            + " (AWS_REGION, aws.region, or the profile's region)");
        }
    }
}
