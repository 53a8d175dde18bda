package io.mpsecrets.aws;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.spi.AwsRequestSigner;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The {@link AwsRequestSigner} of {@code mpsecrets-aws}: the AWS SDK's SigV4 signer ({@link AwsV4HttpSigner}) with the
 * credentials of its default chain (resolved at each signing, so that refreshed role credentials are used), for
 * backends that prove the application's AWS identity (Vault's {@code aws} login). Found through
 * {@code META-INF/services}; one chain per instance.
 */
public final class AwsSdkRequestSigner implements AwsRequestSigner {

    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public AwsSdkRequestSigner() {
        this(DefaultCredentialsProvider.builder().build());
    }

    AwsSdkRequestSigner(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    @Override
    public Map<String, List<String>> sign(Request request, String region, String service) {
        AwsCredentialsIdentity identity;
        try {
            AwsCredentials resolved = credentials.resolveCredentials();
            identity = resolved instanceof AwsSessionCredentials session
                    ? AwsSessionCredentialsIdentity.create(
                            session.accessKeyId(), session.secretAccessKey(), session.sessionToken())
                    : AwsCredentialsIdentity.create(resolved.accessKeyId(), resolved.secretAccessKey());
        } catch (SdkException e) {
            // The chain's own message names where it looked, never a key; the instance metadata service may answer
            // on the next attempt.
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    SecretRef.NONE,
                    "no AWS credentials from the AWS SDK's default chain to sign with ("
                            + e.getClass().getSimpleName() + ")",
                    null);
        }
        SdkHttpRequest.Builder http = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(request.uri());
        request.headers().forEach(http::putHeader);
        byte[] body = request.body();
        return signer.sign(r -> r.identity(identity)
                        .request(http.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region))
                .request()
                .headers();
    }

    @Override
    public String toString() {
        return "AwsSdkRequestSigner[default chain]";
    }
}
