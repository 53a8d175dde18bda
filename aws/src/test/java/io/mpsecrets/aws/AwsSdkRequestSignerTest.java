package io.mpsecrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.spi.AwsRequestSigner;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The AWS SDK's SigV4 signing that mpsecrets-aws lends other backends (Vault's aws login; the whole login is in
 * integration-tests' VaultLoginTest): found through ServiceLoader, the signature's headers added, temporary
 * credentials' session token sent, and no credentials a transient failure that names no key.
 */
class AwsSdkRequestSignerTest {

    private static final AwsRequestSigner.Request REQUEST = new AwsRequestSigner.Request(
            "POST",
            URI.create("https://sts.amazonaws.com/"),
            Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8")),
            "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8));

    @Test
    void itIsFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(AwsRequestSigner.class).findFirst())
                .get()
                .isInstanceOf(AwsSdkRequestSigner.class);
    }

    @Test
    void theSignatureHeadersAreAddedAndTheSecretKeyIsNotAmongThem() {
        AwsSdkRequestSigner signer = new AwsSdkRequestSigner(StaticCredentialsProvider.create(
                AwsSessionCredentials.create("AKIDORDERS", "secret-" + LeakGuard.CANARY, "session-token")));
        Map<String, List<String>> signed = signer.sign(REQUEST, "us-east-1", "sts");
        assertThat(signed.get("Authorization"))
                .singleElement()
                .asString()
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDORDERS/")
                .contains("/us-east-1/sts/aws4_request");
        assertThat(signed).containsKeys("X-Amz-Date", "Host", "Content-Type");
        assertEquals(List.of("session-token"), signed.get("X-Amz-Security-Token"));
        LeakGuard.assertNoLeak(signed, signer);
    }

    @Test
    void noCredentialsIsATransientFailureNamingNoKey() {
        AwsSdkRequestSigner signer = new AwsSdkRequestSigner(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        });
        ServiceUnavailableException e =
                assertThrows(ServiceUnavailableException.class, () -> signer.sign(REQUEST, "us-east-1", "sts"));
        assertEquals(FailureReason.UNAVAILABLE, e.reason());
        assertThat(e.getMessage()).contains("no AWS credentials", "SdkClientException");
    }

    @Test
    void longTermCredentialsSendNoSessionToken() {
        AwsSdkRequestSigner signer = new AwsSdkRequestSigner(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDORDERS", "k-" + LeakGuard.CANARY)));
        Map<String, List<String>> signed = signer.sign(REQUEST, "eu-west-1", "sts");
        assertThat(signed).containsKey("Authorization").doesNotContainKey("X-Amz-Security-Token");
        LeakGuard.assertNoLeak(signed);
    }
}
