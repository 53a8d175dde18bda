package io.mpsecrets.vault;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vault's HTTP API as mp-secrets uses it: requests under {@code /v1/} with {@code X-Vault-Namespace}, TLS trusting a
 * custom CA bundle when one is set, each exchange bounded in size and in time (body included), retries with jittered
 * backoff while Vault is throttling, sealed or failing, and Vault's status codes as typed failures. An authenticated
 * client sends the {@code X-Vault-Token} its {@link Credentials} give for each request, and asks them once what to do
 * when Vault answers 403; how that token is got and kept alive is {@code VaultToken}'s. Response bodies hold secrets:
 * they are parsed, never logged, and errors carry Vault's error strings only.
 */
final class VaultClient {

    /** The setting a too large answer is named by. */
    private static final String MAX_RESPONSE_SIZE = VaultSettings.PREFIX + "max-response-size";

    /** 100 ms, doubling per attempt (the attempts are few: {@code mpsecrets.vault.max-attempts}, at most 20). */
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100L << 10));

    /**
     * Where an authenticated client's token comes from. An interface, so that the token, which logs in through an
     * unauthenticated client, and the client that sends it do not depend on each other.
     */
    interface Credentials {

        /** The token to send now; getting it may mean logging in or renewing, and fail as those do. */
        String token(SecretRef ref);

        /**
         * Vault answered 403 to {@code token} (null: none was sent) for the request of {@code ref}: whether another
         * token may be accepted (then the refused one is dropped and the request sent again, once).
         */
        boolean refused(String token, SecretRef ref);
    }

    /** One exchange's status and body. */
    record Answer(int status, byte[] body) {
        JsonObject json(SecretRef ref) {
            return VaultJson.parse(body, ref);
        }

        String errors() {
            return VaultJson.errors(body);
        }
    }

    private final VaultSettings settings;
    private final HttpClient http;
    private final Credentials credentials; // null: requests carry no token (logins)
    private final Optional<String> namespace;

    /**
     * An unauthenticated client, in {@code mpsecrets.vault.namespace}: for logins, and for requests that carry a token
     * of their own. Its TLS trusts the CA bundle and presents the client certificate, if set ({@link VaultTls}).
     */
    VaultClient(VaultSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout());
        VaultTls.context(settings).ifPresent(builder::sslContext);
        this.http = builder.build();
        this.credentials = null;
        this.namespace = settings.namespace();
    }

    private VaultClient(VaultClient connection, Credentials credentials, Optional<String> namespace) {
        this.settings = connection.settings;
        this.http = connection.http;
        this.credentials = credentials;
        this.namespace = namespace;
    }

    /** A client on the same connection whose requests carry the token {@code credentials} give. */
    VaultClient authenticated(Credentials credentials) {
        return new VaultClient(this, credentials, namespace);
    }

    /** A client on the same connection whose requests name {@code namespace} (empty: none) in X-Vault-Namespace. */
    VaultClient inNamespace(Optional<String> namespace) {
        return new VaultClient(this, credentials, namespace);
    }

    /** {@code GET /v1/<path>[?query]}: the answer's JSON body. */
    JsonObject get(String path, String query, SecretRef ref) {
        return call("GET", path, query, null, ref);
    }

    /** {@code POST /v1/<path>} with a JSON body: the answer's JSON body. */
    JsonObject post(String path, JsonObject body, SecretRef ref) {
        return call("POST", path, null, body, ref);
    }

    private JsonObject call(String method, String path, String query, JsonObject body, SecretRef ref) {
        boolean triedAnotherToken = false;
        for (int attempt = 1; ; attempt++) {
            String token = null;
            Answer answer;
            try {
                token = credentials == null ? null : credentials.token(ref);
                answer = send(method, path, query, body, token);
            } catch (ServiceUnavailableException transientFailure) {
                if (attempt >= settings.maxAttempts()) {
                    throw transientFailure.withRef(ref);
                }
                sleep(attempt);
                continue;
            }
            int status = answer.status();
            if (status >= 200 && status < 300) {
                return answer.json(ref);
            }
            if (status == 403 && credentials != null && !triedAnotherToken && credentials.refused(token, ref)) {
                // The token may have been revoked or expired early: one more token, then Vault's word stands.
                triedAnotherToken = true;
                continue;
            }
            SecretException failure = failure(status, answer, ref);
            if (!failure.reason().transientFailure() || attempt >= settings.maxAttempts()) {
                throw failure;
            }
            sleep(attempt);
        }
    }

    /**
     * One exchange, not retried, with {@code token} (or none): for the token's own renewal and lookup, whose
     * failures have a fallback of their own.
     */
    Answer send(String method, String path, String query, JsonObject body, String token) {
        URI uri = URI.create(settings.address() + "/v1/" + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json");
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        namespace.ifPresent(ns -> request.header("X-Vault-Namespace", ns));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        SecretRef where = SecretRef.secret(VaultSettings.STORE, path);
        // The time limit covers the whole exchange, body included: the client's own request timeout stops at the
        // headers, and a body trickled a byte at a time would hold the reading thread indefinitely.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request.build(), BoundedReads.httpBody(settings.maxResponseSize(), MAX_RESPONSE_SIZE));
        try {
            HttpResponse<byte[]> response = exchange.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new ServiceUnavailableException(
                    FailureReason.TIMEOUT, where, "Vault did not answer within " + settings.timeout(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            BoundedReads.TooLarge tooLarge = cause instanceof BoundedReads.TooLarge large
                    ? large
                    : cause != null && cause.getCause() instanceof BoundedReads.TooLarge large ? large : null;
            if (tooLarge != null) {
                throw new InvalidSecretValueException(where, "Vault's answer is " + tooLarge.getMessage());
            }
            if (cause instanceof HttpTimeoutException) {
                throw new ServiceUnavailableException(
                        FailureReason.TIMEOUT, where, "Vault did not answer within " + settings.timeout(), null);
            }
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    where,
                    "cannot reach Vault at " + settings.address() + ": "
                            + (cause == null ? "?" : cause.getClass().getSimpleName()),
                    null);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, where, "interrupted", null);
        }
    }

    /** Vault's error answer as a typed failure, quoting Vault's error strings (escaped) and nothing else of it. */
    static SecretException failure(int status, Answer answer, SecretRef ref) {
        String errors = answer.errors();
        String detail = "Vault answered " + status + (errors.isEmpty() ? "" : ": " + errors);
        switch (status) {
            case 400:
                return new ConfigurationException(ref, detail, null);
            case 401:
            case 403:
                return new SecretAccessDeniedException(ref, detail, null);
            case 404:
                return new SecretNotFoundException(ref, detail);
            case 412:
                // Vault Enterprise: a performance standby has not caught up yet.
                return new ServiceUnavailableException(FailureReason.UNAVAILABLE, ref, detail, null);
            case 408:
                return new ServiceUnavailableException(FailureReason.TIMEOUT, ref, detail, null);
            case 429:
                return new ServiceUnavailableException(FailureReason.THROTTLED, ref, detail, null);
            default:
                if (status >= 400 && status < 500) {
                    // A refusal this client does not know: never an outage, so never failed over or served stale.
                    return new ConfigurationException(ref, "Vault refused the request: " + detail, null);
                }
                if (status >= 500) {
                    return new ServiceUnavailableException(
                            FailureReason.UNAVAILABLE,
                            ref,
                            status == 503 ? detail + " (sealed or in maintenance)" : detail,
                            null);
                }
                return new ServiceUnavailableException(
                        FailureReason.UNAVAILABLE, ref, "unexpected answer: " + detail, null);
        }
    }

    private void sleep(int attempt) {
        try {
            TimeUnit.NANOSECONDS.sleep(BACKOFF.nanos(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE, SecretRef.secret(VaultSettings.STORE, null), "interrupted", null);
        }
    }

    @Override
    public String toString() {
        return "VaultClient[" + settings.address()
                + namespace.map(ns -> ", namespace " + ns).orElse("") + ", " + settings.auth() + "]";
    }
}
