package io.mpsecrets.gcp;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.gcp.GcpFailures.Api;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Google's REST APIs as mp-secrets uses them, over the JDK's HTTP client: each exchange bounded in size
 * ({@code max-response-size}) and in time ({@code timeout}, body included), retried with jittered backoff while Google
 * is throttling, failing or unreachable ({@code max-attempts}), and Google's errors as typed failures
 * ({@link GcpFailures}). An authenticated client sends the bearer token its {@link Credentials} give and, when Google
 * answers 401, asks them once for another. Answers hold secrets and data keys: they are parsed, never logged.
 */
final class GcpHttp {

    /** 100 ms, doubling per attempt (the attempts are few: {@code max-attempts}, at most 20). */
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100L << 10));

    /** Where an authenticated client's token comes from. */
    interface Credentials {

        /** The token to send now; getting it may mean asking a token endpoint, and fail as that does. */
        String token(SecretRef ref);

        /** Google answered 401 to {@code token}: whether another may be accepted (then the request is sent again). */
        boolean refused(String token);
    }

    /** One exchange's status, its {@code Metadata-Flavor} header and its body. */
    record Answer(int status, Optional<String> metadataFlavor, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final GcpSettings settings;
    private final HttpClient http;
    private final Credentials credentials; // null: no bearer token (token endpoints, the metadata server)

    GcpHttp(GcpSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.credentials = null;
    }

    private GcpHttp(GcpHttp connection, Credentials credentials) {
        this.settings = connection.settings;
        this.http = connection.http;
        this.credentials = credentials;
    }

    /** A client on the same connections whose requests carry the bearer token {@code credentials} give. */
    GcpHttp authenticated(Credentials credentials) {
        return new GcpHttp(this, credentials);
    }

    GcpSettings settings() {
        return settings;
    }

    /** {@code GET}: the answer's JSON body. */
    JsonObject get(URI uri, Api api, SecretRef ref) {
        return call("GET", uri, null, api, ref, List.of());
    }

    /**
     * {@code POST} with a JSON body: the answer's JSON body.
     *
     * @param withheld what the body carries that a failure must never show, should Google's message quote it
     */
    JsonObject post(URI uri, JsonObject body, Api api, SecretRef ref, Collection<String> withheld) {
        return call("POST", uri, body, api, ref, withheld);
    }

    private JsonObject call(
            String method, URI uri, JsonObject body, Api api, SecretRef ref, Collection<String> withheld) {
        boolean triedAnotherToken = false;
        byte[] bytes = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; ; attempt++) {
            String token = null;
            Answer answer;
            try {
                Map<String, String> headers = Map.of();
                if (credentials != null) {
                    token = credentials.token(ref);
                    headers = Map.of("Authorization", "Bearer " + token);
                }
                answer = send(method, uri, headers, bytes == null ? null : "application/json", bytes, api, ref);
            } catch (ServiceUnavailableException transientFailure) {
                if (attempt >= settings.maxAttempts()) {
                    throw transientFailure.withRef(ref);
                }
                sleep(attempt, ref);
                continue;
            }
            if (answer.ok()) {
                return GcpJson.parse(answer.body(), api.words, ref);
            }
            if (answer.status() == 401 && credentials != null && !triedAnotherToken && credentials.refused(token)) {
                // The token may have been revoked or expired early: one more token, then Google's word stands.
                triedAnotherToken = true;
                continue;
            }
            SecretException failure = GcpFailures.map(answer.status(), answer.body(), api, ref, withheld);
            if (!failure.reason().transientFailure() || attempt >= settings.maxAttempts()) {
                throw failure;
            }
            sleep(attempt, ref);
        }
    }

    /**
     * One exchange, not retried and unauthenticated unless {@code headers} say otherwise: for token endpoints and the
     * metadata server, whose answers are not google.rpc errors.
     */
    Answer send(
            String method,
            URI uri,
            Map<String, String> headers,
            String contentType,
            byte[] body,
            Api api,
            SecretRef where) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        // The time limit covers the whole exchange, body included: the client's own request timeout stops at the
        // headers, and a body trickled a byte at a time would hold the reading thread indefinitely.
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(
                request.build(),
                BoundedReads.httpBody(settings.maxResponseSize(), settings.prefix() + "max-response-size"));
        try {
            HttpResponse<byte[]> response = exchange.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            return new Answer(response.statusCode(), response.headers().firstValue("Metadata-Flavor"), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new ServiceUnavailableException(
                    FailureReason.TIMEOUT, where, api.words + " did not answer within " + settings.timeout(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            BoundedReads.TooLarge tooLarge = cause instanceof BoundedReads.TooLarge large
                    ? large
                    : cause != null && cause.getCause() instanceof BoundedReads.TooLarge large ? large : null;
            if (tooLarge != null) {
                throw new InvalidSecretValueException(where, api.words + "'s answer is " + tooLarge.getMessage());
            }
            if (cause instanceof HttpTimeoutException) {
                throw new ServiceUnavailableException(
                        FailureReason.TIMEOUT, where, api.words + " did not answer within " + settings.timeout(), null);
            }
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    where,
                    "cannot reach " + api.words + " at " + uri.getScheme() + "://" + uri.getAuthority() + ": "
                            + (cause == null ? "?" : cause.getClass().getSimpleName()),
                    null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, where, "interrupted", null);
        }
    }

    private static void sleep(int attempt, SecretRef ref) {
        try {
            TimeUnit.NANOSECONDS.sleep(BACKOFF.nanos(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, "interrupted", null);
        }
    }

    @Override
    public String toString() {
        return "GcpHttp[" + settings.prefix() + "]";
    }
}
