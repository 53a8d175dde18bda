package io.mpsecrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.aws.secretsmanager.AwsSecretsManagerStore;
import io.mpsecrets.aws.ssm.SsmParameterStore;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AWS error code in {@link AwsFailures#CODES}, and codes it does not know, as AWS sends them (status and JSON
 * body) to the real SDK clients of KMS, Secrets Manager and Parameter Store, and as a per-secret error of a
 * {@code BatchGetSecretValue} answer. Issue 23, item 3: every 4xx the table did not know was {@code UNAVAILABLE}, so
 * a Multi-Region key failed over, and the stores served a stale value, on {@code InvalidKeyUsageException},
 * {@code InvalidGrantTokenException}, {@code IncompleteSignatureException},
 * {@code MissingAuthenticationTokenException} and {@code InvalidClientTokenId}. Only 5xx, throttling and time-outs
 * are availability now.
 */
class AwsErrorCodesTest {

    /** Which client a code is sent to: the services whose API reference lists it, or all three. */
    enum Via {
        KMS,
        SECRETS_MANAGER,
        PARAMETER_STORE
    }

    /** An answer of {@code status} naming {@code code}, and what it must become. */
    record Answer(String code, int status, FailureReason reason, List<Via> via) {
        @Override
        public String toString() {
            return code + " " + status;
        }
    }

    private static final List<Via> ALL = List.of(Via.KMS, Via.SECRETS_MANAGER, Via.PARAMETER_STORE);
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String UNKNOWN = "SomeFutureRefusalException";

    private static HostileHttpServer server;
    private static AwsKms kms;
    private static AwsSecretsManagerStore secretsManager;
    private static SsmParameterStore parameterStore;

    private static Answer all(String code, int status, FailureReason reason) {
        return new Answer(code, status, reason, ALL);
    }

    private static Answer only(Via via, String code, int status, FailureReason reason) {
        return new Answer(code, status, reason, List.of(via));
    }

