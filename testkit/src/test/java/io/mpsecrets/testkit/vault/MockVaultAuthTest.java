package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.VaultHttp.quoted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.TestCertificates;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The mock Vault's login methods as Vault answers them, driven over HTTP as the {@code vault} CLI drives Vault: JWT
 * (signatures, expiry, audiences, claims), userpass and LDAP, response wrapping, namespaces, max TTLs and revocation,
 * agent mode, TLS certificates over the mock's HTTPS, and AWS IAM with a request signed by the AWS SDK's own SigV4
 * signer.
 */
class MockVaultAuthTest {

    @TempDir
    Path dir;

    private MockServer server;
    private MockVault vault;
    private VaultHttp http;

    @BeforeEach
    void start() {
        server = MockServer.start();
        vault = server.vault();
        http = new VaultHttp(server.endpoint());
        vault.putV2("secret/app", Map.of("k", "v"));
        vault.policy("app", "secret/data/app", "read");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String token(VaultHttp.Answer login) {
        assertEquals(200, login.status(), () -> login.json().toString());
        return login.json().getJsonObject("auth").getString("client_token");
    }

    @Test
    void jwtLoginsVerifyTheSignatureExpiryAudienceAndClaims() throws Exception {
        JwtIssuer rsa = JwtIssuer.rsa();
        JwtIssuer ec = JwtIssuer.ec();
        vault.jwtAuth("jwt", rsa.issuer(), rsa.publicKey(), ec.publicKey());
        vault.jwtRole(
                "jwt", "orders", Set.of("vault"), Map.of("repository", "acme/orders"), Duration.ofMinutes(5), "app");
        Map<String, String> claims = Map.of("repository", "acme/orders");
        for (JwtIssuer issuer : List.of(rsa, ec)) {
            String jwt = issuer.issue("ci", "vault", Duration.ofMinutes(1), claims);
            String token = token(http.call("POST", "auth/jwt/login", null, login("orders", jwt)));
            assertEquals(200, http.call("GET", "secret/data/app", token, null).status());
        }
        JwtIssuer stranger = JwtIssuer.rsa();
        assertRefused(
                login("orders", stranger.issue("ci", "vault", Duration.ofMinutes(1), claims)),
                "failed to verify id token signature");
        assertRefused(
                login(
                        "orders",
                        rsa.sign(Json.createObjectBuilder()
                                .add("iss", rsa.issuer())
                                .add("sub", "ci")
                                .add("aud", "vault")
                                .add("repository", "acme/orders")
                                .add("exp", Instant.now().getEpochSecond() - 1)
                                .build())),
                "token is expired");
        assertRefused(login("orders", rsa.issue("ci", "other", Duration.ofMinutes(1), claims)), "invalid audience");
        assertRefused(
                login("orders", rsa.issue("ci", "vault", Duration.ofMinutes(1), Map.of("repository", "evil/fork"))),
                "does not match any associated bound claim values");
        assertRefused(login("nope", rsa.issue("ci", "vault", Duration.ofMinutes(1), claims)), "could not be found");
        String tampered = rsa.issue("ci", "vault", Duration.ofMinutes(1), claims);
        String[] parts = tampered.split("\\.");
        String admin = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"ci\"", "\"admin\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertRefused(login("orders", parts[0] + "." + admin + "." + parts[2]), "failed to verify");
        assertEquals(2, vault.calls("login:jwt") - 6);
    }

    private void assertRefused(String body, String error) throws Exception {
        VaultHttp.Answer answer = http.call("POST", "auth/jwt/login", null, body);
        assertEquals(400, answer.status());
        assertThat(answer.error()).contains(error);
    }

    private static String login(String role, String jwt) {
        return "{\"role\":" + quoted(role) + ",\"jwt\":" + quoted(jwt) + "}";
    }

    @Test
    void userpassAndLdapLogInWithAPassword() throws Exception {
        vault.userpassUser("userpass", "Alice", "pw-" + LeakGuard.CANARY, Duration.ofMinutes(5), "app");
        vault.ldapUser("corp-ldap", "bob", "ldap-" + LeakGuard.CANARY, Duration.ofMinutes(5), "app");
        String alice = token(http.call(
                "POST", "auth/userpass/login/alice", null, "{\"password\":" + quoted("pw-" + LeakGuard.CANARY) + "}"));
        assertEquals(200, http.call("GET", "secret/data/app", alice, null).status());
        VaultHttp.Answer wrong = http.call("POST", "auth/userpass/login/alice", null, "{\"password\":\"guess\"}");
        assertEquals(400, wrong.status());
        assertEquals("invalid username or password", wrong.error());
        token(http.call(
                "POST", "auth/corp-ldap/login/bob", null, "{\"password\":" + quoted("ldap-" + LeakGuard.CANARY) + "}"));
        VaultHttp.Answer ldapWrong = http.call("POST", "auth/corp-ldap/login/bob", null, "{\"password\":\"guess\"}");
        assertEquals(400, ldapWrong.status());
        assertEquals("ldap operation failed: failed to bind as user", ldapWrong.error());
        assertEquals(2, vault.calls("login:corp-ldap"));
    }

    @Test
    void wrappedAnswersAreUnwrappedOnceAndDescribedByTheirCreationPath() throws Exception {
        vault.appRole("orders-role", "first-secret", Duration.ofMinutes(5), "app");
        String wrapping = vault.wrappedSecretId("orders-role", Duration.ofMinutes(1));
        VaultHttp.Answer lookup =
                http.call("POST", "sys/wrapping/lookup", null, "{\"token\":" + quoted(wrapping) + "}");
        assertEquals(200, lookup.status());
        assertEquals("auth/approle/role/orders-role/secret-id", lookup.data().getString("creation_path"));
        VaultHttp.Answer unwrapped = http.call("POST", "sys/wrapping/unwrap", wrapping, null);
        assertEquals(200, unwrapped.status());
        String secretId = unwrapped.data().getString("secret_id");
        token(http.call(
                "POST",
                "auth/approle/login",
                null,
                "{\"role_id\":\"orders-role\",\"secret_id\":" + quoted(secretId) + "}"));
        VaultHttp.Answer again = http.call("POST", "sys/wrapping/unwrap", wrapping, null);
        assertEquals(400, again.status());
        assertEquals("wrapping token is not valid or does not exist", again.error());

        // X-Vault-Wrap-TTL on any request, as vault token create -wrap-ttl=60s sends it
        HttpResponse<String> wrapped = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/auth/token/create"))
                                .header("X-Vault-Token", "root")
                                .header("X-Vault-Wrap-TTL", "60s")
                                .POST(HttpRequest.BodyPublishers.ofString(VaultHttp.tokenCreateRequest("app")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonObject wrapInfo =
                Json.createReader(new StringReader(wrapped.body())).readObject().getJsonObject("wrap_info");
        assertEquals(60, wrapInfo.getInt("ttl"));
        assertEquals("auth/token/create", wrapInfo.getString("creation_path"));
        VaultHttp.Answer token = http.call(
                "POST", "sys/wrapping/unwrap", "root", "{\"token\":" + quoted(wrapInfo.getString("token")) + "}");
        assertEquals(
                200, http.call("GET", "secret/data/app", token(token), null).status());

        String data = vault.wrap(Map.of("k", "wrapped-" + LeakGuard.CANARY), Duration.ofMinutes(1));
        assertEquals(
                "wrapped-" + LeakGuard.CANARY,
                http.call("POST", "sys/wrapping/unwrap", data, null).data().getString("k"));
    }

    @Test
    void loginsInTheAuthNamespaceGiveTokensGoodThereAndBelow() throws Exception {
        vault.userpassUser("userpass", "alice", "pw", Duration.ofMinutes(5), "app");
        vault.authNamespace("team-a");
        try {
            assertEquals(
                    404,
                    http.call("POST", "auth/userpass/login/alice", null, "{\"password\":\"pw\"}")
                            .status());
            String token = token(call("POST", "auth/userpass/login/alice", null, "{\"password\":\"pw\"}", "team-a"));
            assertEquals(
                    200,
                    call("GET", "secret/data/app", token, null, "team-a/orders").status());
            assertEquals(
                    200, call("GET", "secret/data/app", token, null, "team-a").status());
            assertEquals(403, call("GET", "secret/data/app", token, null, null).status());
            assertEquals(
                    403, call("GET", "secret/data/app", token, null, "team-b").status());
        } finally {
            vault.authNamespace(null);
        }
    }

    private VaultHttp.Answer call(String method, String path, String token, String body, String namespace)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/" + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new VaultHttp.Answer(
                response.statusCode(),
                response.body().isEmpty()
                        ? null
                        : Json.createReader(new StringReader(response.body())).readObject());
    }

    @Test
    void renewalsStopAtTheMaxTtlAndARevokedTokenIsRefused() throws Exception {
        vault.userpassUser("userpass", "alice", "pw", Duration.ofSeconds(60), "app");
        vault.tokenMaxTtl(Duration.ofSeconds(90));
        try {
            VaultHttp.Answer login = http.call("POST", "auth/userpass/login/alice", null, "{\"password\":\"pw\"}");
            String token = token(login);
            assertEquals(60, login.json().getJsonObject("auth").getInt("lease_duration"));
            VaultHttp.Answer renewed = http.call("POST", "auth/token/renew-self", token, "{\"increment\":\"3600s\"}");
            assertThat(renewed.json().getJsonObject("auth").getInt("lease_duration"))
                    .isBetween(88, 90);
            assertThat(http.call("GET", "auth/token/lookup-self", token, null)
                            .data()
                            .getInt("explicit_max_ttl"))
                    .isEqualTo(90);
            assertEquals(true, vault.revoke(token));
            assertEquals(403, http.call("GET", "secret/data/app", token, null).status());
        } finally {
            vault.tokenMaxTtl(null);
        }
    }

    @Test
    void inAgentModeARequestWithoutATokenCarriesTheAgents() throws Exception {
        assertEquals(403, http.call("GET", "secret/data/app", null, null).status());
        vault.agentToken(vault.token(Duration.ZERO, "app"));
        assertEquals(200, http.call("GET", "secret/data/app", null, null).status());
        vault.agentToken(null);
    }

    @Test
    void certLoginsTakeTheConnectionsClientCertificate() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        try (MockServer https = MockServer.builder()
                .tls(certificates.serverContext())
                .wantClientCertificates()
                .start()) {
            https.vault().putV2("secret/app", Map.of("k", "v"));
            https.vault().policy("app", "secret/data/app", "read");
            https.vault().certRole("cert", "web", certificates.clientCa(), Duration.ofMinutes(5), "app");
            TestCertificates.ClientCertificate client = certificates.clientCertificate("orders");
            String body = "{\"name\":\"web\"}";
            HttpResponse<String> login = client(certificates, client.keyStore(), client.password())
                    .send(loginRequest(https, body), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            HttpResponse<String> none = client(certificates, null, null)
                    .send(loginRequest(https, body), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, none.statusCode());
            assertThat(none.body()).contains("client certificate must be supplied");
            TestCertificates other = TestCertificates.create(Files.createDirectories(dir.resolve("other")));
            TestCertificates.ClientCertificate stranger = other.clientCertificate("orders");
            HttpResponse<String> refused = client(certificates, stranger.keyStore(), stranger.password())
                    .send(loginRequest(https, body), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode());
            assertThat(refused.body()).contains("invalid certificate or no client certificate supplied");
        }
    }

    private static HttpRequest loginRequest(MockServer https, String body) {
        return HttpRequest.newBuilder(URI.create(https.endpoint() + "/v1/auth/cert/login"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpClient client(TestCertificates certificates, Path keyStore, String password) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificates.caBundle())) {
            trusted.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, password.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * The IAM login as Vault's CLI makes it ({@code vault login -method=aws header_value=...}): an
     * {@code sts:GetCallerIdentity} request signed by the AWS SDK's SigV4 signer, sent base64-encoded.
     */
    @Test
    void awsIamLoginsCheckTheSigV4SignatureAndTheServerIdHeader() throws Exception {
        String arn = "arn:aws:iam::111122223333:role/orders";
        vault.awsCredentials("AKIDORDERS", "secret-" + LeakGuard.CANARY, arn);
        vault.awsRole("aws", "orders", arn, Duration.ofMinutes(5), "app");
        vault.awsServerId("aws", "vault.example.com");
        String token = token(http.call(
                "POST",
                "auth/aws/login",
                null,
                awsLogin("AKIDORDERS", "secret-" + LeakGuard.CANARY, "vault.example.com")));
        assertEquals(200, http.call("GET", "secret/data/app", token, null).status());
        VaultHttp.Answer forged =
                http.call("POST", "auth/aws/login", null, awsLogin("AKIDORDERS", "guessed", "vault.example.com"));
        assertEquals(400, forged.status());
        assertThat(forged.error()).contains("SignatureDoesNotMatch");
        VaultHttp.Answer unknown =
                http.call("POST", "auth/aws/login", null, awsLogin("AKIDOTHER", "x", "vault.example.com"));
        assertThat(unknown.error()).contains("InvalidClientTokenId");
        VaultHttp.Answer otherServer =
                http.call("POST", "auth/aws/login", null, awsLogin("AKIDORDERS", "secret-" + LeakGuard.CANARY, "evil"));
        assertEquals(400, otherServer.status());
        assertThat(otherServer.error()).contains("expected \"vault.example.com\"");
        VaultHttp.Answer noHeader =
                http.call("POST", "auth/aws/login", null, awsLogin("AKIDORDERS", "secret-" + LeakGuard.CANARY, null));
        assertThat(noHeader.error()).contains("X-Vault-AWS-IAM-Server-ID");
    }

    private static String awsLogin(String accessKeyId, String secretKey, String serverId) {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://sts.amazonaws.com/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        if (serverId != null) {
            request.putHeader("X-Vault-AWS-IAM-Server-ID", serverId);
        }
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(accessKeyId, secretKey))
                        .request(request.build())
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        JsonObjectBuilder headers = Json.createObjectBuilder();
        signed.request().headers().forEach((name, values) -> headers.add(name, Json.createArrayBuilder(values)));
        Base64.Encoder base64 = Base64.getEncoder();
        return Json.createObjectBuilder()
                .add("role", "orders")
                .add("iam_http_request_method", "POST")
                .add(
                        "iam_request_url",
                        base64.encodeToString("https://sts.amazonaws.com/".getBytes(StandardCharsets.UTF_8)))
                .add("iam_request_body", base64.encodeToString(body.getBytes(StandardCharsets.UTF_8)))
                .add(
                        "iam_request_headers",
                        base64.encodeToString(headers.build().toString().getBytes(StandardCharsets.UTF_8)))
                .build()
                .toString();
    }
}
