package io.mpsecrets.vault;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.backend.BoundedReads;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Vault's HTTP API as mp-secrets uses it: authenticated GETs under {@code /v1/}, with {@code X-Vault-Token} and
 * {@code X-Vault-Namespace}, TLS trusting a custom CA bundle when one is set, retries with jittered backoff while
 * Vault is throttling, sealed or failing, and the token kept alive: renewed once two thirds of its TTL have passed,
 * and logged in again (AppRole, Kubernetes) when it cannot be renewed or Vault no longer accepts it. Response
 * bodies hold secrets: they are parsed, never logged, and errors carry Vault's error strings only.
 */
final class VaultClient {

    /** The setting a too large answer is named by. */
    private static final String MAX_RESPONSE_SIZE = VaultSettings.PREFIX + "max-response-size";

    /** 100 ms, doubling per attempt (the attempts are few: {@code mpsecrets.vault.max-attempts}, at most 20). */
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100L << 10));

    private final VaultSettings settings;
    private final HttpClient http;
    private final Object loginLock = new Object();
    private volatile Token token;

    /** A token and when to renew it; {@code renewAt} is null for a token that does not expire. */
    private record Token(String id, Long renewAt, Long expiresAt, boolean renewable, Duration ttl) {
        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    VaultClient(VaultSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout());
        settings.caBundle().ifPresent(bundle -> builder.sslContext(trusting(bundle)));
        this.http = builder.build();
    }

    /** {@code GET /v1/<path>[?query]}: the answer's JSON body. */
    JsonObject get(String path, String query, SecretRef ref) {
        return call("GET", path, query, null, ref, true);
    }

    /** {@code POST /v1/<path>} with a JSON body: the answer's JSON body. */
    JsonObject post(String path, JsonObject body, SecretRef ref) {
        return call("POST", path, null, body, ref, true);
    }

    private JsonObject call(
            String method, String path, String query, JsonObject body, SecretRef ref, boolean authenticated) {
        boolean loggedInAgain = false;
        for (int attempt = 1; ; attempt++) {
            String tokenId = null;
            Answer answer;
            try {
                tokenId = authenticated ? token(ref).id() : null;
                answer = send(method, path, query, body, tokenId);
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
            if (status == 403 && authenticated && !loggedInAgain && canLogIn()) {
                // The token may have been revoked or expired early: one fresh login, then Vault's word stands.
                loggedInAgain = true;
                forget(tokenId);
                continue;
            }
            SecretException failure = failure(status, answer, ref);
            if (!failure.reason().transientFailure() || attempt >= settings.maxAttempts()) {
                throw failure;
            }
            sleep(attempt);
        }
    }

    private record Answer(int status, byte[] body) {
        JsonObject json(SecretRef ref) {
            return VaultJson.parse(body, ref);
        }

        String errors() {
            return VaultJson.errors(body);
        }
    }

    private Answer send(String method, String path, String query, JsonObject body, String tokenId) {
        URI uri = URI.create(settings.address() + "/v1/" + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json");
        if (tokenId != null) {
            request.header("X-Vault-Token", tokenId);
        }
        settings.namespace().ifPresent(ns -> request.header("X-Vault-Namespace", ns));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        SecretRef where = SecretRef.secret(VaultSecretStore.NAME, path);
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

    private static SecretException failure(int status, Answer answer, SecretRef ref) {
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
                    FailureReason.UNAVAILABLE, SecretRef.secret(VaultSecretStore.NAME, null), "interrupted", null);
        }
    }

    // ---- tokens ----

    private boolean canLogIn() {
        return !(settings.auth() instanceof VaultSettings.TokenAuth auth)
                || auth.file().isPresent();
    }

    private void forget(String tokenId) {
        synchronized (loginLock) {
            Token current = token;
            if (current != null && current.id().equals(tokenId)) {
                token = null;
            }
        }
    }

    /** A usable token: logs in on first use, renews after two thirds of its TTL, logs in again when it must. */
    private Token token(SecretRef ref) {
        Token current = token;
        long now = System.nanoTime();
        if (current != null && (current.renewAt() == null || now - current.renewAt() < 0)) {
            return current;
        }
        synchronized (loginLock) {
            current = token;
            now = System.nanoTime();
            if (current != null && (current.renewAt() == null || now - current.renewAt() < 0)) {
                return current;
            }
            if (current != null && current.renewable()) {
                try {
                    token = fromAuth(renewSelf(current, ref), current.id(), ref);
                    return token;
                } catch (SecretException e) {
                    if (!canLogIn() && now - current.expiresAt() < 0) {
                        return current; // renewal failed but the token still lives: try again on the next request
                    }
                }
            } else if (current != null && !canLogIn() && now - current.expiresAt() < 0) {
                return current; // a fixed, non-renewable token: use it until Vault says no
            }
            token = login(ref);
            return token;
        }
    }

    /** One {@code renew-self} with {@code current}; no retry here: the caller falls back to logging in again. */
    private JsonObject renewSelf(Token current, SecretRef ref) {
        Answer answer = send("POST", "auth/token/renew-self", null, JsonValue.EMPTY_JSON_OBJECT, current.id());
        if (answer.status() / 100 != 2) {
            throw failure(answer.status(), answer, ref);
        }
        return answer.json(ref);
    }

    private Token login(SecretRef ref) {
        VaultSettings.Auth auth = settings.auth();
        if (auth instanceof VaultSettings.TokenAuth tokenAuth) {
            String id =
                    tokenAuth.token().orElseGet(() -> readFile(tokenAuth.file().orElseThrow(), "token-file"));
            return lookup(id, ref);
        }
        JsonObject body;
        String mount;
        if (auth instanceof VaultSettings.AppRoleAuth appRole) {
            mount = appRole.mount();
            body = Json.createObjectBuilder()
                    .add("role_id", appRole.roleId())
                    .add(
                            "secret_id",
                            appRole.secretId()
                                    .orElseGet(() ->
                                            readFile(appRole.secretIdFile().orElseThrow(), "approle.secret-id-file")))
                    .build();
        } else {
            VaultSettings.KubernetesAuth kubernetes = (VaultSettings.KubernetesAuth) auth;
            mount = kubernetes.mount();
            body = Json.createObjectBuilder()
                    .add("role", kubernetes.role())
                    .add("jwt", readFile(kubernetes.jwtFile(), "kubernetes.jwt-file"))
                    .build();
        }
        SecretRef loginRef = ref.withBackend(VaultSecretStore.NAME);
        JsonObject answer;
        try {
            answer = call("POST", "auth/" + mount + "/login", null, body, loginRef, false);
        } catch (ConfigurationException refused) {
            // Vault answers a bad role or secret id with 400.
            throw new SecretAccessDeniedException(
                    loginRef, "Vault refused the " + auth + " login: " + refused.detail(), null);
        }
        JsonObject authBlock = VaultJson.object(answer, "auth", loginRef);
        if (!(authBlock.get("client_token") instanceof JsonString clientToken)) {
            throw new SecretAccessDeniedException(loginRef, "Vault's " + auth + " login gave no token", null);
        }
        return fromAuth(answer, clientToken.getString(), loginRef);
    }

    /** A given token: its TTL and renewability from {@code lookup-self}; treated as not expiring if that is refused. */
    private Token lookup(String id, SecretRef ref) {
        Answer answer = send("GET", "auth/token/lookup-self", null, null, id);
        if (answer.status() == 403) {
            throw new SecretAccessDeniedException(
                    ref, "Vault does not accept the configured token (" + settings.auth() + ")", null);
        }
        if (answer.status() / 100 != 2) {
            return new Token(id, null, null, false, Duration.ZERO);
        }
        JsonObject data = VaultJson.object(answer.json(ref), "data", ref);
        return token(id, VaultJson.seconds(data, "ttl", ref), VaultJson.bool(data, "renewable", ref));
    }

    private static Token fromAuth(JsonObject answer, String id, SecretRef ref) {
        JsonObject auth = VaultJson.object(answer, "auth", ref);
        return token(id, VaultJson.seconds(auth, "lease_duration", ref), VaultJson.bool(auth, "renewable", ref));
    }

    private static Token token(String id, long ttlSeconds, boolean renewable) {
        if (ttlSeconds <= 0) {
            return new Token(id, null, null, renewable, Duration.ZERO);
        }
        long now = System.nanoTime();
        long ttl = TimeUnit.SECONDS.toNanos(ttlSeconds);
        return new Token(id, now + Renewal.dueAfterNanos(ttl), now + ttl, renewable, Duration.ofSeconds(ttlSeconds));
    }

    private static String readFile(Path file, String setting) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static SSLContext trusting(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new ConfigurationException(
                        VaultSettings.PREFIX + "ca-bundle " + bundle + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(VaultSettings.PREFIX + "ca-bundle: cannot load " + bundle + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "VaultClient[" + settings.address() + ", " + settings.auth() + "]";
    }
}
