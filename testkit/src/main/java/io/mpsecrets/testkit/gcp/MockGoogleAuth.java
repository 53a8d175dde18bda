package io.mpsecrets.testkit.gcp;

import com.sun.net.httpserver.HttpExchange;
import io.mpsecrets.testkit.gcp.GoogleRest.GoogleError;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's token issuers, as the clients of Application Default Credentials reach them: the OAuth 2.0 token endpoint
 * ({@code POST /token}: a service account's signed JWT, RFC 7523, or a user's refresh token), the Security Token
 * Service of workload identity federation ({@code POST /v1/token}, RFC 8693), IAM Service Account Credentials
 * ({@code POST /v1/projects/-/serviceAccounts/<e-mail>:generateAccessToken}) and the metadata server of Compute Engine,
 * GKE and Cloud Run ({@code /computeMetadata/v1/...}, only with {@code Metadata-Flavor: Google}). It makes the
 * credentials files a test hands its client ({@link #serviceAccountKey}, {@link #authorizedUser},
 * {@link #externalAccount}), checks what it is sent (a JWT's RS256 signature against the key it made, its audience and
 * expiry; a refresh token; a subject token), and remembers which principal each access token it issued stands for,
 * until it expires ({@link #tokenLifetime}) or is revoked ({@link #expireTokens}): that principal is who the Secret
 * Manager and Cloud KMS mocks check policies for. A self-signed JWT (what Google's client libraries send for a service
 * account instead of a token) is accepted as its service account. Tokens are random; nothing here logs one.
 */
public final class MockGoogleAuth {

    /** The project the metadata server and new credentials name unless told otherwise. */
    public static final String DEFAULT_PROJECT = "mock-project";

    private final URI endpoint;
    private final SecureRandom random = new SecureRandom();
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, String> subjectTokens = new ConcurrentHashMap<>();
    private final Set<String> serviceAccounts = ConcurrentHashMap.newKeySet();
    private final Set<String> impersonation = ConcurrentHashMap.newKeySet();
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile String metadataAccount = "mock-app@" + DEFAULT_PROJECT + ".iam.gserviceaccount.com";
    private volatile String metadataProject = DEFAULT_PROJECT;

    private record Issued(String principal, Instant expires) {}

    MockGoogleAuth(URI endpoint) {
        this.endpoint = endpoint;
        serviceAccounts.add(metadataAccount);
    }

    public Faults faults() {
        return faults;
    }

    /** Calls per issuer: {@code token}, {@code sts}, {@code metadata}, {@code generateAccessToken}. */
    public CallCounter counter() {
        return counter;
    }

    /** How long tokens issued from now on live (default one hour, as Google's). */
    public MockGoogleAuth tokenLifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** Every token issued so far stops being accepted, as if revoked: clients get 401 until they ask for a new one. */
    public void expireTokens() {
        tokens.clear();
    }

    /** The endpoint a service account key file's {@code token_uri} names: {@code <mock>/token}. */
    public URI tokenUri() {
        return URI.create(endpoint + "/token");
    }

    /**
     * A new key for the service account {@code email} of {@code project}, as the JSON key file Google issues
     * ({@code type: service_account}, a PKCS #8 RSA key, {@code token_uri} pointing at this mock).
     */
    public String serviceAccountKey(String email, String project) {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
        byte[] id = new byte[20];
        random.nextBytes(id);
        String keyId = HexFormat.of().formatHex(id);
        keys.put(keyId, pair.getPublic());
        serviceAccounts.add(email);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Json.createObjectBuilder()
                .add("type", "service_account")
                .add("project_id", project)
                .add("private_key_id", keyId)
                .add("private_key", pem)
                .add("client_email", email)
                .add("client_id", String.valueOf(100000000000000000L + random.nextInt(1 << 30)))
                .add("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                .add("token_uri", tokenUri().toString())
                .add("universe_domain", "googleapis.com")
                .build()
                .toString();
    }

    /** {@link #serviceAccountKey} written to {@code file}. */
    public Path serviceAccountKeyFile(Path file, String email, String project) throws IOException {
        return Files.writeString(file, serviceAccountKey(email, project));
    }

    /**
     * User credentials as {@code gcloud auth application-default login} leaves them ({@code type: authorized_user},
     * a refresh token), for {@code principal} (an e-mail address).
     */
    public String authorizedUser(String principal, String project) {
        String refreshToken = "1//mock-" + randomText(24);
        refreshTokens.put(refreshToken, principal);
        return Json.createObjectBuilder()
                .add("type", "authorized_user")
                .add("client_id", "mock-client.apps.googleusercontent.com")
                .add("client_secret", "mock-" + randomText(12))
                .add("refresh_token", refreshToken)
                .add("token_uri", tokenUri().toString())
                .add("quota_project_id", project)
                .build()
                .toString();
    }

    /**
     * Workload identity federation's credentials ({@code type: external_account}) whose subject token is in
     * {@code subjectTokenFile} (written here, as a platform would); exchanged at this mock's Security Token Service,
     * it stands for {@code principal}, and, when {@code impersonate} is not null, is then exchanged for that service
     * account's token (which {@code principal} must be allowed to impersonate: {@link #allowImpersonation}).
     */
    public String externalAccount(Path subjectTokenFile, String principal, String impersonate) throws IOException {
        String subjectToken = "eyJmock." + randomText(32);
        Files.writeString(subjectTokenFile, subjectToken);
        String audience = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
                + "mock-pool/providers/mock-provider";
        subjectTokens.put(audience + " " + subjectToken, principal);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("type", "external_account")
                .add("audience", audience)
                .add("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
                .add("token_url", endpoint + "/v1/token")
                .add(
                        "credential_source",
                        Json.createObjectBuilder()
                                .add("file", subjectTokenFile.toString())
                                .add("format", Json.createObjectBuilder().add("type", "text")));
        if (impersonate != null) {
            json.add("service_account_impersonation_url", impersonationUrl(impersonate));
        }
        return json.build().toString();
    }

    /** {@code <mock>/v1/projects/-/serviceAccounts/<e-mail>:generateAccessToken} */
    public String impersonationUrl(String serviceAccount) {
        return endpoint + "/v1/projects/-/serviceAccounts/" + serviceAccount + ":generateAccessToken";
    }

    /**
     * Lets {@code caller} act as {@code serviceAccount} ({@code iam.serviceAccounts.getAccessToken}, as the Service
     * Account Token Creator role grants it); nobody may otherwise.
     */
    public void allowImpersonation(String caller, String serviceAccount) {
        serviceAccounts.add(serviceAccount);
        impersonation.add(caller + " " + serviceAccount);
    }

    /** The service account and project the metadata server answers with. */
    public void metadata(String serviceAccount, String project) {
        serviceAccounts.add(serviceAccount);
        this.metadataAccount = serviceAccount;
        this.metadataProject = project;
    }

    /** A token for {@code principal}, as if it had logged in. */
    public String token(String principal) {
        String token = "ya29.mock-" + randomText(40);
        tokens.put(token, new Issued(principal, Instant.now().plus(lifetime)));
        return token;
    }

    /** The principal an {@code Authorization} header's bearer token stands for, if it is valid now. */
    public Optional<String> principal(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String token = authorization.substring("Bearer ".length()).trim();
        Issued issued = tokens.get(token);
        if (issued != null) {
            if (issued.expires().isAfter(Instant.now())) {
                return Optional.of(issued.principal());
            }
            tokens.remove(token);
            return Optional.empty();
        }
        return selfSigned(token).map(claims -> claims.getString("iss", null));
    }

    boolean serves(String path) {
        return path.equals("/token")
                || path.equals("/v1/token")
                || path.startsWith("/computeMetadata/")
                || path.startsWith("/v1/projects/-/serviceAccounts/");
    }

    void handle(HttpExchange exchange, String path, byte[] body) throws IOException, GoogleError {
        if (path.startsWith("/computeMetadata/")) {
            metadata(exchange, path);
            return;
        }
        String operation = path.equals("/token") ? "token" : path.equals("/v1/token") ? "sts" : "generateAccessToken";
        counter.count(operation);
        Faults.Action action;
        try {
            action = faults.apply(operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            action = Faults.Action.INTERNAL_ERROR;
        }
        if (action == Faults.Action.THROTTLE) {
            throw GoogleRest.throttled("token requests");
        }
        if (action == Faults.Action.INTERNAL_ERROR) {
            throw GoogleRest.unavailable();
        }
        if (operation.equals("generateAccessToken")) {
            generateAccessToken(exchange, path, body);
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            oauthError(exchange, 405, "invalid_request", "POST only");
            return;
        }
        Map<String, String> form = GoogleRest.form(body);
        if (operation.equals("sts")) {
            sts(exchange, form);
        } else {
            grant(exchange, form);
        }
    }

    private void grant(HttpExchange exchange, Map<String, String> form) throws IOException {
        String grant = form.getOrDefault("grant_type", "");
        if (grant.equals("refresh_token")) {
            String principal = refreshTokens.get(form.getOrDefault("refresh_token", ""));
            if (principal == null) {
                oauthError(exchange, 400, "invalid_grant", "Token has been expired or revoked.");
                return;
            }
            issue(exchange, principal);
            return;
        }
        if (!grant.equals("urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            oauthError(exchange, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
            return;
        }
        Optional<JsonObject> claims = selfSigned(form.getOrDefault("assertion", ""));
        if (claims.isEmpty()) {
            oauthError(exchange, 400, "invalid_grant", "Invalid JWT Signature.");
            return;
        }
        String audience = claims.get().getString("aud", "");
        if (!audience.equals(tokenUri().toString()) && !audience.equals("https://oauth2.googleapis.com/token")) {
            oauthError(exchange, 400, "invalid_grant", "Invalid JWT: the audience is not this token endpoint.");
            return;
        }
        if (!claims.get().containsKey("scope") && !claims.get().containsKey("target_audience")) {
            oauthError(exchange, 400, "invalid_scope", "Invalid oauth scope or ID token audience provided.");
            return;
        }
        issue(exchange, claims.get().getString("iss", ""));
    }

    /** RFC 8693 token exchange: a subject token this mock handed out, for its audience. */
    private void sts(HttpExchange exchange, Map<String, String> form) throws IOException {
        if (!form.getOrDefault("grant_type", "").equals("urn:ietf:params:oauth:grant-type:token-exchange")) {
            oauthError(exchange, 400, "invalid_request", "Invalid value for \"grant_type\".");
            return;
        }
        String principal = subjectTokens.get(form.getOrDefault("audience", "") + " " + form.get("subject_token"));
        if (principal == null) {
            oauthError(
                    exchange,
                    400,
                    "invalid_grant",
                    "The audience in ID Token does not match the expected"
                            + " audience, or the subject token is invalid.");
            return;
        }
        String token = token(principal);
        GoogleRest.send(
                exchange,
                200,
                Json.createObjectBuilder()
                        .add("access_token", token)
                        .add("issued_token_type", "urn:ietf:params:oauth:token-type:access_token")
                        .add("token_type", "Bearer")
                        .add("expires_in", lifetime.toSeconds())
                        .build());
    }

    private void generateAccessToken(HttpExchange exchange, String path, byte[] body) throws IOException, GoogleError {
        String prefix = "/v1/projects/-/serviceAccounts/";
        String suffix = ":generateAccessToken";
        if (!path.endsWith(suffix) || !exchange.getRequestMethod().equals("POST")) {
            throw GoogleRest.notFound("Not found: " + path);
        }
        String account = path.substring(prefix.length(), path.length() - suffix.length());
        String caller = principal(exchange.getRequestHeaders().getFirst("Authorization"))
                .orElseThrow(GoogleRest::unauthenticated);
        GoogleRest.json(body);
        if (!serviceAccounts.contains(account)) {
            throw GoogleRest.notFound("Not found; Gaia id not found for email " + account);
        }
        if (!impersonation.contains(caller + " " + account)) {
            throw new GoogleError(
                    403,
                    "PERMISSION_DENIED",
                    "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
        }
        String token = token(account);
        GoogleRest.send(
                exchange,
                200,
                Json.createObjectBuilder()
                        .add("accessToken", token)
                        // Whole seconds, as IAM writes it ("2014-10-02T15:01:23Z"): Google's auth library parses no
                        // fraction.
                        .add(
                                "expireTime",
                                GoogleRest.time(Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS)))
                        .build());
    }

    /** The metadata server: only with {@code Metadata-Flavor: Google}, answering with it. */
    private void metadata(HttpExchange exchange, String path) throws IOException, GoogleError {
        if (!"Google".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
            text(exchange, 403, "Missing required header: Metadata-Flavor");
            return;
        }
        String root = "/computeMetadata/v1";
        String below = path.startsWith(root) ? path.substring(root.length()) : "/not-found";
        switch (below) {
            case "/instance/service-accounts/default/token": {
                counter.count("metadata");
                Faults.Action action;
                try {
                    action = faults.apply("metadata");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    action = Faults.Action.INTERNAL_ERROR;
                }
                if (action != Faults.Action.NONE) {
                    text(exchange, 503, "metadata server unavailable");
                    return;
                }
                String token = token(metadataAccount);
                exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
                GoogleRest.send(
                        exchange,
                        200,
                        Json.createObjectBuilder()
                                .add("access_token", token)
                                .add("expires_in", lifetime.toSeconds())
                                .add("token_type", "Bearer")
                                .build());
                return;
            }
            case "/instance/service-accounts/default/email":
                text(exchange, 200, metadataAccount);
                return;
            case "/project/project-id":
                text(exchange, 200, metadataProject);
                return;
            case "/project/numeric-project-id":
                text(exchange, 200, String.valueOf(MockGoogleCloud.projectNumber(metadataProject)));
                return;
            case "/":
            case "":
                text(exchange, 200, "instance/\nproject/\n");
                return;
            default:
                text(exchange, 404, "Not Found");
        }
    }

    private void issue(HttpExchange exchange, String principal) throws IOException {
        String token = token(principal);
        GoogleRest.send(
                exchange,
                200,
                Json.createObjectBuilder()
                        .add("access_token", token)
                        .add("expires_in", lifetime.toSeconds())
                        .add("token_type", "Bearer")
                        .build());
    }

    /** A JWT signed by a key this mock made, not expired: its claims. */
    private Optional<JsonObject> selfSigned(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            JsonObject header = GoogleRest.json(decoder.decode(parts[0]));
            JsonObject claims = GoogleRest.json(decoder.decode(parts[1]));
            PublicKey key = keys.get(header.getString("kid", ""));
            if (key == null || !"RS256".equals(header.getString("alg", ""))) {
                return Optional.empty();
            }
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(decoder.decode(parts[2]))) {
                return Optional.empty();
            }
            long now = Instant.now().getEpochSecond();
            if (!claims.containsKey("exp") || claims.getJsonNumber("exp").longValue() < now) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (GoogleError | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        GoogleRest.send(
                exchange,
                status,
                Json.createObjectBuilder()
                        .add("error", error)
                        .add("error_description", description)
                        .build());
    }

    private static void text(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Metadata-Flavor", "Google");
        exchange.getResponseHeaders().set("Content-Type", "application/text");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String randomText(int bytes) {
        byte[] random = new byte[bytes];
        this.random.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public String toString() {
        return "MockGoogleAuth[" + endpoint + "]";
    }
}