    /** The codes and statuses of the AWS API references (Common Errors, and each call's Errors). */
    static List<Answer> answers() {
        FailureReason denied = FailureReason.ACCESS_DENIED;
        FailureReason refused = FailureReason.CONFIGURATION;
        FailureReason down = FailureReason.UNAVAILABLE;
        FailureReason throttled = FailureReason.THROTTLED;
        List<Answer> answers = new ArrayList<>(List.of(
                // Common errors of all AWS services.
                all("AccessDeniedException", 400, denied),
                all("AccessDenied", 403, denied),
                all("NotAuthorized", 400, denied),
                all("OptInRequired", 403, denied),
                all("UnrecognizedClientException", 400, denied),
                all("InvalidClientTokenId", 403, denied),
                all("MissingAuthenticationToken", 403, denied),
                all("MissingAuthenticationTokenException", 403, denied),
                all("IncompleteSignature", 400, denied),
                all("IncompleteSignatureException", 400, denied),
                all("InvalidSignatureException", 400, denied),
                all("SignatureDoesNotMatch", 403, denied),
                all("ExpiredTokenException", 400, denied),
                all("ExpiredToken", 400, denied),
                all("RequestExpired", 400, denied),
                all("ValidationException", 400, refused),
                all("ValidationError", 400, refused),
                all("SerializationException", 400, refused),
                all("InvalidAction", 400, refused),
                all("UnknownOperationException", 404, refused),
                all("MissingAction", 400, refused),
                all("MissingParameter", 400, refused),
                all("InvalidParameterValue", 400, refused),
                all("InvalidParameterCombination", 400, refused),
                all("InvalidQueryParameter", 400, refused),
                all("MalformedQueryString", 404, refused),
                all("MalformedHttpRequestException", 400, refused),
                all("RequestEntityTooLargeException", 413, refused),
                all("InternalFailure", 500, down),
                all("ServiceUnavailable", 503, down),
                all("ServiceUnavailableException", 503, down),
                all("RequestTimeoutException", 408, FailureReason.TIMEOUT),
                all("ThrottlingException", 400, throttled),
                all("Throttling", 400, throttled),
                all("ThrottledException", 400, throttled),
                all("TooManyRequestsException", 400, throttled),
                all("RequestLimitExceeded", 400, throttled),
                all("RequestThrottled", 400, throttled),
                all("RequestThrottledException", 400, throttled),
                all("SlowDown", 503, throttled),
                all("ProvisionedThroughputExceededException", 400, throttled),
                all("BandwidthLimitExceeded", 400, throttled),
                // KMS Decrypt and GenerateDataKey.
                only(Via.KMS, "NotFoundException", 400, FailureReason.UNKNOWN_KEY),
                only(Via.KMS, "DisabledException", 400, FailureReason.KEY_DISABLED),
                only(Via.KMS, "KMSInvalidStateException", 409, FailureReason.KEY_DISABLED),
                only(Via.KMS, "InvalidCiphertextException", 400, FailureReason.WRONG_KEY),
                only(Via.KMS, "IncorrectKeyException", 400, FailureReason.WRONG_KEY),
                only(Via.KMS, "InvalidKeyUsageException", 400, FailureReason.WRONG_KEY),
                only(Via.KMS, "InvalidGrantTokenException", 400, denied),
                only(Via.KMS, "DryRunOperationException", 412, refused),
                only(Via.KMS, "DependencyTimeoutException", 503, FailureReason.TIMEOUT),
                only(Via.KMS, "KMSInternalException", 500, down),
                only(Via.KMS, "KeyUnavailableException", 500, down),
                // Secrets Manager GetSecretValue, BatchGetSecretValue, DescribeSecret.
                only(Via.SECRETS_MANAGER, "ResourceNotFoundException", 400, FailureReason.NOT_FOUND),
                only(Via.SECRETS_MANAGER, "InvalidRequestException", 400, FailureReason.NOT_FOUND),
                only(Via.SECRETS_MANAGER, "DecryptionFailure", 400, FailureReason.WRONG_KEY),
                only(Via.SECRETS_MANAGER, "InvalidParameterException", 400, refused),
                only(Via.SECRETS_MANAGER, "InvalidNextTokenException", 400, refused),
                only(Via.SECRETS_MANAGER, "InternalServiceError", 500, down),
                // Parameter Store GetParameter(s), GetParametersByPath, DescribeParameters.
                only(Via.PARAMETER_STORE, "ParameterNotFound", 400, FailureReason.NOT_FOUND),
                only(Via.PARAMETER_STORE, "ParameterVersionNotFound", 400, FailureReason.NOT_FOUND),
                only(Via.PARAMETER_STORE, "InvalidKeyId", 400, FailureReason.KEY_DISABLED),
                only(Via.PARAMETER_STORE, "InvalidFilterKey", 400, refused),
                only(Via.PARAMETER_STORE, "InvalidFilterOption", 400, refused),
                only(Via.PARAMETER_STORE, "InvalidFilterValue", 400, refused),
                only(Via.PARAMETER_STORE, "InvalidNextToken", 400, refused),
                only(Via.PARAMETER_STORE, "InternalServerError", 500, down)));
        return answers;
    }

    /** A code the table does not know, by its status: only 5xx, 408 and 429 are availability. */
    static List<Answer> unknownCodes() {
        return List.of(
                all(UNKNOWN, 400, FailureReason.CONFIGURATION),
                all(UNKNOWN, 401, FailureReason.ACCESS_DENIED),
                all(UNKNOWN, 403, FailureReason.ACCESS_DENIED),
                all(UNKNOWN, 404, FailureReason.CONFIGURATION),
                all(UNKNOWN, 409, FailureReason.CONFIGURATION),
                all(UNKNOWN, 422, FailureReason.CONFIGURATION),
                all(UNKNOWN, 408, FailureReason.TIMEOUT),
                all(UNKNOWN, 429, FailureReason.THROTTLED),
                all(UNKNOWN, 500, FailureReason.UNAVAILABLE),
                all(UNKNOWN, 502, FailureReason.UNAVAILABLE),
                all(UNKNOWN, 503, FailureReason.UNAVAILABLE),
                all(UNKNOWN, 504, FailureReason.UNAVAILABLE),
                // No code at all: the status alone.
                all("", 400, FailureReason.CONFIGURATION),
                all("", 503, FailureReason.UNAVAILABLE));
    }

    @BeforeAll
    static void clients() {
        TestProfiles.install();
        server = HostileHttpServer.start(HostileHttpServer.json(500, "{}"));
        kms = AwsKms.create(settings("mpsecrets.kms.aws."));
        secretsManager = AwsSecretsManagerStore.create(settings("mpsecrets.aws."));
        parameterStore = SsmParameterStore.create(
                settings("mpsecrets.ssm."),
                Optional.of("/p"),
                SsmParameterStore.Listing.read("mpsecrets.ssm.", name -> Optional.empty()));
    }

