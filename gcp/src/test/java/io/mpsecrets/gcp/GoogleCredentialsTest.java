package io.mpsecrets.gcp;

import static io.mpsecrets.gcp.GcpTestSupport.PROJECT;
import static io.mpsecrets.gcp.GcpTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.gcp.MockGoogleAuth;
import io.mpsecrets.testkit.gcp.MockSecretManager;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application Default Credentials against the mock's token issuers (which Google's own auth library accepts,
 * {@code MockGoogleAuthTest}): a token is asked for once and kept, gcloud's user credentials, the metadata server,
 * impersonation through IAM, and credentials files that are not ones as configuration errors naming no secret.
 */
@WithMockServer
class GoogleCredentialsTest {

    private final MockServer server;
    private final MockGoogleAuth auth;
    private final MockSecretManager secrets;

    @TempDir
    Path dir;

    GoogleCredentialsTest(MockServer server) {
        this.server = server;
        this.auth = server.gcp().auth();
        this.secrets = server.gcp().secretManager();
    }

    private String secret(String value) {
        String id = "s-" + UUID.randomUUID().toString().substring(0, 8);
        secrets.createSecret("projects/" + PROJECT + "/secrets/" + id, value);
        return id;
    }

    private static String text(SecretStore store, String id) {
        return new String(store.fetch(SecretId.of(id)).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aTokenIsAskedForOnceAndKept() {
        String id = secret("v");
        SecretStore store = GcpTestSupport.store(settings(server, dir));
        long before = auth.counter().calls("token");
        for (int i = 0; i < 5; i++) {
            assertEquals("v", text(store, id));
        }
        assertEquals(before + 1, auth.counter().calls("token"));
        // Revoked: Google answers 401, one more token is asked for, and the read goes through.
        auth.expireTokens();
        assertEquals("v", text(store, id));
        assertEquals(before + 2, auth.counter().calls("token"));
    }

    @Test
    void gcloudsUserCredentialsAreRead() throws Exception {
        String id = secret("for-the-user");
        Path file = Files.writeString(dir.resolve("adc.json"), auth.authorizedUser("dev@example.com", PROJECT));
        SecretStore store =
                GcpTestSupport.store(settings(server, dir, "mpsecrets.gcp.credentials-file", file.toString()));
        assertEquals("for-the-user", text(store, id));
    }

    @Test
    void theMetadataServerGivesTheAttachedAccountsTokenAndProject() {
        String id = secret("on-gce");
        auth.metadata("app@" + PROJECT + ".iam.gserviceaccount.com", PROJECT);
        SecretStore store = GcpTestSupport.store(settings(
                server,
                dir,
                "mpsecrets.gcp.credentials-file",
                null,
                "mpsecrets.gcp.project",
                null,
                "mpsecrets.gcp.metadata-endpoint",
                server.endpoint().toString()));
        assertEquals("on-gce", text(store, id));
    }

    @Test
    void aServiceAccountIsImpersonatedWhenAllowed() {
        String id = secret(LeakGuard.CANARY);
        String target = "reader@" + PROJECT + ".iam.gserviceaccount.com";
        auth.serviceAccountKey(target, PROJECT); // the account exists
        secrets.policy(
                "projects/" + PROJECT + "/secrets/" + id, Policy.of(Policy.allow(target, MockSecretManager.ACCESS)));
        Map<String, String> settings = settings(
                server,
                dir,
                "mpsecrets.gcp.impersonate-service-account",
                target,
                "mpsecrets.gcp.iam-endpoint",
                server.endpoint().toString());
        SecretException denied = assertThrows(
                SecretException.class, () -> GcpTestSupport.store(settings).fetch(SecretId.of(id)));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        assertThat(denied.getMessage()).contains("iam.serviceAccounts.getAccessToken");
        auth.allowImpersonation(GcpTestSupport.ACCOUNT, target);
        assertEquals(LeakGuard.CANARY, text(GcpTestSupport.store(settings), id));
        LeakGuard.assertNoLeak(denied);
    }

    @Test
    void aFileThatIsNotCredentialsIsAConfigurationErrorQuotingNothing() throws Exception {
        for (String content : new String[] {
            "not json " + LeakGuard.CANARY,
            "{\"type\":\"" + LeakGuard.CANARY + "\"}",
            "{\"type\":\"service_account\",\"client_email\":\"a@b.c\",\"private_key\":\"" + LeakGuard.CANARY + "\"}",
            "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"" + LeakGuard.CANARY + "\"}"
        }) {
            Path file = Files.writeString(dir.resolve("bad.json"), content);
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> GcpTestSupport.store(
                            settings(server, dir, "mpsecrets.gcp.credentials-file", file.toString())));
            assertThat(e.getMessage()).contains("mpsecrets.gcp.credentials-file");
            LeakGuard.assertNoLeak(e);
        }
        ConfigurationException missing = assertThrows(
                ConfigurationException.class,
                () -> GcpTestSupport.store(settings(
                        server,
                        dir,
                        "mpsecrets.gcp.credentials-file",
                        dir.resolve("none.json").toString())));
        assertThat(missing.getMessage()).contains("not a readable file");
    }

    @Test
    void workloadIdentityFederationExchangesTheSubjectTokenAndMayImpersonate() throws Exception {
        String id = secret("federated");
        String federated = "principal://iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/mock-pool/subject/system:serviceaccount:orders:app";
        Path direct = Files.writeString(
                dir.resolve("wif.json"), auth.externalAccount(dir.resolve("subject-1"), federated, null));
        assertEquals(
                "federated",
                text(
                        GcpTestSupport.store(
                                settings(server, dir, "mpsecrets.gcp.credentials-file", direct.toString())),
                        id));

        String target = "wif-reader@" + PROJECT + ".iam.gserviceaccount.com";
        auth.serviceAccountKey(target, PROJECT);
        auth.allowImpersonation(federated, target);
        secrets.policy(
                "projects/" + PROJECT + "/secrets/" + id, Policy.of(Policy.allow(target, MockSecretManager.ACCESS)));
        Path impersonating = Files.writeString(
                dir.resolve("wif-sa.json"), auth.externalAccount(dir.resolve("subject-2"), federated, target));
        assertEquals(
                "federated",
                text(
                        GcpTestSupport.store(
                                settings(server, dir, "mpsecrets.gcp.credentials-file", impersonating.toString())),
                        id));
    }
}
