package io.mpsecrets.testkit.azure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.tls.SelfSignedCertificate;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Azure Key Vault and the identity services in front of it, on one loopback port over HTTPS (Azure's Java SDK sends
 * tokens over TLS only), with a test CA made for it ({@link #caBundle()}): the vault ({@link MockKeyVault}) at
 * {@link #vaultUrl()}; Entra ID's token endpoint ({@code POST /<tenant>/oauth2/v2.0/token}: the
 * {@code client_credentials} grant with a client secret, a certificate's signed assertion, or a workload identity's
 * federated token), so {@link #endpoint()} is the authority host; the Instance Metadata Service
 * ({@code GET /metadata/identity/oauth2/token} with {@code Metadata: true}); and App Service's identity endpoint
 * ({@link #identityEndpoint()}, with {@link #identityHeader()}).
 *
 * <p>Key Vault answers a request without a valid token with 401 and the challenge the real one sends
 * ({@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 * resource="https://vault.azure.net"}). A token names its principal (a client id, or a managed identity's), which the
 * vault's policies are about; {@link #token(String)} makes one directly, for a client built with a stub credential.
 * Token requests are counted ({@code Entra}, {@code IMDS}, {@code AppService}) and can be made to fail
 * ({@link #identityFaults()}). Bound to 127.0.0.1 only.
 */
public final class MockAzure implements AutoCloseable {

    /** The resource (audience) of Key Vault tokens. */
    public static final String VAULT_RESOURCE = "https://vault.azure.net";

    private static final Logger LOG = Logger.getLogger(MockAzure.class.getName());

    private final HttpsServer https;
    private final ExecutorService executor;
    private final SelfSignedCertificate certificates;
    /** The directory {@link #start()} made for the test CA, removed at close; null when the caller gave one. */
    private final TempDirectory ownDirectory;

    private final MockKeyVault vault;
    private final String tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private final String identityHeader = UUID.randomUUID().toString();
    private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
    private final Map<String, X509Certificate> clientCertificates = new ConcurrentHashMap<>();
    private final Map<String, String> federated = new ConcurrentHashMap<>();
    private final Set<String> managedIdentities = ConcurrentHashMap.newKeySet();
    private volatile String systemAssigned = "system-assigned-identity";
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final CallCounter identityCounter = new CallCounter();
    private final Faults identityFaults = new Faults();
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    private record Issued(String principal, String resource, Instant expires) {}

    private MockAzure(HttpsServer https, SelfSignedCertificate certificates, TempDirectory ownDirectory) {
        this.https = https;
        this.certificates = certificates;
        this.ownDirectory = ownDirectory;
        this.vault = new MockKeyVault("https://127.0.0.1:" + https.getAddress().getPort());
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "mock-azure");
            thread.setDaemon(true);
            return thread;
        });
        https.setExecutor(executor);
        https.createContext("/", this::serve);
        https.start();
    }

    /** Starts on a free loopback port, with a test CA in a new temporary directory that {@link #close()} removes. */
    public static MockAzure start() {
        TempDirectory directory = TempDirectory.create("mock-azure");
        try {
            return start(directory.path(), 0, directory);
        } catch (RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    /** Starts on {@code port} (0: a free one), writing its test CA into {@code dir}, which stays after close. */
    public static MockAzure start(Path dir, int port) {
        return start(dir, port, null);
    }

    private static MockAzure start(Path dir, int port, TempDirectory ownDirectory) {
        SelfSignedCertificate certificates = SelfSignedCertificate.create(dir);
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(certificates.serverContext()));
            return new MockAzure(https, certificates, ownDirectory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** {@code https://127.0.0.1:<port>}: the vault, the authority host and the IMDS endpoint. */
    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + https.getAddress().getPort());
    }

    /** The vault's URL ({@code mpsecrets.azure.vault-url}). */
    public URI vaultUrl() {
        return endpoint();
    }

    /** The test CA's certificate, PEM ({@code mpsecrets.azure.ca-bundle}). */
    public Path caBundle() {
        return certificates.caBundle();
    }

    public MockKeyVault vault() {
        return vault;
    }

    /** The tenant Key Vault's challenge names. */
    public String tenant() {
        return tenant;
    }

    /** App Service's identity endpoint ({@code IDENTITY_ENDPOINT}). */
    public URI identityEndpoint() {
        return URI.create(endpoint() + "/msi/token");
    }

    /** The secret App Service gives an application for its identity endpoint ({@code IDENTITY_HEADER}). */
    public String identityHeader() {
        return identityHeader;
    }

    /** Registers an app with a client secret. */
    public MockAzure clientSecret(String clientId, String secret) {
        clientSecrets.put(clientId, secret);
        return this;
    }

    /** Registers an app with a certificate: assertions signed by its key (RS256, {@code x5t}) log it in. */
    public MockAzure clientCertificate(String clientId, X509Certificate certificate) {
        clientCertificates.put(clientId, certificate);
        return this;
    }

    /**
     * A federated token for {@code clientId}, as the kubelet writes it to {@code AZURE_FEDERATED_TOKEN_FILE}; Entra
     * ID takes it as the client's assertion. A new call replaces the client's token (a rotation).
     */
    public String federatedToken(String clientId) {
        String token = "eyJmb2NrIjoiazhzIn0." + UUID.randomUUID() + ".sa";
        federated.put(clientId, token);
        return token;
    }

    /** Assigns a user-assigned managed identity, by its client id, to the "machine" (IMDS, App Service). */
    public MockAzure managedIdentity(String clientId) {
        managedIdentities.add(clientId);
        return this;
    }

    /** The principal of the system-assigned identity; null: the machine has none. */
    public MockAzure systemAssignedIdentity(String principal) {
        this.systemAssigned = principal;
        return this;
    }

    /** How long the tokens issued from now on live (an hour unless set). */
    public MockAzure tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** A Key Vault token for {@code principal}, as if Entra ID had issued it: for clients with a stub credential. */
    public String token(String principal) {
        return issue(principal, VAULT_RESOURCE);
    }

    /** Revokes every token issued so far: Key Vault refuses them with 401. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Token requests per service: {@code Entra}, {@code IMDS}, {@code AppService}. */
    public CallCounter identityCounter() {
        return identityCounter;
    }

    /** Faults for the token services (operation names as {@link #identityCounter()}'s). */
    public Faults identityFaults() {
        return identityFaults;
    }

    private String issue(String principal, String resource) {
        String token = "mock-aad-" + UUID.randomUUID();
        tokens.put(token, new Issued(principal, resource, Instant.now().plus(tokenLifetime)));
        return token;
    }

    @Override
    public void close() {
        https.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownDirectory != null) {
            ownDirectory.close();
        }
    }

    // ---- serving ----

    private void serve(HttpExchange exchange) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(1024 * 1024);
            }
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query =
                    MockKeyVault.query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/metadata/identity/oauth2/token")) {
                send(exchange, imds(exchange, query));
            } else if (path.equals("/msi/token")) {
                send(exchange, appService(exchange, query));
            } else if (path.endsWith("/oauth2/v2.0/token")
                    && exchange.getRequestMethod().equals("POST")) {
                send(exchange, entra(path, new String(body, StandardCharsets.UTF_8)));
            } else {
                send(exchange, keyVault(exchange, path, query, body));
            }
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(
                    Level.WARNING,
                    "mock azure: " + e.getClass().getName() + " serving "
                            + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(500, -1);
        } finally {
            exchange.close();
        }
    }

    private KeyVaultAnswer keyVault(HttpExchange exchange, String path, Map<String, String> query, byte[] body)
            throws InterruptedException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String challenge = "Bearer authorization=\"https://login.microsoftonline.com/" + tenant + "\", resource=\""
                + VAULT_RESOURCE + "\"";
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return KeyVaultAnswer.error(
                            401, "Unauthorized", null, "AKV10000: Request is missing a Bearer or PoP token.")
                    .withHeader("WWW-Authenticate", challenge);
        }
        Issued issued = tokens.get(authorization.substring("Bearer ".length()).trim());
        if (issued == null || !issued.expires().isAfter(Instant.now())) {
            return KeyVaultAnswer.error(
                            401, "Unauthorized", null, "AKV10032: Invalid issuer, or the token expired or was revoked.")
                    .withHeader("WWW-Authenticate", challenge);
        }
        if (!issued.resource().equals(VAULT_RESOURCE)) {
            return KeyVaultAnswer.error(401, "Unauthorized", null, "AKV10022: Invalid audience.")
                    .withHeader("WWW-Authenticate", challenge);
        }
        JsonObject json = null;
        if (body.length > 0) {
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
                json = reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                return KeyVaultAnswer.badParameter("The request body is not valid JSON.");
            }
        }
        List<String> segments = new ArrayList<>(Arrays.asList(path.split("/", -1)));
        segments.remove(0);
        if (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty() && segments.size() == 3) {
            segments.remove(segments.size() - 1); // "/secrets/name/": the current version
        }
        List<String> decoded = segments.stream()
                .map(s -> java.net.URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
        return vault.handle(exchange.getRequestMethod(), decoded, query, json, issued.principal());
    }

    private KeyVaultAnswer entra(String path, String form) throws InterruptedException {
        identityCounter.count("Entra");
        KeyVaultAnswer fault = fault("Entra");
        if (fault != null) {
            return fault;
        }
        String[] segments = path.split("/");
        if (segments.length != 5 || !segments[1].equals(tenant)) {
            return oauthError(400, "invalid_request", "AADSTS90002: Tenant '" + segments[1] + "' not found.");
        }
        Map<String, String> parameters = MockKeyVault.query(form);
        if (!"client_credentials".equals(parameters.get("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant.");
        }
        String scope = parameters.getOrDefault("scope", "");
        if (!scope.endsWith("/.default")) {
            return oauthError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
        }
        String resource = scope.substring(0, scope.length() - "/.default".length());
        String clientId = parameters.getOrDefault("client_id", "");
        String secret = parameters.get("client_secret");
        String assertion = parameters.get("client_assertion");
        boolean known = clientSecrets.containsKey(clientId)
                || clientCertificates.containsKey(clientId)
                || federated.containsKey(clientId);
        if (!known) {
            return oauthError(
                    400,
                    "unauthorized_client",
                    "AADSTS700016: Application with identifier '" + clientId + "' was not found in the directory.");
        }
        boolean authenticated;
        if (secret != null) {
            authenticated = MessageDigest.isEqual(
                    secret.getBytes(StandardCharsets.UTF_8),
                    clientSecrets.getOrDefault(clientId, "\0").getBytes(StandardCharsets.UTF_8));
        } else if (assertion != null
                && "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                        .equals(parameters.get("client_assertion_type"))) {
            authenticated = assertion.equals(federated.get(clientId))
                    || signedAssertion(assertion, clientId, endpoint() + path);
        } else {
            authenticated = false;
        }
        if (!authenticated) {
            return oauthError(
                    401,
                    "invalid_client",
                    "AADSTS7000215: Invalid client secret provided, or the client assertion did not validate.");
        }
        long lifetime = tokenLifetime.toSeconds();
        return KeyVaultAnswer.ok(Json.createObjectBuilder()
                .add("token_type", "Bearer")
                .add("expires_in", lifetime)
                .add("ext_expires_in", lifetime)
                .add("access_token", issue(clientId, resource))
                .build());
    }

    /** An RS256 JWT signed by the client's registered certificate's key, for this endpoint, unexpired. */
    private boolean signedAssertion(String jwt, String clientId, String audience) {
        X509Certificate certificate = clientCertificates.get(clientId);
        String[] parts = jwt.split("\\.");
        if (certificate == null || parts.length != 3) {
            return false;
        }
        try {
            JsonObject header = json(parts[0]);
            JsonObject claims = json(parts[1]);
            String thumbprint = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(certificate.getPublicKey());
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return "RS256".equals(header.getString("alg", ""))
                    && thumbprint.equals(header.getString("x5t", ""))
                    && signature.verify(Base64.getUrlDecoder().decode(parts[2]))
                    && audience.equals(claims.getString("aud", ""))
                    && clientId.equals(claims.getString("iss", ""))
                    && clientId.equals(claims.getString("sub", ""))
                    && claims.getJsonNumber("exp").longValue() > Instant.now().getEpochSecond();
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static JsonObject json(String base64Url) {
        try (JsonReader reader = Json.createReader(
                new ByteArrayInputStream(Base64.getUrlDecoder().decode(base64Url)))) {
            return reader.readObject();
        }
    }

    private KeyVaultAnswer imds(HttpExchange exchange, Map<String, String> query) throws InterruptedException {
        identityCounter.count("IMDS");
        KeyVaultAnswer fault = fault("IMDS");
        if (fault != null) {
            return fault;
        }
        if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata"))) {
            return oauthError(400, "invalid_request", "Required metadata header not specified");
        }
        return managedIdentityToken(query, "2018-02-01");
    }

    private KeyVaultAnswer appService(HttpExchange exchange, Map<String, String> query) throws InterruptedException {
        identityCounter.count("AppService");
        KeyVaultAnswer fault = fault("AppService");
        if (fault != null) {
            return fault;
        }
        if (!identityHeader.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
            return new KeyVaultAnswer(
                    401,
                    Json.createObjectBuilder()
                            .add("statusCode", 401)
                            .add("message", "Unauthorized")
                            .build(),
                    Map.of());
        }
        return managedIdentityToken(query, "2019-08-01");
    }

    private KeyVaultAnswer managedIdentityToken(Map<String, String> query, String apiVersion) {
        if (!apiVersion.equals(query.get("api-version"))) {
            return oauthError(400, "invalid_request", "api-version " + query.get("api-version") + " not supported");
        }
        String resource = query.get("resource");
        if (resource == null || resource.isEmpty()) {
            return oauthError(400, "invalid_request", "Required query variable 'resource' is missing");
        }
        String clientId = query.get("client_id");
        String principal = clientId != null ? (managedIdentities.contains(clientId) ? clientId : null) : systemAssigned;
        if (principal == null) {
            return oauthError(400, "invalid_request", "Identity not found");
        }
        long lifetime = tokenLifetime.toSeconds();
        JsonObjectBuilder out = Json.createObjectBuilder()
                .add("access_token", issue(principal, resource.replaceAll("/+$", "")))
                .add("expires_on", String.valueOf(Instant.now().getEpochSecond() + lifetime))
                .add("resource", resource)
                .add("token_type", "Bearer")
                .add("client_id", principal);
        if (apiVersion.equals("2018-02-01")) {
            out.add("expires_in", String.valueOf(lifetime));
        }
        return KeyVaultAnswer.ok(out.build());
    }

    private KeyVaultAnswer fault(String operation) throws InterruptedException {
        Faults.Action action = identityFaults.apply(operation);
        if (action == Faults.Action.THROTTLE) {
            return oauthError(429, "temporarily_unavailable", "AADSTS50196: The server terminated an operation.")
                    .withHeader("Retry-After", "0");
        }
        if (action == Faults.Action.INTERNAL_ERROR) {
            return oauthError(500, "server_error", "AADSTS90033: A transient error has occurred.");
        }
        return null;
    }

    private static KeyVaultAnswer oauthError(int status, String error, String description) {
        return new KeyVaultAnswer(
                status,
                Json.createObjectBuilder()
                        .add("error", error)
                        .add("error_description", description)
                        .add("error_codes", Json.createArrayBuilder())
                        .add("timestamp", Instant.now().toString())
                        .build(),
                Map.of());
    }

    private static void send(HttpExchange exchange, KeyVaultAnswer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "MockAzure[" + endpoint() + "]";
    }
}
