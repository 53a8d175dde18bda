package io.mpsecrets.azure;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Renewal;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Entra ID access tokens Key Vault's requests carry, one per resource and tenant a challenge asks for, got by the
 * configured method ({@link AzureSettings.Auth}): the {@code client_credentials} grant with a client secret, with a
 * certificate's signed assertion, or with the federated token AKS' workload identity writes (read fresh each time, as
 * the kubelet rotates it); or a managed identity's token from App Service's identity endpoint or from IMDS. A token is
 * kept until two thirds of its life have passed ({@link Renewal}), then replaced; when replacing it fails and the token
 * still has a minute to live, it is used on, and getting one is tried again at the next request. Key Vault refusing a
 * token ({@link #refused}) drops it. One exchange per call: the caller retries what is transient.
 *
 * <p>Concurrency: tokens are read without a lock; getting one happens under one lock, so that threads finding it due
 * at once ask Entra ID once. Tokens are secrets: they are printed nowhere.
 */
final class EntraToken {

    /** How close to its end a held token is still sent when replacing it fails. */
    private static final long MARGIN_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AzureHttp http;
    private final AzureSettings.Auth auth;
    private final Object lock = new Object();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile ClientAssertion certificate;

    /** A token and when to replace it. */
    private record Held(String token, long renewAt, long expiresAt) {
        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    EntraToken(AzureHttp http) {
        this.http = http;
        this.auth = http.settings().auth();
    }

    /** A token for what {@code challenge} asks. */
    String token(Challenge challenge, SecretRef ref) {
        String key = challenge.scope() + " " + challenge.tenant().orElse("");
        Held current = held.get(key);
        long now = System.nanoTime();
        if (current != null && now - current.renewAt() < 0) {
            return current.token();
        }
        synchronized (lock) {
            current = held.get(key);
            now = System.nanoTime();
            if (current != null && now - current.renewAt() < 0) {
                return current.token();
            }
            try {
                Held fresh = fetch(challenge, ref);
                held.put(key, fresh);
                return fresh.token();
            } catch (SecretException e) {
                if (current != null
                        && current.expiresAt() - now > MARGIN_NANOS
                        && e.reason().transientFailure()) {
                    return current.token(); // still good: Entra ID may answer on the next request
                }
                throw e;
            }
        }
    }

    /** Key Vault refused {@code token}: it is dropped, so that the next request gets another. */
    void refused(String token) {
        held.values().removeIf(h -> h.token().equals(token));
    }

    private Held fetch(Challenge challenge, SecretRef ref) {
        if (auth instanceof AzureSettings.ManagedIdentity identity) {
            return identity.identityEndpoint().isPresent()
                    ? appService(identity, challenge, ref)
                    : imds(identity, challenge, ref);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        String tenant;
        URI authority;
        if (auth instanceof AzureSettings.ClientSecret secret) {
            tenant = tenant(secret.tenant(), challenge);
            authority = secret.authority();
            form.put("client_id", secret.clientId());
            form.put("client_secret", secret.secret());
        } else if (auth instanceof AzureSettings.ClientCertificate cert) {
            tenant = tenant(cert.tenant(), challenge);
            authority = cert.authority();
            form.put("client_id", cert.clientId());
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", assertion(cert).sign(cert.clientId(), tokenEndpoint(authority, tenant)));
        } else {
            AzureSettings.WorkloadIdentity workload = (AzureSettings.WorkloadIdentity) auth;
            tenant = tenant(workload.tenant(), challenge);
            authority = workload.authority();
            form.put("client_id", workload.clientId());
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", readFile(workload.tokenFile(), "federated-token-file"));
        }
        form.put("scope", challenge.scope());
        URI endpoint = tokenEndpoint(authority, tenant);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(http.settings().timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        return answer(http.exchange(request, ref, "Entra ID"), ref, "Entra ID");
    }

    /** App Service and Functions: {@code GET $IDENTITY_ENDPOINT} with {@code X-IDENTITY-HEADER}, api 2019-08-01. */
    private Held appService(AzureSettings.ManagedIdentity identity, Challenge challenge, SecretRef ref) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("api-version", "2019-08-01");
        query.put("resource", challenge.resourceText());
        identity.clientId().ifPresent(id -> query.put("client_id", id));
        URI endpoint = identity.identityEndpoint().orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "?" + encode(query)))
                .timeout(http.settings().timeout())
                .header("X-IDENTITY-HEADER", identity.identityHeader().orElseThrow())
                .header("Accept", "application/json")
                .GET()
                .build();
        return answer(http.exchange(request, ref, "the identity endpoint"), ref, "the identity endpoint");
    }

    /** IMDS: {@code GET /metadata/identity/oauth2/token} with {@code Metadata: true}, api 2018-02-01. */
    private Held imds(AzureSettings.ManagedIdentity identity, Challenge challenge, SecretRef ref) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("api-version", "2018-02-01");
        query.put("resource", challenge.resourceText());
        identity.clientId().ifPresent(id -> query.put("client_id", id));
        String base = identity.imds().toString().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base + "/metadata/identity/oauth2/token?" + encode(query)))
                .timeout(http.settings().timeout())
                .header("Metadata", "true")
                .header("Accept", "application/json")
                .GET()
                .build();
        return answer(http.exchange(request, ref, "IMDS"), ref, "IMDS");
    }

    /** A token answer: {@code access_token} and {@code expires_in} (seconds) or {@code expires_on} (Unix time). */
    private static Held answer(AzureHttp.Answer answer, SecretRef ref, String service) {
        try {
            if (!answer.ok()) {
                throw AzureFailures.token(answer.status(), answer.body(), ref, service);
            }
            JsonObject json = AzureJson.parse(answer.body(), ref, service);
            String token = AzureJson.requiredString(json, "access_token", ref, service);
            long lifetime = AzureJson.seconds(json, "expires_in", ref, service)
                    .orElseGet(() -> AzureJson.seconds(json, "expires_on", ref, service)
                            .map(on -> on - Instant.now().getEpochSecond())
                            .orElseThrow(() -> new InvalidSecretValueException(
                                    ref, service + " answered a token without expires_in or expires_on")));
            if (lifetime <= 0 || lifetime > TimeUnit.DAYS.toSeconds(30)) {
                throw new InvalidSecretValueException(
                        ref, service + " answered a token whose lifetime (" + lifetime + " s) is not one");
            }
            long now = System.nanoTime();
            long nanos = TimeUnit.SECONDS.toNanos(lifetime);
            return new Held(token, now + Renewal.dueAfterNanos(nanos), now + nanos);
        } finally {
            answer.clear();
        }
    }

    private static String tenant(java.util.Optional<String> configured, Challenge challenge) {
        return configured
                .or(challenge::tenant)
                .orElseThrow(() -> new ConfigurationException(AzureSettings.PREFIX
                        + "tenant-id is not set (nor AZURE_TENANT_ID), and Key Vault's challenge names no tenant"));
    }

    private static URI tokenEndpoint(URI authority, String tenant) {
        String base = authority.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "/oauth2/v2.0/token");
    }

    private ClientAssertion assertion(AzureSettings.ClientCertificate cert) {
        ClientAssertion loaded = certificate;
        if (loaded == null) {
            loaded = ClientAssertion.load(cert.certificate(), cert.password());
            certificate = loaded;
        }
        return loaded;
    }

    private static String readFile(Path file, String setting) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                throw new ConfigurationException(AzureSettings.PREFIX + setting + ": " + file + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new ConfigurationException(AzureSettings.PREFIX + setting + ": cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String encode(Map<String, String> form) {
        StringJoiner out = new StringJoiner("&");
        form.forEach((name, value) -> out.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** A unique id for a client assertion ({@code jti}). */
    static String jti() {
        return UUID.randomUUID().toString();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EntraToken[" + auth + "]";
    }
}
