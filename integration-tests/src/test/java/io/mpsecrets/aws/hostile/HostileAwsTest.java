package io.mpsecrets.aws.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.secretsmanager.AwsSecretsManagerStore;
import io.mpsecrets.aws.ssm.SsmParameterStore;
import io.mpsecrets.crypto.AesGcm;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AWS answering as a broken or hostile endpoint would. Defect 4: a malformed Secrets Manager answer was quoted, secret
 * and all, by the SDK's "Unable to unmarshall response" in our message and in the SDK cause we kept. Defect 5: an
 * answer of any size was read whole. Defect 8: a KMS {@code Plaintext} of 31 bytes, or none, escaped as an unchecked
 * exception and was not audited. Each is a typed failure that carries nothing of the answer.
 */
class HostileAwsTest {

    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final SsmParameterStore.Listing LISTING =
            SsmParameterStore.Listing.read("mpsecrets.ssm.", name -> Optional.empty());
    private HostileHttpServer server;
    private final MpConfigs configs = new MpConfigs();
    private final AuditRecorder audit = new AuditRecorder();

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
        if (server != null) {
            server.close();
        }
    }

    private AwsClientSettings settings(String prefix) {
        Map<String, String> values = Map.of(
                prefix + "region",
                "us-east-1",
                prefix + "endpoint",
                server.endpoint().toString(),
                prefix + "profile",
                TestProfiles.WORKER1,
                prefix + "max-attempts",
                "1",
                prefix + "timeout",
                "PT2S");
        return AwsClientSettings.read(prefix, name -> Optional.ofNullable(values.get(name)));
    }

    private static void assertNothingOfTheAnswer(Throwable e) {
        LeakGuard.assertNoLeak(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(LeakGuard.CANARY)
                    .doesNotContain("Unrecognized token");
        }
    }

    @Test
    void aMalformedSecretsManagerAnswerIsNeverQuoted() {
        server = HostileHttpServer.start(HostileHttpServer.json(
                200,
                "{\"ARN\":\"arn:x\",\"Name\":\"prod/db\",\"SecretString\":" + LeakGuard.CANARY
                        + "x,\"VersionId\":\"v1\"}"));
        try (AwsSecretsManagerStore store = AwsSecretsManagerStore.create(settings("mpsecrets.aws."))) {
            SecretException e = assertThrows(SecretException.class, () -> store.fetch(SecretId.of("prod/db")));
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
            assertNothingOfTheAnswer(e);
        }
    }

    @Test
    void anAnswerLargerThanTheLimitIsRefusedNotRead() {
        server = HostileHttpServer.start(
                HostileHttpServer.huge(200, "{\"Name\":\"prod/db\",\"SecretString\":\"", 'a', "\"}", 20L << 20));
        try (AwsSecretsManagerStore store = AwsSecretsManagerStore.create(settings("mpsecrets.aws."))) {
            SecretException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> assertThrows(SecretException.class, () -> store.fetch(SecretId.of("prod/db"))));
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
            assertThat(e.getMessage()).contains("larger than");
        }
    }

    /** Makes ENC values under an AWS-looking key without AWS: the hostile KMS decides what unwrapping them gives. */
    private static final class OfflineKms implements KeyManagementService {
        @Override
        public String name() {
            return "offline";
        }

        @Override
        public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
            return new GeneratedDataKey(keyId, new byte[] {1, 2, 3, 4}, DataKey.copyOf(AesGcm.randomKey()));
        }

        @Override
        public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aKmsDataKeyOfTheWrongLengthOrNoneIsATypedAuditedFailure() {
        String encrypted;
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(new OfflineKms(), KEY_ARN, EncryptionContext.forApplication("default"))) {
            encrypted = encryptor.encrypt(("pw-" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8), "db.password");
        }
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        for (String answer : new String[] {
            "{\"KeyId\":\"" + KEY_ARN + "\",\"Plaintext\":\"" + shortKey + "\"}", "{\"KeyId\":\"" + KEY_ARN + "\"}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, answer));
            SmallRyeConfig config = configs.build(Map.of(
                    "mpsecrets.kms",
                    "aws",
                    "mpsecrets.kms.aws.region",
                    "us-east-1",
                    "mpsecrets.kms.aws.endpoint",
                    server.endpoint().toString(),
                    "mpsecrets.kms.aws.profile",
                    TestProfiles.WORKER1,
                    "db.password",
                    encrypted));
            SecretException e = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
            assertEquals(FailureReason.INVALID_VALUE, e.reason(), answer);
            assertThat(e.getMessage()).contains("property=db.password", "key=" + KEY_ARN);
            server.close();
        }
        assertThat(audit.events("failure"))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("reason=INVALID_VALUE"));
    }

    @Test
    void parameterStoreAnswersThatAreMalformedEmptyOrHugeAreTypedAndNeverQuoted() {
        for (String answer : new String[] {
            "{\"Parameter\":{\"Name\":\"/p/db\",\"Value\":" + LeakGuard.CANARY + "x,\"Version\":1}}",
            "{\"Parameter\":{\"Name\":\"/p/db\",\"Version\":1}}",
            "{}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, answer));
            try (SsmParameterStore store =
                    SsmParameterStore.create(settings("mpsecrets.ssm."), Optional.of("/p"), LISTING)) {
                SecretException e = assertThrows(SecretException.class, () -> store.fetch(SecretId.of("/p/db")));
                assertEquals(FailureReason.INVALID_VALUE, e.reason(), answer);
                assertNothingOfTheAnswer(e);
            }
            server.close();
        }
        server = HostileHttpServer.start(
                HostileHttpServer.huge(200, "{\"Parameter\":{\"Name\":\"/p/db\",\"Value\":\"", 'a', "\"}}", 20L << 20));
        try (SsmParameterStore store =
                SsmParameterStore.create(settings("mpsecrets.ssm."), Optional.of("/p"), LISTING)) {
            SecretException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> assertThrows(SecretException.class, () -> store.fetch(SecretId.of("/p/db"))));
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
        }
    }

    @Test
    void aParameterListingThatNeverEndsIsCutOff() {
        // Every page says there is another: the listing stops at its bound instead of walking forever.
        server = HostileHttpServer.start(HostileHttpServer.json(
                200, "{\"Parameters\":[{\"Name\":\"/p/a\",\"Value\":\"x\",\"Version\":1}],\"NextToken\":\"more\"}"));
        try (SsmParameterStore store =
                SsmParameterStore.create(settings("mpsecrets.ssm."), Optional.of("/p"), LISTING)) {
            SecretException e = assertTimeoutPreemptively(
                    Duration.ofSeconds(60), () -> assertThrows(SecretException.class, store::list));
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
            assertThat(e.getMessage()).contains("pages");
        }
    }

    /** An application whose only source of properties is Parameter Store's listing of {@code /p}. */
    private SmallRyeConfig listing(Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(settings);
        values.put("mpsecrets.sources", "ssm");
        values.put("mpsecrets.ssm.path", "/p");
        values.put("mpsecrets.ssm.region", "us-east-1");
        values.put("mpsecrets.ssm.endpoint", server.endpoint().toString());
        values.put("mpsecrets.ssm.profile", TestProfiles.WORKER1);
        values.put("mpsecrets.ssm.max-attempts", "1");
        return configs.build(values);
    }

    /** A {@code GetParametersByPath} page of {@code count} parameters named {@code /p/<i>-aaa...}, with a NextToken. */
    private static String page(int count, int nameLength) {
        StringBuilder out = new StringBuilder("{\"Parameters\":[");
        for (int i = 0; i < count; i++) {
            String name = "/p/" + i + "-";
            out.append(i == 0 ? "" : ",")
                    .append("{\"Name\":\"")
                    .append(name)
                    .append("a".repeat(Math.max(1, nameLength - name.length())))
                    .append("\",\"Type\":\"String\",\"Value\":\"x\",\"Version\":1}");
        }
        return out.append("],\"NextToken\":\"more\"}").toString();
    }

    /**
     * Issue 23, item 2: the page count of the listing was bounded, the names kept were not. An endpoint answering
     * ~2 MiB pages with a NextToken ran the heap out (OutOfMemoryError after 73 pages at -Xmx384m), and start-up
     * failed with an IllegalStateException around it. Pages of 100 names of 1,000 bytes here: the listing stops at
     * {@code max-list-size} (1 MiB by default), on its 11th page, with a typed error naming the store and the bound.
     */
    @Test
    void aParameterListingLargerThanMaxListSizeFailsStartUpTyped() {
        server = HostileHttpServer.start(HostileHttpServer.json(200, page(100, 1_000)));
        SecretException e = assertThrows(SecretException.class, () -> listing(Map.of()));
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("backend=ssm", "secret=/p", "mpsecrets.ssm.max-list-size", "1 MiB");
        assertEquals(11, server.requests());
    }

    @Test
    void aParameterListingOfMoreThanMaxParametersFailsStartUpTyped() {
        server = HostileHttpServer.start(HostileHttpServer.json(200, page(10, 10)));
        SecretException e =
                assertThrows(SecretException.class, () -> listing(Map.of("mpsecrets.ssm.max-parameters", "25")));
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("backend=ssm", "secret=/p", "more than 25 parameters", "max-parameters");
        assertEquals(3, server.requests());
    }

    @Test
    void aParameterListingOfAsManyAsTheBoundsAllowIsServedWhole() {
        // Pages of 10, 10 and 5 parameters, the last without a NextToken: exactly max-parameters.
        AtomicInteger pages = new AtomicInteger();
        server = HostileHttpServer.start(out -> {
            int n = pages.incrementAndGet();
            String page = page(n < 3 ? 10 : 5, 10).replace("/p/", "/p/page" + n + "/");
            HostileHttpServer.json(200, n < 3 ? page : page.replace(",\"NextToken\":\"more\"", ""))
                    .write(out);
        });
        SsmParameterStore.Listing bounds = SsmParameterStore.Listing.read(
                "mpsecrets.ssm.",
                name -> Optional.ofNullable(
                        Map.of("mpsecrets.ssm.max-parameters", "25").get(name)));
        try (SsmParameterStore store =
                SsmParameterStore.create(settings("mpsecrets.ssm."), Optional.of("/p"), bounds)) {
            assertThat(store.list()).hasSize(25).doesNotHaveDuplicates().allMatch(name -> name.startsWith("/p/page"));
        }
        assertEquals(3, server.requests());
    }

    @Test
    void theListingBoundsAreReadFromTheirSettings() {
        assertThat(LISTING.maxParameters()).isEqualTo(10_000);
        assertThat(LISTING.maxSize()).isEqualTo(1024 * 1024);
        assertThat(LISTING.maxPages()).isEqualTo(2_000);
        Map<String, String> most = Map.of("mpsecrets.ssm.max-parameters", String.valueOf(Integer.MAX_VALUE));
        assertThat(SsmParameterStore.Listing.read("mpsecrets.ssm.", name -> Optional.ofNullable(most.get(name)))
                        .maxPages())
                .isEqualTo(Integer.MAX_VALUE / 10 + 1 + 1_000);
        for (Map<String, String> wrong :
                List.of(Map.of("mpsecrets.ssm.max-parameters", "0"), Map.of("mpsecrets.ssm.max-list-size", "lots"))) {
            SecretException e = assertThrows(
                    SecretException.class,
                    () -> SsmParameterStore.Listing.read(
                            "mpsecrets.ssm.", name -> Optional.ofNullable(wrong.get(name))));
            assertEquals(FailureReason.CONFIGURATION, e.reason());
            assertThat(e.getMessage()).contains(wrong.keySet().iterator().next());
        }
    }

    /** A parameter listed without a name (or a blank one, or one outside the path) was a NullPointerException. */
    @Test
    void aParameterListedWithoutANameOrOutsideThePathIsTyped() {
        for (String parameter : new String[] {
            "{\"Value\":\"x\"}", "{\"Name\":\"\"}", "{\"Name\":\"/p/ \"}", "{\"Name\":\"/elsewhere/db\"}"
        }) {
            server = HostileHttpServer.start(HostileHttpServer.json(200, "{\"Parameters\":[" + parameter + "]}"));
            SecretException e = assertThrows(SecretException.class, () -> listing(Map.of()), parameter);
            assertEquals(FailureReason.INVALID_VALUE, e.reason(), parameter);
            assertThat(e.getMessage()).contains("backend=ssm", "secret=/p", "Parameter Store listed a parameter");
            server.close();
        }
    }

    /**
     * BatchGetSecretValue followed its NextToken for as long as the endpoint gave one: start-up hung until
     * {@code startup-timeout}, and the fetching thread went on calling. Now a batch of n secrets takes n + 1 pages at
     * most.
     */
    @Test
    void aSecretsManagerBatchThatNeverEndsIsCutOff() {
        server = HostileHttpServer.start(
                HostileHttpServer.json(200, "{\"SecretValues\":[],\"Errors\":[],\"NextToken\":\"more\"}"));
        SecretException e = assertThrows(
                SecretException.class,
                () -> configs.build(Map.of(
                        "mpsecrets.sources", "aws",
                        "mpsecrets.aws.secrets", "prod/db,prod/api",
                        "mpsecrets.aws.region", "us-east-1",
                        "mpsecrets.aws.endpoint", server.endpoint().toString(),
                        "mpsecrets.aws.profile", TestProfiles.WORKER1,
                        "mpsecrets.aws.max-attempts", "1",
                        "mpsecrets.aws.startup-timeout", "PT5S")));
        assertEquals(FailureReason.INVALID_VALUE, e.reason());
        assertThat(e.getMessage()).contains("backend=aws", "more than 3 pages for 2 secrets");
        assertEquals(3, server.requests());
    }

    /**
     * DescribeParameters answers on a best-effort basis, a page short or empty with a NextToken: only its first page
     * was read, so a rotation check of a parameter on the second was NOT_FOUND. It is followed for 10 pages now.
     */
    @Test
    void aParameterDescribedOnALaterPageIsFoundAndAnEndlessDescriptionIsCutOff() {
        AtomicInteger described = new AtomicInteger();
        server = HostileHttpServer.start(out -> HostileHttpServer.json(
                        200,
                        described.incrementAndGet() == 1
                                ? "{\"Parameters\":[],\"NextToken\":\"more\"}"
                                : "{\"Parameters\":[{\"Name\":\"/p/db\",\"Type\":\"SecureString\",\"Version\":7}]}")
                .write(out));
        try (SsmParameterStore store =
                SsmParameterStore.create(settings("mpsecrets.ssm."), Optional.of("/p"), LISTING)) {
            assertEquals(Optional.of("7"), store.currentVersion(SecretId.of("/p/db")));
            assertEquals(2, server.requests());

            server.fallback(HostileHttpServer.json(200, "{\"Parameters\":[],\"NextToken\":\"more\"}"));
            SecretException e = assertThrows(SecretException.class, () -> store.currentVersion(SecretId.of("/p/db")));
            assertEquals(FailureReason.INVALID_VALUE, e.reason());
            assertThat(e.getMessage()).contains("backend=ssm", "secret=/p/db", "10 pages");
            assertEquals(12, server.requests());
        }
    }

    private static HostileHttpServer.Answer refusal(String code, int status) {
        return HostileHttpServer.json(status, "{\"__type\":\"" + code + "\",\"message\":\"refused\"}");
    }

    /**
     * Issue 23, item 3: a refusal the error table did not know was {@code UNAVAILABLE}, and a store served the last
     * value for {@code max-stale} (an hour by default) after the service had refused it. The value is read once, the
     * TTL passes, and the refresh is refused.
     */
    @ParameterizedTest
    @CsvSource({
        "InvalidClientTokenId, 403, ACCESS_DENIED",
        "MissingAuthenticationTokenException, 403, ACCESS_DENIED",
        "IncompleteSignatureException, 400, ACCESS_DENIED",
        "SomeFutureRefusalException, 400, CONFIGURATION"
    })
    void aRefusalAfterStartUpIsNeverServedStale(String code, int status, FailureReason reason) throws Exception {
        server = HostileHttpServer.start(HostileHttpServer.json(
                200,
                "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf\",\"Name\":\"prod/db\","
                        + "\"SecretString\":\"aws-" + LeakGuard.CANARY + "\",\"VersionId\":\"v1\"}"));
        SmallRyeConfig aws = configs.build(Map.of(
                "db.password", "${aws::prod/db}",
                "mpsecrets.aws.region", "us-east-1",
                "mpsecrets.aws.endpoint", server.endpoint().toString(),
                "mpsecrets.aws.profile", TestProfiles.WORKER1,
                "mpsecrets.aws.max-attempts", "1",
                "mpsecrets.aws.ttl", "PT0.1S",
                // The read path's refresh (a batched round would audit its own refused check, the value not renewed).
                "mpsecrets.aws.rotation-check", "describe"));
        assertEquals("aws-" + LeakGuard.CANARY, aws.getValue("db.password", String.class));

        server.fallback(HostileHttpServer.json(
                200, "{\"Parameter\":{\"Name\":\"/p/db\",\"Value\":\"ssm-" + LeakGuard.CANARY + "\",\"Version\":1}}"));
        SmallRyeConfig ssm = configs.build(Map.of(
                "db.password", "${ssm::/p/db}",
                "mpsecrets.ssm.region", "us-east-1",
                "mpsecrets.ssm.endpoint", server.endpoint().toString(),
                "mpsecrets.ssm.profile", TestProfiles.WORKER1,
                "mpsecrets.ssm.max-attempts", "1",
                "mpsecrets.ssm.ttl", "PT0.1S",
                "mpsecrets.ssm.rotation-check", "describe"));
        assertEquals("ssm-" + LeakGuard.CANARY, ssm.getValue("db.password", String.class));

        server.fallback(refusal(code, status));
        Thread.sleep(150); // past the TTL of both
        for (SmallRyeConfig config : List.of(aws, ssm)) {
            SecretException e = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
            assertEquals(reason, e.reason());
            assertThat(e.getMessage()).contains(code);
            LeakGuard.assertNoLeak(e);
        }
        assertThat(audit.events("failure")).noneMatch(line -> line.contains("outcome=stale"));
    }
}