    @AfterAll
    static void stop() {
        kms.close();
        secretsManager.close();
        parameterStore.close();
        server.close();
    }

    private static AwsClientSettings settings(String prefix) {
        Map<String, String> values = Map.of(
                prefix + "region", "us-east-1",
                prefix + "endpoint", server.endpoint().toString(),
                prefix + "profile", TestProfiles.WORKER1,
                prefix + "max-attempts", "1",
                prefix + "timeout", "PT5S");
        return AwsClientSettings.read(prefix, name -> Optional.ofNullable(values.get(name)));
    }

    private static String error(String code) {
        return code.isEmpty() ? "{}" : "{\"__type\":\"" + code + "\",\"message\":\"answered by the test\"}";
    }

    private static SecretException call(Via via) {
        return switch (via) {
            case KMS ->
                assertThrows(
                        SecretException.class,
                        () -> kms.decrypt(KEY_ARN, new byte[] {1, 2, 3}, EncryptionContext.forApplication("orders")));
            case SECRETS_MANAGER ->
                assertThrows(SecretException.class, () -> secretsManager.fetch(SecretId.of("prod/db")));
            case PARAMETER_STORE ->
                assertThrows(SecretException.class, () -> parameterStore.fetch(SecretId.of("/p/db")));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"answers", "unknownCodes"})
    void anAnswerBecomesTheFailureItMeansThroughEachClient(Answer answer) {
        server.fallback(HostileHttpServer.json(answer.status(), error(answer.code())));
        for (Via via : answer.via()) {
            SecretException e = call(via);
            assertEquals(answer.reason(), e.reason(), via + " " + answer + ": " + e.getMessage());
            // The JDK's URL connection gives no body with a 401 to a POST, so the SDK has the status alone.
            if (!answer.code().isEmpty() && answer.status() != 401) {
                assertThat(e.getMessage()).contains(answer.code());
            }
        }
    }

    /** A per-secret error of a batch answer has no status of its own: a code the table does not know is a refusal. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void aBatchAnswersPerSecretErrorBecomesTheFailureItMeans(Answer answer) {
        server.fallback(HostileHttpServer.json(
                200,
                "{\"SecretValues\":[],\"Errors\":[{\"SecretId\":\"prod/db\",\"ErrorCode\":\"" + answer.code()
                        + "\",\"Message\":\"answered by the test\"}]}"));
        List<SecretId> ids = List.of(SecretId.of("prod/db"), SecretId.of("prod/api"));
        if (answer.reason() == FailureReason.NOT_FOUND && answer.code().equals("ResourceNotFoundException")) {
            assertThat(secretsManager.fetchAll(ids)).isEmpty();
            return;
        }
        SecretException e = assertThrows(SecretException.class, () -> secretsManager.fetchAll(ids));
        // A key's NotFoundException names no key here: a secret is what was asked for.
        FailureReason expected =
                answer.reason() == FailureReason.UNKNOWN_KEY ? FailureReason.NOT_FOUND : answer.reason();
        assertEquals(expected, e.reason(), answer + ": " + e.getMessage());
    }

    @Test
    void aPerSecretErrorTheTableDoesNotKnowIsARefusal() {
        server.fallback(HostileHttpServer.json(
                200,
                "{\"SecretValues\":[],\"Errors\":[{\"SecretId\":\"prod/db\",\"ErrorCode\":\"" + UNKNOWN
                        + "\",\"Message\":\"answered by the test\"}]}"));
        SecretException e = assertThrows(
                SecretException.class,
                () -> secretsManager.fetchAll(List.of(SecretId.of("prod/db"), SecretId.of("prod/api"))));
        assertEquals(FailureReason.CONFIGURATION, e.reason());
        assertThat(e.getMessage()).contains(UNKNOWN, "unexpected answer");
    }

    @Test
    void everyCodeOfTheTableIsTestedHere() {
        assertThat(answers().stream().map(Answer::code).collect(Collectors.toSet()))
                .containsAll(AwsFailures.CODES.keySet())
                .doesNotContain(UNKNOWN);
    }
}
