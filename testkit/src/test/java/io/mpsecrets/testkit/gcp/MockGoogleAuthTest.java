package io.mpsecrets.testkit.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.TestCertificates;
import io.mpsecrets.testkit.WithMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mock's token issuers as Google's own auth library ({@code google-auth-library-oauth2-http}) uses them: a service
 * account key's JWT grant, gcloud's user credentials, workload identity federation's token exchange (with and without
 * impersonation), IAM's {@code generateAccessToken}, and the metadata server. Each token it issues stands for the
 * principal the credentials name.
 */
@WithMockServer
class MockGoogleAuthTest {

    private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

    private final MockServer server;

    @TempDir
    Path dir;

    MockGoogleAuthTest(MockServer server) {
        this.server = server;
    }

    private MockGoogleAuth auth() {
        return server.gcp().auth();
    }

    private static GoogleCredentials read(String json) throws IOException {
        return GoogleCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                .createScoped(List.of(CLOUD_PLATFORM));
    }

    private Optional<String> principal(AccessToken token) {
        return auth().principal("Bearer " + token.getTokenValue());
    }

    @Test
    void aServiceAccountKeysJwtGrantGivesATokenForTheServiceAccount() throws Exception {
        String email = "orders@orders-prod.iam.gserviceaccount.com";
        GoogleCredentials credentials = read(auth().serviceAccountKey(email, "orders-prod"));
        assertThat(credentials).isInstanceOf(ServiceAccountCredentials.class);
        long before = auth().counter().calls("token");
        AccessToken token = credentials.refreshAccessToken();
        assertEquals(Optional.of(email), principal(token));
        assertThat(token.getExpirationTime().getTime() - System.currentTimeMillis())
                .isBetween(
                        Duration.ofMinutes(59).toMillis(),
                        Duration.ofMinutes(61).toMillis());
        assertEquals(before + 1, auth().counter().calls("token"));

        // A key the mock did not make: Google's "Invalid JWT Signature." as invalid_grant.
        String foreign = new MockGoogleCloud(server.endpoint()).auth().serviceAccountKey(email, "orders-prod");
        IOException refused =
                assertThrows(IOException.class, () -> read(foreign).refreshAccessToken());
        assertThat(refused.getMessage()).contains("invalid_grant");
    }

    @Test
    void userCredentialsRefreshTheirToken() throws Exception {
        AccessToken token =
                read(auth().authorizedUser("dev@example.com", "orders-prod")).refreshAccessToken();
        assertEquals(Optional.of("dev@example.com"), principal(token));
    }

    @Test
    void workloadIdentityFederationExchangesTheSubjectTokenAndImpersonates() throws Exception {
        // Google's library accepts only https token and impersonation URLs: this test has a mock of its own on TLS.
        TestCertificates certificates = TestCertificates.create(dir);
        try (MockServer tls =
                MockServer.builder().tls(certificates.serverContext()).start()) {
            MockGoogleAuth auth = tls.gcp().auth();
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(certificates.caBundle())) {
                trust.setCertificateEntry(
                        "mock", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            }
            NetHttpTransport transport =
                    new NetHttpTransport.Builder().trustCertificates(trust).build();
            HttpTransportFactory transports = () -> transport;
            String federated = "principal://iam.googleapis.com/projects/123456789012/locations/global/"
                    + "workloadIdentityPools/mock-pool/subject/system:serviceaccount:orders:app";
            AccessToken direct = read(auth.externalAccount(dir.resolve("token-1"), federated, null), transports)
                    .refreshAccessToken();
            assertEquals(Optional.of(federated), auth.principal("Bearer " + direct.getTokenValue()));
            assertEquals(1, auth.counter().calls("sts"));

            String account = "orders@orders-prod.iam.gserviceaccount.com";
            auth.serviceAccountKey(
                    account, "orders-prod"); // the account exists (IAM answers 404 for one that does not)
            String impersonating = auth.externalAccount(dir.resolve("token-2"), federated, account);
            IOException denied = assertThrows(
                    IOException.class, () -> read(impersonating, transports).refreshAccessToken());
            assertThat(messages(denied)).contains("PERMISSION_DENIED").contains("iam.serviceAccounts.getAccessToken");
            auth.allowImpersonation(federated, account);
            AccessToken impersonated = read(impersonating, transports).refreshAccessToken();
            assertEquals(Optional.of(account), auth.principal("Bearer " + impersonated.getTokenValue()));
        }
    }

    /** A failure's message and its causes'. */
    private static String messages(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static GoogleCredentials read(String json, HttpTransportFactory transports) throws IOException {
        return GoogleCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), transports)
                .createScoped(List.of(CLOUD_PLATFORM));
    }

    @Test
    void impersonatedCredentialsActAsTheTargetServiceAccount() throws Exception {
        String caller = "ci@orders-prod.iam.gserviceaccount.com";
        String target = "orders@orders-prod.iam.gserviceaccount.com";
        GoogleCredentials source = read(auth().serviceAccountKey(caller, "orders-prod"));
        auth().allowImpersonation(caller, target);
        ImpersonatedCredentials impersonated = ImpersonatedCredentials.newBuilder()
                .setSourceCredentials(source)
                .setTargetPrincipal(target)
                .setScopes(List.of(CLOUD_PLATFORM))
                .setLifetime(3600)
                .setIamEndpointOverride(auth().impersonationUrl(target))
                .build();
        assertEquals(Optional.of(target), principal(impersonated.refreshAccessToken()));
    }

    @Test
    void theMetadataServerAnswersGooglesComputeEngineCredentials() throws Exception {
        auth().metadata("app@orders-prod.iam.gserviceaccount.com", "orders-prod");
        URI mock = server.endpoint();
        // Google's library reaches the metadata server at 169.254.169.254 (or GCE_METADATA_HOST, which a test cannot
        // set): its transport is pointed at the mock instead.
        NetHttpTransport transport = new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection)
                        new URL(mock.getScheme(), mock.getHost(), mock.getPort(), url.getFile()).openConnection())
                .build();
        ComputeEngineCredentials credentials = ComputeEngineCredentials.newBuilder()
                .setHttpTransportFactory(() -> transport)
                .build();
        assertEquals(
                Optional.of("app@orders-prod.iam.gserviceaccount.com"), principal(credentials.refreshAccessToken()));
        assertEquals("app@orders-prod.iam.gserviceaccount.com", credentials.getAccount());
    }

    @Test
    void expiredAndRevokedTokensStandForNobody() throws Exception {
        auth().tokenLifetime(Duration.ofMillis(1));
        String expired = auth().token("someone@example.com");
        Thread.sleep(5);
        assertEquals(Optional.empty(), auth().principal("Bearer " + expired));
        auth().tokenLifetime(Duration.ofHours(1));
        String revoked = auth().token("someone@example.com");
        auth().expireTokens();
        assertEquals(Optional.empty(), auth().principal("Bearer " + revoked));
        assertEquals(Optional.empty(), auth().principal("Bearer not-a-token"));
        assertEquals(Optional.empty(), auth().principal(null));
    }
}
