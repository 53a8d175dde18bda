package io.mpsecrets.azure;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Key Vault's REST API as mp-secrets uses it (api-version {@value #API_VERSION}): the challenge-based login Key
 * Vault asks for, then bearer-token requests, each exchange bounded ({@link AzureHttp}), transient failures retried.
 *
 * <p>The first request to a vault is sent without a token and without its body (a Wrap Key's body holds a data key);
 * Key Vault answers 401 with a challenge naming the token's resource and tenant ({@link Challenge}), which is kept per
 * vault. The resource must be a domain of the vault's host (unless {@code challenge-resource-verification=false}, for
 * a mock on a loopback address), or no token is sent: a host that is not Key Vault cannot get a Key Vault token this
 * way. A 401 to a token drops it and the request is sent once more with a new one (the token may have been revoked
 * early); a second 401, and any 403, is Key Vault's answer: a denial, never retried or served stale.
 *
 * <p>Throttling (429) and 5xx are retried up to {@code max-attempts} times, after the wait Key Vault asks for
 * ({@code Retry-After}) or a jittered backoff; a wait longer than {@code timeout} is not waited out: the failure is
 * thrown, so a request lasts at most {@code max-attempts} times ({@code timeout} plus one wait).
 */
final class KeyVaultClient {

    static final String API_VERSION = "7.4";

    /** 200 ms, doubling per attempt. */
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private final AzureHttp http;
    private final EntraToken tokens;
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();

    KeyVaultClient(AzureSettings settings) {
        this.http = new AzureHttp(settings);
        this.tokens = new EntraToken(http);
    }

    AzureSettings settings() {
        return http.settings();
    }

    /** {@code GET <url>}: the answer's JSON. */
    JsonObject get(URI url, SecretRef ref) {
        return call("GET", url, null, ref, false);
    }

    /**
     * {@code POST <url>} with a JSON body: the answer's JSON.
     *
     * @param unwrapping whether the call is Unwrap Key (its 400 means a wrong key: {@link AzureFailures#keyVault})
     */
    JsonObject post(URI url, JsonObject body, SecretRef ref, boolean unwrapping) {
        return call("POST", url, body, ref, unwrapping);
    }

    private JsonObject call(String method, URI url, JsonObject body, SecretRef ref, boolean unwrapping) {
        URI withVersion = withApiVersion(url);
        String vault = vault(url);
        boolean triedAnotherToken = false;
        for (int attempt = 1; ; attempt++) {
            AzureHttp.Answer answer = null;
            SecretException failure;
            OptionalLong retryAfter = OptionalLong.empty();
            try {
                Challenge challenge = challenges.get(vault);
                if (challenge == null) {
                    challenge = probe(method, withVersion, ref);
                    challenges.put(vault, challenge);
                }
                String token = tokens.token(challenge, ref);
                answer = send(method, withVersion, body, token, ref);
                if (answer.ok()) {
                    return AzureJson.parse(answer.body(), ref, "Key Vault");
                }
                if (answer.status() == 401 && !triedAnotherToken) {
                    // A revoked or early-expired token, or a vault moved to another tenant: one more token, from a
                    // challenge read afresh; then Key Vault's word stands.
                    triedAnotherToken = true;
                    tokens.refused(token);
                    challenges.remove(vault);
                    attempt--;
                    continue;
                }
                failure = AzureFailures.keyVault(answer.status(), answer.body(), ref, unwrapping);
                retryAfter = answer.retryAfterMillis();
            } catch (ServiceUnavailableException transientFailure) {
                failure = transientFailure;
            } finally {
                if (answer != null) {
                    answer.clear();
                }
            }
            retryOrThrow(failure, attempt, retryAfter);
        }
    }

    /**
     * The request without token or body, to learn what token Key Vault wants: its 401 challenge, checked. Any other
     * answer is thrown as a failure (a transient one is retried by the caller).
     */
    private Challenge probe(String method, URI url, SecretRef ref) {
        AzureHttp.Answer answer = send(method, url, null, null, ref);
        try {
            if (answer.status() == 401) {
                Challenge challenge = Challenge.parse(
                                answer.headers().firstValue("WWW-Authenticate").orElse(null))
                        .orElseThrow(() -> new SecretAccessDeniedException(
                                ref,
                                "Key Vault answered 401 without a Bearer challenge naming the token's resource",
                                null));
                if (settings().verifyChallengeResource() && !challenge.resourceMatches(url.getHost())) {
                    throw new SecretAccessDeniedException(
                            ref,
                            "Key Vault's challenge asks for a token for " + challenge.resourceText()
                                    + ", which is not a"
                                    + " domain of " + url.getHost() + ": no token is sent ("
                                    + AzureSettings.PREFIX + "challenge-resource-verification)",
                            null);
                }
                return challenge;
            }
            if (answer.ok()) {
                throw new ConfigurationException(
                        ref,
                        "the vault answered " + answer.status() + " to a request without a token: it is not Key Vault",
                        null);
            }
            throw AzureFailures.keyVault(answer.status(), answer.body(), ref, false);
        } finally {
            answer.clear();
        }
    }

    private AzureHttp.Answer send(String method, URI url, JsonObject body, String token, SecretRef ref) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(settings().timeout()).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body == null || token == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return http.exchange(request.build(), ref, "Key Vault");
    }

    /** Throws {@code failure} unless it is transient, attempts are left and the wait is within the time-out. */
    private void retryOrThrow(SecretException failure, int attempt, OptionalLong retryAfterMillis) {
        if (!failure.reason().transientFailure() || attempt >= settings().maxAttempts()) {
            throw failure;
        }
        long wait = retryAfterMillis.isPresent()
                ? TimeUnit.MILLISECONDS.toNanos(retryAfterMillis.getAsLong())
                : BACKOFF.nanos(attempt);
        if (wait > settings().timeout().toNanos()) {
            throw failure; // Key Vault asks for longer than a request may take: say so now
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(FailureReason.UNAVAILABLE, failure.ref(), "interrupted", null);
        }
    }

    /** The vault a URL is in: its scheme, host and port. */
    static String vault(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static URI withApiVersion(URI url) {
        String text = url.toString();
        if (url.getRawQuery() != null && url.getRawQuery().contains("api-version=")) {
            return url;
        }
        return URI.create(text + (url.getRawQuery() == null ? "?" : "&") + "api-version=" + API_VERSION);
    }

    @Override
    public String toString() {
        return "KeyVaultClient[" + settings().auth() + "]";
    }
}
