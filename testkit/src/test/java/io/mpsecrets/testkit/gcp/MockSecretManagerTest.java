package io.mpsecrets.testkit.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.PermissionDeniedException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.UnauthenticatedException;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.LocationName;
import com.google.cloud.secretmanager.v1.ProjectName;
import com.google.cloud.secretmanager.v1.Replication;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mock Secret Manager as Google's own Java client ({@code google-cloud-secretmanager} over HTTP/JSON, which asks
 * for enums as numbers) sees it: secrets, versions, access with its CRC32C, disable, enable, destroy, aliases, labels,
 * paged listing, regional secrets, and the errors the client turns into its typed exceptions.
 */
@WithMockServer
class MockSecretManagerTest {

    private static final String PROJECT = "orders-prod";

    private final MockServer server;
    private final List<SecretManagerServiceClient> clients = new ArrayList<>();

    MockSecretManagerTest(MockServer server) {
        this.server = server;
    }

    @AfterEach
    void close() {
        clients.forEach(SecretManagerServiceClient::close);
        server.gcp().secretManager().faults().reset();
    }

    /** Google's client over HTTP/JSON, as {@code principal}. */
    private SecretManagerServiceClient client(String principal) throws Exception {
        String token = server.gcp().auth().token(principal);
        return client(FixedCredentialsProvider.create(
                GoogleCredentials.create(new AccessToken(token, new Date(System.currentTimeMillis() + 3_600_000)))));
    }

    private SecretManagerServiceClient client(com.google.api.gax.core.CredentialsProvider credentials)
            throws Exception {
        SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newHttpJsonBuilder()
                .setEndpoint(server.endpoint().toString())
                .setCredentialsProvider(credentials);
        // The client retries RESOURCE_EXHAUSTED and UNAVAILABLE for a minute: here an answer is the mock's answer.
        settings.accessSecretVersionSettings().setRetryableCodes(java.util.Set.of());
        SecretManagerServiceClient client = SecretManagerServiceClient.create(settings.build());
        clients.add(client);
        return client;
    }

    /** What Google answered: the client keeps the response's body in the exception's cause. */
    private static String body(ApiException e) {
        return String.valueOf(e.getCause() == null ? null : e.getCause().getMessage());
    }

    private static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static SecretPayload payload(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SecretPayload.newBuilder()
                .setData(ByteString.copyFrom(bytes))
                .setDataCrc32C(crc32c(bytes))
                .build();
    }

    private static Secret automatic(Map<String, String> labels) {
        return Secret.newBuilder()
                .setReplication(Replication.newBuilder()
                        .setAutomatic(Replication.Automatic.getDefaultInstance())
                        .build())
                .putAllLabels(labels)
                .build();
    }

    @Test
    void versionsAreAddedAccessedWithTheirChecksumDisabledEnabledAndDestroyed() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        Secret created =
                client.createSecret(ProjectName.of(PROJECT), "db-password", automatic(Map.of("app", "orders")));
        long number = MockGoogleCloud.projectNumber(PROJECT);
        assertEquals("projects/" + number + "/secrets/db-password", created.getName());
        assertEquals("orders", created.getLabelsMap().get("app"));

        SecretVersion first = client.addSecretVersion(created.getName(), payload("one-" + LeakGuard.CANARY));
        SecretVersion second =
                client.addSecretVersion(SecretName.of(PROJECT, "db-password"), payload("two-" + LeakGuard.CANARY));
        assertEquals(created.getName() + "/versions/1", first.getName());
        assertEquals(SecretVersion.State.ENABLED, second.getState());
        assertThat(second.getClientSpecifiedPayloadChecksum()).isTrue();

        AccessSecretVersionResponse latest =
                client.accessSecretVersion(SecretVersionName.of(PROJECT, "db-password", "latest"));
        assertEquals(created.getName() + "/versions/2", latest.getName());
        assertEquals("two-" + LeakGuard.CANARY, latest.getPayload().getData().toStringUtf8());
        assertEquals(
                crc32c(latest.getPayload().getData().toByteArray()),
                latest.getPayload().getDataCrc32C());
        assertEquals(
                "one-" + LeakGuard.CANARY,
                client.accessSecretVersion(SecretVersionName.of(PROJECT, "db-password", "1"))
                        .getPayload()
                        .getData()
                        .toStringUtf8());

