package io.mpsecrets.testkit.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testkit.Clients;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The mock Secrets Manager, driven by the real AWS SDK v2 client. */
@WithMockServer
class MockSecretsManagerTest {

    private static final String VALUE = "{\"password\":\"" + LeakGuard.CANARY + "\"}";

    private final MockServer server;
    private final SecretsManagerClient client;

    MockSecretsManagerTest(MockServer server) {
        this.server = server;
        this.client = Clients.secretsManager(server, "AKIDWORKER1");
    }

    @AfterEach
    void reset() {
        server.secretsManager().faults().reset();
        server.secretsManager().counter().reset();
        client.close();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime();
    }

    @Test
    void createGetAndDescribe() {
        String name = unique("prod/db");
        var created = client.createSecret(b -> b.name(name).secretString(VALUE).description("orders db"));
        assertThat(created.arn())
                .matches("arn:aws:secretsmanager:us-east-1:111122223333:secret:" + name.replace("/", "/")
                        + "-[A-Za-z0-9]{6}");
        GetSecretValueResponse value = client.getSecretValue(b -> b.secretId(name));
        assertEquals(VALUE, value.secretString());
        assertEquals(created.versionId(), value.versionId());
        assertThat(value.versionStages()).containsExactly("AWSCURRENT");
        assertThat(value.createdDate()).isNotNull();
        assertEquals(
                VALUE, client.getSecretValue(b -> b.secretId(created.arn())).secretString(), "by ARN too");
        var described = client.describeSecret(b -> b.secretId(name));
        assertThat(described.versionIdsToStages()).containsOnlyKeys(created.versionId());
        assertEquals("orders db", described.description());
        assertThrows(
                ResourceExistsException.class,
                () -> client.createSecret(b -> b.name(name).secretString("x")));
    }

    @Test
    void stagesMoveAsAwsDocuments() {
        String name = unique("rotating");
        String v1 = client.createSecret(b -> b.name(name).secretString("one-" + LeakGuard.CANARY))
                .versionId();
        String v2 = client.putSecretValue(b -> b.secretId(name).secretString("two-" + LeakGuard.CANARY))
                .versionId();
        assertEquals(
                "two-" + LeakGuard.CANARY,
                client.getSecretValue(b -> b.secretId(name)).secretString());
        assertEquals(
                "one-" + LeakGuard.CANARY,
                client.getSecretValue(b -> b.secretId(name).versionStage("AWSPREVIOUS"))
                        .secretString());
        assertEquals(
                "one-" + LeakGuard.CANARY,
                client.getSecretValue(b -> b.secretId(name).versionId(v1)).secretString());
        String v3 = client.putSecretValue(b -> b.secretId(name).secretString("three-" + LeakGuard.CANARY))
                .versionId();
        var stages = client.describeSecret(b -> b.secretId(name)).versionIdsToStages();
        assertThat(stages.get(v3)).containsExactly("AWSCURRENT");
        assertThat(stages.get(v2)).containsExactly("AWSPREVIOUS");
        assertThat(stages).doesNotContainKey(v1);

        // A staged rollout: AWSPENDING on a new version, then moved to AWSCURRENT.
        String v4 = client.putSecretValue(
                        b -> b.secretId(name).secretString("four").versionStages("AWSPENDING"))
                .versionId();
        assertEquals(
                "three-" + LeakGuard.CANARY,
                client.getSecretValue(b -> b.secretId(name)).secretString());
        assertThrows(
                InvalidParameterException.class,
                () -> client.updateSecretVersionStage(
                        b -> b.secretId(name).versionStage("AWSCURRENT").moveToVersionId(v4)));
        client.updateSecretVersionStage(b ->
                b.secretId(name).versionStage("AWSCURRENT").moveToVersionId(v4).removeFromVersionId(v3));
        assertEquals("four", client.getSecretValue(b -> b.secretId(name)).secretString());
        assertThat(server.secretsManager().versionIdsToStages(name).get(v3)).containsExactly("AWSPREVIOUS");
    }

    @Test
    void binarySecrets() {
        String name = unique("tls/key");
        byte[] key = new byte[] {0, 1, 2, (byte) 0xff, 42};
        client.createSecret(b -> b.name(name).secretBinary(SdkBytes.fromByteArray(key)));
        var value = client.getSecretValue(b -> b.secretId(name));
        assertArrayEquals(key, value.secretBinary().asByteArray());
        assertEquals(null, value.secretString());
    }

