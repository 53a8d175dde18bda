package io.mpsecrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.gcp.GcpFailures.Api;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Google's error answers, one table: which are refusals (never retried, never stale) and which are availability. */
class GcpFailuresTest {

    private static final SecretRef REF = SecretRef.secret("gcp", "db");

    private static SecretException map(int status, String code, String message, Api api, List<String> withheld) {
        String body =
                "{\"error\":{\"code\":" + status + ",\"status\":\"" + code + "\",\"message\":\"" + message + "\"}}";
        return GcpFailures.map(status, body.getBytes(StandardCharsets.UTF_8), api, REF, withheld);
    }

    @Test
    void googlesCanonicalCodesMapToReasonsAndOnlyAvailabilityIsTransient() {
        Map<String, FailureReason> secretManager = Map.ofEntries(
                Map.entry("PERMISSION_DENIED", FailureReason.ACCESS_DENIED),
                Map.entry("UNAUTHENTICATED", FailureReason.ACCESS_DENIED),
                Map.entry("NOT_FOUND", FailureReason.NOT_FOUND),
                Map.entry("FAILED_PRECONDITION", FailureReason.NOT_FOUND),
                Map.entry("INVALID_ARGUMENT", FailureReason.CONFIGURATION),
                Map.entry("DATA_LOSS", FailureReason.INVALID_VALUE),
                Map.entry("RESOURCE_EXHAUSTED", FailureReason.THROTTLED),
                Map.entry("DEADLINE_EXCEEDED", FailureReason.TIMEOUT),
                Map.entry("UNAVAILABLE", FailureReason.UNAVAILABLE),
                Map.entry("INTERNAL", FailureReason.UNAVAILABLE),
                Map.entry("ABORTED", FailureReason.UNAVAILABLE));
        secretManager.forEach((code, reason) -> {
            SecretException e = map(400, code, "m", Api.SECRET_MANAGER, List.of());
            assertEquals(reason, e.reason(), code);
            assertEquals(
                    Map.of(
                                    "RESOURCE_EXHAUSTED",
                                    1,
                                    "DEADLINE_EXCEEDED",
                                    1,
                                    "UNAVAILABLE",
                                    1,
                                    "INTERNAL",
                                    1,
                                    "ABORTED",
                                    1)
                            .containsKey(code),
                    e.reason().transientFailure(),
                    code);
        });
        assertEquals(
                FailureReason.KEY_DISABLED,
                map(400, "FAILED_PRECONDITION", "m", Api.KMS_DECRYPT, List.of()).reason());
        assertEquals(
                FailureReason.UNKNOWN_KEY,
                map(404, "NOT_FOUND", "m", Api.KMS_ENCRYPT, List.of()).reason());
        assertEquals(
                FailureReason.WRONG_KEY,
                map(400, "INVALID_ARGUMENT", "Decryption failed", Api.KMS_DECRYPT, List.of())
                        .reason());
        // A status Google did not name: by the HTTP status.
        assertEquals(
                FailureReason.THROTTLED,
                GcpFailures.map(429, new byte[0], Api.SECRET_MANAGER, REF, List.of())
                        .reason());
        assertEquals(
                FailureReason.UNAVAILABLE,
                GcpFailures.map(502, "<html>".getBytes(StandardCharsets.UTF_8), Api.SECRET_MANAGER, REF, List.of())
                        .reason());
        assertEquals(
                FailureReason.ACCESS_DENIED,
                GcpFailures.map(
                                403,
                                "{\"error\":7}".getBytes(StandardCharsets.UTF_8),
                                Api.SECRET_MANAGER,
                                REF,
                                List.of())
                        .reason());
    }

    @Test
    void aMessageThatQuotesWhatTheRequestCarriedIsWithheld() {
        SecretException e = map(
                400,
                "INVALID_ARGUMENT",
                "Invalid plaintext " + LeakGuard.CANARY,
                Api.KMS_ENCRYPT,
                List.of(LeakGuard.CANARY));
        assertThat(e.getMessage()).contains("withheld").doesNotContain(LeakGuard.CANARY);
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void oauthErrorsAreDenialsUnlessTheEndpointIsDown() {
        byte[] grant = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                FailureReason.ACCESS_DENIED,
                GcpFailures.oauth(400, grant, Api.TOKEN, REF, List.of()).reason());
        assertEquals(
                FailureReason.ACCESS_DENIED,
                GcpFailures.oauth(404, grant, Api.TOKEN, REF, List.of()).reason());
        assertEquals(
                FailureReason.UNAVAILABLE,
                GcpFailures.oauth(503, grant, Api.TOKEN, REF, List.of()).reason());
        assertEquals(
                FailureReason.THROTTLED,
                GcpFailures.oauth(429, grant, Api.TOKEN, REF, List.of()).reason());
    }
}
