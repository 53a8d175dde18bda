package io.mpsecrets.aws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.aws.secretsmanager.AwsSecretsManagerStore;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Fuzz target for what AWS answers: the real SDK v2 clients of Secrets Manager and KMS, configured as mp-secrets
 * configures them (answer size bound, one attempt), are given the fuzzer's bytes as the body of every answer, in
 * memory. Every call ends in a value or a {@link SecretException}; the SDK's own exceptions never escape.
 */
class AwsAnswersFuzzTest {

    private static final int[] STATUSES = {200, 200, 200, 400, 403, 500};
    private static byte[] body = new byte[0];
    private static int status = 200;

    /** Answers every request with the current body and status, without a network. */
    private static final SdkHttpClient IN_MEMORY = new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return InMemoryAnswers.answer(status, body);
        }

        @Override
        public void close() {}
    };

    private static final ClientOverrideConfiguration OVERRIDES = ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(new BoundedResponses(AwsClientSettings.DEFAULT_MAX_RESPONSE_SIZE, "fuzz"))
            .retryStrategy(r -> r.maxAttempts(1))
            .build();
    /** Anonymous: no request signing, which is not what is fuzzed here and would only slow each call. */
    private static final AnonymousCredentialsProvider CREDENTIALS = AnonymousCredentialsProvider.create();

    private static final AwsSecretsManagerStore STORE = new AwsSecretsManagerStore(SecretsManagerClient.builder()
            .httpClient(IN_MEMORY)
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:1"))
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(OVERRIDES)
            .build());
    private static final AwsKms KMS = new AwsKms(KmsClient.builder()
            .httpClient(IN_MEMORY)
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:1"))
            .credentialsProvider(CREDENTIALS)
            .overrideConfiguration(OVERRIDES)
            .build());
    private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /**
     * The first byte picks the status and the call (Secrets Manager get, batch get, describe; KMS decrypt, generate),
     * the rest is the answer's body: one SDK call per input.
     */
    @FuzzTest(maxDuration = "")
    void answer(byte[] input) {
        int selector = input.length == 0 ? 0 : input[0] & 0xff;
        status = STATUSES[selector % STATUSES.length];
        body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        try {
            switch ((selector / STATUSES.length) % 5) {
                case 0 -> STORE.fetch(SecretId.of("prod/db")).destroy();
                case 1 ->
                    STORE.fetchAll(List.of(SecretId.of("prod/db"), SecretId.of("prod/api")))
                            .values()
                            .forEach(v -> v.destroy());
                case 2 -> STORE.currentVersion(SecretId.of("prod/db"));
                case 3 ->
                    KMS.decrypt(KEY, new byte[] {1, 2, 3}, EncryptionContext.forApplication("fuzz"))
                            .destroy();
                default ->
                    KMS.generateDataKey(KEY, EncryptionContext.forApplication("fuzz"))
                            .dataKey()
                            .destroy();
            }
        } catch (SecretException expected) {
            // typed
        }
    }
}
