package io.mpsecrets.aws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.ssm.SsmParameterStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Fuzz target for Parameter Store's listing: the real SDK v2 {@code SsmClient}, configured as mp-secrets configures it
 * (answer size bound, one attempt), answers {@code GetParametersByPath} with the fuzzer's pages in turn, chained by
 * whatever {@code NextToken} they carry, and the provider lists {@code /p} (or {@code /}) through them, within small
 * bounds the fuzzer can reach. Every listing ends in names or a {@link SecretException}; the names it gives are within
 * the bounds, under the path, and usable as secret ids and property names.
 */
class ParameterListingFuzzTest {

    private static final int[] STATUSES = {200, 200, 200, 400, 403, 500};
    private static final String END = "{\"Parameters\":[]}";
    private static final SsmParameterStore.Listing BOUNDS = new SsmParameterStore.Listing("fuzz.", 50, 4096);

    /** The current input's pages: status and body of each answer, in order; past the last, an empty last page. */
    private static List<Integer> statuses = List.of();

    private static List<byte[]> bodies = List.of();
    private static int answered;

    /** Answers request n with page n, without a network. */
    private static final SdkHttpClient IN_MEMORY = new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            int n = answered++;
            int status = n < statuses.size() ? statuses.get(n) : 200;
            byte[] body = n < bodies.size() ? bodies.get(n) : END.getBytes(StandardCharsets.UTF_8);
            return InMemoryAnswers.answer(status, body);
        }

        @Override
        public void close() {}
    };

    private static final SsmClient CLIENT = SsmClient.builder()
            .httpClient(IN_MEMORY)
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:1"))
            // Anonymous: no request signing, which is not what is fuzzed here and would only slow each call.
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .overrideConfiguration(ClientOverrideConfiguration.builder()
                    .addExecutionInterceptor(new BoundedResponses(AwsClientSettings.DEFAULT_MAX_RESPONSE_SIZE, "fuzz"))
                    .retryStrategy(r -> r.maxAttempts(1))
                    .build())
            .build();
    private static final SsmParameterStore UNDER_P = new SsmParameterStore(CLIENT, Optional.of("/p"), BOUNDS);
    private static final SsmParameterStore UNDER_ROOT = new SsmParameterStore(CLIENT, Optional.of("/"), BOUNDS);

    /**
     * The input is pages separated by a zero byte; each page's first byte picks its status (that byte modulo 6), the
     * rest is its body. The input's first byte also picks the path: {@code /} when that byte divided by 6 is odd,
     * else {@code /p}. One listing per input.
     */
    @FuzzTest(maxDuration = "")
    void pages(byte[] input) {
        List<Integer> pageStatuses = new ArrayList<>();
        List<byte[]> pageBodies = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                int selector = i > from ? input[from] & 0xff : 0;
                pageStatuses.add(STATUSES[selector % STATUSES.length]);
                pageBodies.add(i > from ? Arrays.copyOfRange(input, from + 1, i) : new byte[0]);
                from = i + 1;
            }
        }
        statuses = pageStatuses;
        bodies = pageBodies;
        answered = 0;
        boolean root = input.length > 0 && ((input[0] & 0xff) / STATUSES.length) % 2 == 1;
        SsmParameterStore store = root ? UNDER_ROOT : UNDER_P;
        List<String> names;
        try {
            names = store.list();
        } catch (SecretException expected) {
            return;
        }
        if (answered > pageBodies.size() + 1 || answered > BOUNDS.maxPages()) {
            throw new AssertionError(answered + " requests for " + pageBodies.size() + " pages");
        }
        if (names.size() > BOUNDS.maxParameters()) {
            throw new AssertionError(names.size() + " names, over the bound");
        }
        long size = 0;
        for (String name : names) {
            size += name.getBytes(StandardCharsets.UTF_8).length;
            String below = root ? name : name.substring("/p/".length());
            if ((!root && !name.startsWith("/p/")) || below.isBlank()) {
                throw new AssertionError("a name not under the path was listed");
            }
            // As the config source uses them: a secret id, and a property name.
            SecretId.of(name);
            store.propertyName(name);
        }
        if (size > BOUNDS.maxSize()) {
            throw new AssertionError(size + " bytes of names, over the bound");
        }
    }
}