    @Test
    void missingSecretsVersionsAndStagesAreResourceNotFound() {
        String name = unique("present");
        client.createSecret(b -> b.name(name).secretString("x"));
        assertThrows(ResourceNotFoundException.class, () -> client.getSecretValue(b -> b.secretId("absent/secret")));
        assertThrows(
                ResourceNotFoundException.class,
                () -> client.getSecretValue(b -> b.secretId(name).versionId("00000000-0000-0000-0000-000000000000")));
        assertThrows(
                ResourceNotFoundException.class,
                () -> client.getSecretValue(b -> b.secretId(name).versionStage("AWSPREVIOUS")));
        SecretsManagerException invalid =
                assertThrows(SecretsManagerException.class, () -> client.createSecret(b -> b.name("bad name!")));
        assertEquals("InvalidParameterException", invalid.awsErrorDetails().errorCode());
    }

    @Test
    void batchGetTakesTwentyIdsAndReportsErrorsPerId() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            String name = unique("batch/" + i);
            client.createSecret(b -> b.name(name).secretString("{\"n\":" + names.size() + "}"));
            names.add(name);
        }
        names.add("batch/absent");
        BatchGetSecretValueResponse batch = client.batchGetSecretValue(b -> b.secretIdList(names));
        assertThat(batch.secretValues()).hasSize(19);
        assertThat(batch.errors()).singleElement().satisfies(e -> {
            assertEquals("batch/absent", e.secretId());
            assertEquals("ResourceNotFoundException", e.errorCode());
        });
        assertEquals(1, server.secretsManager().calls("BatchGetSecretValue"));
        List<String> tooMany = new ArrayList<>(names);
        tooMany.add("one-more");
        SecretsManagerException refused = assertThrows(
                SecretsManagerException.class, () -> client.batchGetSecretValue(b -> b.secretIdList(tooMany)));
        assertEquals("ValidationException", refused.awsErrorDetails().errorCode());
    }

    @Test
    void listAndDelete() {
        String name = unique("to-delete");
        client.createSecret(b -> b.name(name).secretString("x"));
        assertThat(client.listSecrets(b -> b.maxResults(100)).secretList())
                .anyMatch(s -> s.name().equals(name));
        client.deleteSecret(b -> b.secretId(name).recoveryWindowInDays(7L));
        assertThrows(InvalidRequestException.class, () -> client.getSecretValue(b -> b.secretId(name)));
        assertThat(client.describeSecret(b -> b.secretId(name)).deletedDate()).isNotNull();
        assertThat(client.listSecrets(b -> b.maxResults(100)).secretList())
                .noneMatch(s -> s.name().equals(name));
        String forced = unique("forced");
        client.createSecret(b -> b.name(forced).secretString("x"));
        client.deleteSecret(b -> b.secretId(forced).forceDeleteWithoutRecovery(true));
        assertThrows(ResourceNotFoundException.class, () -> client.describeSecret(b -> b.secretId(forced)));
    }

    @Test
    void listSecretsFiltersByNamePrefixPagesAndNamesEachSecretsVersionsToStages() {
        String prefix = unique("listed") + "/";
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = prefix + (char) ('a' + i);
            versions.add(
                    client.createSecret(b -> b.name(name).secretString("x")).versionId());
        }
        client.createSecret(b ->
                b.name(prefix.substring(0, prefix.length() - 1) + "-other").secretString("x"));
        ListSecretsResponse first = client.listSecrets(b ->
                b.maxResults(10).filters(f -> f.key(FilterNameStringType.NAME).values(prefix)));
        assertThat(first.secretList()).hasSize(10);
        assertThat(first.nextToken()).isNotBlank();
        assertEquals(prefix + "a", first.secretList().get(0).name());
        assertEquals(
                Map.of(versions.get(0), List.of("AWSCURRENT")),
                first.secretList().get(0).secretVersionsToStages());
        List<String> names = new ArrayList<>();
        first.secretList().forEach(e -> names.add(e.name()));
        String token = first.nextToken();
        while (token != null) {
            String page = token;
            ListSecretsResponse next = client.listSecrets(b -> b.maxResults(10)
                    .nextToken(page)
                    .filters(f -> f.key(FilterNameStringType.NAME).values(prefix)));
            next.secretList().forEach(e -> names.add(e.name()));
            token = next.nextToken();
        }
        assertThat(names).hasSize(25).allMatch(n -> n.startsWith(prefix)).doesNotHaveDuplicates();

        // Up to 10 values, any of which matches (a prefix: "b" matches itself only here), "!" excludes, case counts.
        assertThat(client.listSecrets(b -> b.filters(f -> f.key("name").values(prefix + "b", prefix + "c")))
                        .secretList())
                .extracting(e -> e.name())
                .containsExactly(prefix + "b", prefix + "c");
        assertThat(client.listSecrets(b -> b.filters(
                                f -> f.key("name").values(prefix),
                                f -> f.key("name").values("!" + prefix + "a", "!" + prefix + "b")))
                        .secretList())
                .hasSize(23);
        assertThat(client.listSecrets(
                                b -> b.filters(f -> f.key("name").values(prefix.toUpperCase(java.util.Locale.ROOT))))
                        .secretList())
                .isEmpty();
        SecretsManagerException eleven = assertThrows(
                SecretsManagerException.class,
                () -> client.listSecrets(b ->
                        b.filters(f -> f.key("name").values("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"))));
        assertEquals("ValidationException", eleven.awsErrorDetails().errorCode());
        SecretsManagerException badValue = assertThrows(
                SecretsManagerException.class,
                () -> client.listSecrets(b -> b.filters(f -> f.key("name").values("no*wildcards"))));
        assertEquals("ValidationException", badValue.awsErrorDetails().errorCode());
    }

    @Test
    void aFrozenListingLagsBehindDescribeSecretAndADeniedListingIsAccessDenied() {
        String name = unique("lagging");
        String v1 = client.createSecret(b -> b.name(name).secretString("x")).versionId();
        server.secretsManager().freezeListing();
        try {
            String v2 = client.putSecretValue(b -> b.secretId(name).secretString("y"))
                    .versionId();
            String created = unique("created-after");
            client.createSecret(b -> b.name(created).secretString("x"));
            ListSecretsResponse listed =
                    client.listSecrets(b -> b.filters(f -> f.key("name").values(name, created)));
            assertThat(listed.secretList())
                    .singleElement()
                    .satisfies(e -> assertThat(e.secretVersionsToStages()).containsOnlyKeys(v1));
            assertThat(client.describeSecret(b -> b.secretId(name)).versionIdsToStages())
                    .containsEntry(v2, List.of("AWSCURRENT"));
        } finally {
            server.secretsManager().thawListing();
        }
        server.secretsManager().denyListing("AKIDWORKER1", true);
        try {
            SecretsManagerException denied =
                    assertThrows(SecretsManagerException.class, () -> client.listSecrets(b -> b.maxResults(1)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        } finally {
            server.secretsManager().denyListing("AKIDWORKER1", false);
        }
    }

    @Test
    void policiesDecideWhichPrincipalMayRead() {
        String name = unique("guarded");
        client.createSecret(b -> b.name(name).secretString(VALUE));
        server.secretsManager()
                .policy(name, Policy.of(Policy.allow("AKIDWORKER1", "GetSecretValue", "DescribeSecret")));
        assertEquals(VALUE, client.getSecretValue(b -> b.secretId(name)).secretString());
        try (SecretsManagerClient other = Clients.secretsManager(server, "AKIDOTHER")) {
            SecretsManagerException denied =
                    assertThrows(SecretsManagerException.class, () -> other.getSecretValue(b -> b.secretId(name)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertThat(denied.awsErrorDetails().errorMessage()).contains("AKIDOTHER", "secretsmanager:GetSecretValue");
            BatchGetSecretValueResponse batch = other.batchGetSecretValue(b -> b.secretIdList(name));
            assertThat(batch.secretValues()).isEmpty();
            assertEquals("AccessDeniedException", batch.errors().get(0).errorCode());
        }
    }

    @Test
    void faultsAndCounters() {
        String name = unique("flaky");
        client.createSecret(b -> b.name(name).secretString("x"));
        server.secretsManager().faults().only("GetSecretValue").throttleNext(1);
        assertEquals("x", client.getSecretValue(b -> b.secretId(name)).secretString());
        assertEquals(2, server.secretsManager().calls("GetSecretValue"), "throttled once, retried by the SDK");
        server.secretsManager().faults().reset().errorRate(1.0);
        SecretsManagerException down =
                assertThrows(SecretsManagerException.class, () -> client.getSecretValue(b -> b.secretId(name)));
        assertEquals(500, down.statusCode());
        assertEquals("InternalServiceError", down.awsErrorDetails().errorCode());
        LeakGuard.assertNoLeak(down);
    }

    @Test
    void aResetClosesTheConnectionWithoutAnAnswerWhichTheSdkRetries() {
        String name = unique("reset");
        client.createSecret(b -> b.name(name).secretString("x"));
        // Every call reset: the SDK sees connections end (no status, no error code) and gives up after its retries.
        server.secretsManager().faults().only("GetSecretValue").resetRate(1.0);
        SdkClientException reset =
                assertThrows(SdkClientException.class, () -> client.getSecretValue(b -> b.secretId(name)));
        assertThat(reset).isNotInstanceOf(SecretsManagerException.class);
        assertThat(server.secretsManager().calls("GetSecretValue")).isGreaterThan(1);
        server.secretsManager().faults().reset();
        assertEquals("x", client.getSecretValue(b -> b.secretId(name)).secretString());
    }
}