        SecretVersionName two = SecretVersionName.of(PROJECT, "db-password", "2");
        assertEquals(
                SecretVersion.State.DISABLED, client.disableSecretVersion(two).getState());
        // Google's client types an HTTP/JSON error by its HTTP status alone: FAILED_PRECONDITION comes as 400, so as
        // InvalidArgumentException, with Google's status in the body (which mp-secrets' own client reads).
        InvalidArgumentException disabled =
                assertThrows(InvalidArgumentException.class, () -> client.accessSecretVersion(two));
        assertThat(body(disabled))
                .contains("\"status\":\"FAILED_PRECONDITION\"")
                .contains("DISABLED state");
        assertThrows(
                InvalidArgumentException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "db-password", "latest")),
                "latest is the newest version, whatever its state");
        assertEquals(
                SecretVersion.State.ENABLED, client.enableSecretVersion(two).getState());
        SecretVersion destroyed = client.destroySecretVersion(two);
        assertEquals(SecretVersion.State.DESTROYED, destroyed.getState());
        assertThat(destroyed.hasDestroyTime()).isTrue();
        assertThat(body(assertThrows(InvalidArgumentException.class, () -> client.accessSecretVersion(two))))
                .contains("DESTROYED state");
        assertEquals(SecretVersion.State.DESTROYED, client.getSecretVersion(two).getState());
        assertThrows(
                NotFoundException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "db-password", "9")));
        assertThrows(
                NotFoundException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "absent", "latest")));
        LeakGuard.assertNoLeak(disabled);
    }

    @Test
    void aChecksumThatDoesNotMatchIsRefusedAndAnswersCarryTheirs() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        client.createSecret(ProjectName.of(PROJECT), "crc", automatic(Map.of()));
        SecretPayload wrong = SecretPayload.newBuilder()
                .setData(ByteString.copyFromUtf8("x"))
                .setDataCrc32C(1)
                .build();
        assertThrows(
                InvalidArgumentException.class, () -> client.addSecretVersion(SecretName.of(PROJECT, "crc"), wrong));
        client.addSecretVersion(SecretName.of(PROJECT, "crc"), payload("y"));
        server.gcp().secretManager().corruptNextAccess(1);
        AccessSecretVersionResponse corrupted =
                client.accessSecretVersion(SecretVersionName.of(PROJECT, "crc", "latest"));
        assertThat(corrupted.getPayload().getDataCrc32C())
                .isNotEqualTo(crc32c(corrupted.getPayload().getData().toByteArray()));
    }

    @Test
    void aliasesNameVersionsAndMove() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        Secret secret = client.createSecret(ProjectName.of(PROJECT), "api-key", automatic(Map.of()));
        client.addSecretVersion(secret.getName(), payload("v1"));
        client.addSecretVersion(secret.getName(), payload("v2"));
        Secret aliased = client.updateSecret(
                secret.toBuilder().putVersionAliases("prod", 1).build(),
                FieldMask.newBuilder().addPaths("version_aliases").build());
        assertEquals(1L, aliased.getVersionAliasesMap().get("prod"));
        SecretVersionName prod = SecretVersionName.of(PROJECT, "api-key", "prod");
        assertEquals(
                "v1", client.accessSecretVersion(prod).getPayload().getData().toStringUtf8());
        assertEquals(
                secret.getName() + "/versions/1", client.getSecretVersion(prod).getName());
        client.updateSecret(
                secret.toBuilder().putVersionAliases("prod", 2).build(),
                FieldMask.newBuilder().addPaths("version_aliases").build());
        assertEquals(
                secret.getName() + "/versions/2", client.getSecretVersion(prod).getName());
        assertThrows(
                NotFoundException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "api-key", "staging")));
    }

    @Test
    void secretsAreListedByLabelPageByPage() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        for (int i = 0; i < 5; i++) {
            client.createSecret(
                    ProjectName.of(PROJECT),
                    "listed-" + i,
                    automatic(Map.of("app", i % 2 == 0 ? "orders" : "billing", "env", "prod")));
        }
        List<String> names = new ArrayList<>();
        SecretManagerServiceClient.ListSecretsPagedResponse pages = client.listSecrets(ListSecretsRequest.newBuilder()
                .setParent(ProjectName.of(PROJECT).toString())
                .setFilter("labels.app=orders AND labels.env=prod")
                .setPageSize(1)
                .build());
        int pageCount = 0;
        for (SecretManagerServiceClient.ListSecretsPage page : pages.iteratePages()) {
            pageCount++;
            page.getValues().forEach(secret -> names.add(secret.getName()));
        }
        long number = MockGoogleCloud.projectNumber(PROJECT);
        assertThat(names)
                .containsExactly(
                        "projects/" + number + "/secrets/listed-0",
                        "projects/" + number + "/secrets/listed-2",
                        "projects/" + number + "/secrets/listed-4");
        assertEquals(3, pageCount, "one secret a page");
        List<String> versions = new ArrayList<>();
        client.addSecretVersion(SecretName.of(PROJECT, "listed-0"), payload("a"));
        client.addSecretVersion(SecretName.of(PROJECT, "listed-0"), payload("b"));
        client.listSecretVersions(SecretName.of(PROJECT, "listed-0"))
                .iterateAll()
                .forEach(version -> versions.add(version.getName().replaceAll(".*/", "")));
        assertThat(versions).containsExactly("2", "1");
    }

    @Test
    void regionalSecretsLiveUnderTheirLocation() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        Secret regional =
                client.createSecret(LocationName.of(PROJECT, "europe-west1"), "regional", Secret.getDefaultInstance());
        long number = MockGoogleCloud.projectNumber(PROJECT);
        assertEquals("projects/" + number + "/locations/europe-west1/secrets/regional", regional.getName());
        client.addSecretVersion(regional.getName(), payload("in-europe"));
        assertEquals(
                "in-europe",
                client.accessSecretVersion(SecretVersionName.ofProjectLocationSecretSecretVersionName(
                                PROJECT, "europe-west1", "regional", "latest"))
                        .getPayload()
                        .getData()
                        .toStringUtf8());
        assertThrows(
                NotFoundException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "regional", "latest")),
                "a regional secret is not a global one");
    }

    @Test
    void aPolicyDeniesOtherPrincipalsAndACallWithoutATokenIsUnauthenticated() throws Exception {
        String name = "projects/" + PROJECT + "/secrets/restricted";
        server.gcp().secretManager().createSecret(name, "restricted-" + LeakGuard.CANARY);
        server.gcp()
                .secretManager()
                .policy(
                        name,
                        Policy.of(
                                Policy.allow("orders@orders-prod.iam.gserviceaccount.com", MockSecretManager.ACCESS)));
        SecretVersionName latest = SecretVersionName.of(PROJECT, "restricted", "latest");
        assertEquals(
                "restricted-" + LeakGuard.CANARY,
                client("orders@orders-prod.iam.gserviceaccount.com")
                        .accessSecretVersion(latest)
                        .getPayload()
                        .getData()
                        .toStringUtf8());
        PermissionDeniedException denied = assertThrows(
                PermissionDeniedException.class,
                () -> client("billing@orders-prod.iam.gserviceaccount.com").accessSecretVersion(latest));
        assertThat(body(denied)).contains("PERMISSION_DENIED").contains("secretmanager.versions.access");
        assertThrows(
                UnauthenticatedException.class,
                () -> client(NoCredentialsProvider.create()).accessSecretVersion(latest));
        LeakGuard.assertNoLeak(denied);
    }

    @Test
    void aServiceAccountKeyFromTheMockSignsTheClientsOwnJwts() throws Exception {
        String key = server.gcp().auth().serviceAccountKey("jwt@orders-prod.iam.gserviceaccount.com", PROJECT);
        ServiceAccountCredentials credentials =
                ServiceAccountCredentials.fromStream(new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)));
        String name = "projects/" + PROJECT + "/secrets/by-key";
        server.gcp().secretManager().createSecret(name, "signed");
        server.gcp()
                .secretManager()
                .policy(
                        name,
                        Policy.of(Policy.allow("jwt@orders-prod.iam.gserviceaccount.com", MockSecretManager.ACCESS)));
        // Google's client sends a self-signed JWT for a service account (no token endpoint): the mock checks its
        // signature against the key it made, and the JWT's issuer is the caller.
        assertEquals(
                "signed",
                client(FixedCredentialsProvider.create(credentials))
                        .accessSecretVersion(SecretVersionName.of(PROJECT, "by-key", "latest"))
                        .getPayload()
                        .getData()
                        .toStringUtf8());
    }

    @Test
    void throttlingIsResourceExhausted() throws Exception {
        SecretManagerServiceClient client = client("app@orders-prod.iam.gserviceaccount.com");
        server.gcp().secretManager().createSecret("projects/" + PROJECT + "/secrets/busy", "x");
        server.gcp().secretManager().faults().throttleRate(1.0);
        ResourceExhaustedException throttled = assertThrows(
                ResourceExhaustedException.class,
                () -> client.accessSecretVersion(SecretVersionName.of(PROJECT, "busy", "latest")));
        assertThat(body(throttled)).contains("RESOURCE_EXHAUSTED").contains("Quota exceeded");
    }
}
