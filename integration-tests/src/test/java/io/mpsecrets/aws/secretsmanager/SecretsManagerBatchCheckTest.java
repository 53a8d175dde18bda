package io.mpsecrets.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched version checks through the mock Secrets Manager: {@code ListSecrets} filtered by folder or by name, paged
 * and bounded, with the real SDK client; then through a config built from properties, where one batched check per
 * round stands in for every secret's TTL refresh and rotation check.
 */
@WithMockServer
class SecretsManagerBatchCheckTest {

    private final MockServer server;
    private final MpConfigs configs = new MpConfigs();
    private final String prefix = "batch" + System.nanoTime();
    private final List<AwsSecretsManagerStore> stores = new ArrayList<>();

    SecretsManagerBatchCheckTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void counters() {
        server.secretsManager().counter().reset();
    }

    @AfterEach
    void stop() {
        stores.forEach(AwsSecretsManagerStore::close);
        configs.close();
        server.secretsManager().thawListing();
        server.secretsManager().denyListing(TestProfiles.WORKER1_KEY, false);
        server.secretsManager().faults().reset();
    }

    private AwsSecretsManagerStore store(AwsSecretsManagerStore.VersionChecks checks) {
        Map<String, String> settings = Map.of(
                "mpsecrets.aws.region",
                "us-east-1",
                "mpsecrets.aws.endpoint",
                server.endpoint().toString(),
                "mpsecrets.aws.profile",
                TestProfiles.WORKER1,
                "mpsecrets.aws.max-attempts",
                "1");
        AwsSecretsManagerStore store = AwsSecretsManagerStore.create(
                AwsClientSettings.read("mpsecrets.aws.", k -> Optional.ofNullable(settings.get(k))), checks);
        stores.add(store);
        return store;
    }

    /** Creates {@code count} secrets named by {@code name}; returns each one's id and version. */
    private Map<SecretId, String> create(int count, java.util.function.IntFunction<String> name) {
        Map<SecretId, String> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String path = name.apply(i);
            out.put(SecretId.of(path), server.secretsManager().createSecret(path, i + "-" + LeakGuard.CANARY));
        }
        return out;
    }

    private long calls(String operation) {
        return server.secretsManager().calls(operation);
    }

    @Test
    void fiftySecretsInOneFolderAreCheckedByOneListing() {
        Map<SecretId, String> secrets = create(50, i -> prefix + "/app/s" + i);
        server.secretsManager().counter().reset();

        assertEquals(
                secrets, store(AwsSecretsManagerStore.VersionChecks.DEFAULT).currentVersions(secrets.keySet()));
        assertEquals(1, calls("ListSecrets"));
        assertEquals(0, calls("DescribeSecret"));
    }

    @Test
    void secretsInMoreThanTenFoldersAreListedTenNamesAtATime() {
        Map<SecretId, String> secrets = create(25, i -> prefix + "/f" + i + "/db");
        server.secretsManager().counter().reset();

        assertEquals(
                secrets, store(AwsSecretsManagerStore.VersionChecks.DEFAULT).currentVersions(secrets.keySet()));
        assertEquals(3, calls("ListSecrets"), "25 names, 10 values a filter");
    }

    @Test
    void aFolderHoldingManyOtherSecretsIsListedByNameFromThenOn() {
        create(250, i -> prefix + "/crowded/other" + (1000 + i));
        Map<SecretId, String> mine = create(3, i -> prefix + "/crowded/zz" + i); // after the others, by name
        server.secretsManager().counter().reset();
        AwsSecretsManagerStore store = store(AwsSecretsManagerStore.VersionChecks.DEFAULT);

        assertEquals(mine, store.currentVersions(mine.keySet()));
        // The folder's first page (100 others, the budget of 3 names' listing by name), then one listing by name.
        assertEquals(2, calls("ListSecrets"));
        assertEquals(mine, store.currentVersions(mine.keySet()));
        assertEquals(3, calls("ListSecrets"), "by name from then on: one listing");
    }

    @Test
    void theCheckStopsAtItsPageBudgetAndLeavesTheRestUnnamed() {
        Map<SecretId, String> secrets = create(25, i -> prefix + "/p" + i + "/db");
        server.secretsManager().counter().reset();

        Map<SecretId, String> answered = store(
                        new AwsSecretsManagerStore.VersionChecks(true, 2, Duration.ofSeconds(10)))
                .currentVersions(secrets.keySet());
        assertEquals(2, calls("ListSecrets"));
        assertThat(answered).hasSize(20);
        answered.forEach((id, version) -> assertEquals(secrets.get(id), version));
    }

    @Test
    void pinnedStagedAndUnfilterableIdsAreAnsweredOrLeftOut() {
        String path = prefix + "/staged";
        String v1 = server.secretsManager().createSecret(path, "one-" + LeakGuard.CANARY);
        String v2 = server.secretsManager().putSecretValue(path, "two-" + LeakGuard.CANARY);
        SecretId arn = SecretId.of(server.secretsManager().arn(path));
        List<SecretId> ids = List.of(
                SecretId.of(path),
                SecretId.parse(path + "?stage=AWSPREVIOUS"),
                SecretId.parse(path + "?version=pinned-1"),
                arn);

        Map<SecretId, String> answered =
                store(AwsSecretsManagerStore.VersionChecks.DEFAULT).currentVersions(ids);
        assertEquals(
                Map.of(ids.get(0), v2, ids.get(1), v1, ids.get(2), "pinned-1"),
                answered,
                "an ARN is not a name a filter matches: left to DescribeSecret");
    }

    @Test
    void aListingThatLagsNamesTheOldVersionAndLeavesOutANewSecret() {
        String old = prefix + "/lag/old";
        String v1 = server.secretsManager().createSecret(old, "one-" + LeakGuard.CANARY);
        server.secretsManager().freezeListing();
        server.secretsManager().putSecretValue(old, "two-" + LeakGuard.CANARY);
        String fresh = prefix + "/lag/new";
        server.secretsManager().createSecret(fresh, "new-" + LeakGuard.CANARY);

        assertEquals(
                Map.of(SecretId.of(old), v1),
                store(AwsSecretsManagerStore.VersionChecks.DEFAULT)
                        .currentVersions(List.of(SecretId.of(old), SecretId.of(fresh))));
    }

    @Test
    void aDeniedListingIsADenialAndDescribeChecksListNothing() {
        Map<SecretId, String> secrets = create(2, i -> prefix + "/denied/s" + i);
        server.secretsManager().denyListing(TestProfiles.WORKER1_KEY, true);
        assertThrows(
                SecretAccessDeniedException.class,
                () -> store(AwsSecretsManagerStore.VersionChecks.DEFAULT).currentVersions(secrets.keySet()));
        server.secretsManager().counter().reset();
        assertEquals(
                Map.of(),
                store(new AwsSecretsManagerStore.VersionChecks(false, 20, Duration.ofSeconds(10)))
                        .currentVersions(secrets.keySet()));
        assertEquals(0, calls("ListSecrets"));
    }

    // ---- through a config built from properties ----

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.aws.region", "us-east-1");
        all.put("mpsecrets.aws.endpoint", server.endpoint().toString());
        all.put("mpsecrets.aws.profile", TestProfiles.WORKER1);
        all.put("mpsecrets.app", "orders");
        return configs.build(all);
    }

    private Map<String, String> tenSecrets() {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            String path = prefix + "/cfg/s" + i;
            server.secretsManager().createSecret(path, "v1-" + i + "-" + LeakGuard.CANARY);
            values.put("p" + i, "${aws::" + path + "}");
        }
        return values;
    }

    private void readAll(SmallRyeConfig config, String version) {
        for (int i = 0; i < 10; i++) {
            assertEquals(version + "-" + i + "-" + LeakGuard.CANARY, config.getValue("p" + i, String.class));
        }
    }

    @Test
    void oneListingPerRoundKeepsTenSecretsFreshWithoutAskingEachOne() throws Exception {
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.ttl", "PT1H");
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        SecretsRuntime runtime = configs.runtime(0);
        assertThat(runtime.stores().watching())
                .as("a batched check without a rotation interval")
                .isTrue();
        server.secretsManager().counter().reset();

        runtime.stores().checkRotation();
        runtime.stores().checkRotation();
        assertEquals(2, calls("ListSecrets"));
        assertEquals(2, calls("DescribeSecret"), "the listing confirms 9 of 10; one a round is asked by itself");
        assertEquals(0, calls("GetSecretValue"));

        // A rotation the listing shows is confirmed by DescribeSecret, then read once.
        server.secretsManager().putSecretValue(prefix + "/cfg/s3", "v2-3-" + LeakGuard.CANARY);
        runtime.stores().checkRotation();
        assertEquals("v2-3-" + LeakGuard.CANARY, config.getValue("p3", String.class));
        assertThat(calls("DescribeSecret"))
                .as("this round's own one, and s3's confirmation")
                .isBetween(3L, 4L);
        assertEquals(1, calls("GetSecretValue"));
    }

    @Test
    void aRotationTheListingDoesNotShowYetIsSeenOnceItDoes() throws Exception {
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.ttl", "PT1H");
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        SecretsRuntime runtime = configs.runtime(0);

        server.secretsManager().freezeListing();
        for (int i = 0; i < 10; i++) {
            server.secretsManager().putSecretValue(prefix + "/cfg/s" + i, "v2-" + i + "-" + LeakGuard.CANARY);
        }
        runtime.stores().checkRotation();
        int seen = 0;
        for (int i = 0; i < 10; i++) {
            seen += config.getValue("p" + i, String.class).startsWith("v2-") ? 1 : 0;
        }
        assertEquals(1, seen, "not listed yet: only the round's one asked by itself sees its rotation");

        server.secretsManager().thawListing();
        runtime.stores().checkRotation();
        readAll(config, "v2");
    }

    @Test
    void aSecretTheListingLeavesOutIsCheckedByItself() throws Exception {
        // Listed before the secrets existed: the listing names none of them.
        server.secretsManager().freezeListing();
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.ttl", "PT1H");
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        SecretsRuntime runtime = configs.runtime(0);
        server.secretsManager().counter().reset();

        server.secretsManager().putSecretValue(prefix + "/cfg/s9", "v2-9-" + LeakGuard.CANARY);
        runtime.stores().checkRotation();
        assertEquals(1, calls("ListSecrets"));
        assertEquals(10, calls("DescribeSecret"), "each unnamed secret asked by itself");
        assertEquals("v2-9-" + LeakGuard.CANARY, config.getValue("p9", String.class));
    }

    @Test
    void aRefusedListingRenewsNothingAndEachSecretIsCheckedByItself() throws Exception {
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.ttl", "PT1H");
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        SecretsRuntime runtime = configs.runtime(0);
        server.secretsManager().denyListing(TestProfiles.WORKER1_KEY, true);
        server.secretsManager().counter().reset();

        server.secretsManager().putSecretValue(prefix + "/cfg/s5", "v2-5-" + LeakGuard.CANARY);
        runtime.stores().checkRotation();
        assertEquals(1, calls("ListSecrets"));
        assertEquals(10, calls("DescribeSecret"));
        assertEquals("v2-5-" + LeakGuard.CANARY, config.getValue("p5", String.class));
    }

    @Test
    void aPermissionRevokedOnTheSecretsFailsTheirReadsThoughTheListingStillNamesThem() throws Exception {
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.ttl", "PT1H"); // only the check, not a TTL, can withdraw the values
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        SecretsRuntime runtime = configs.runtime(0);
        for (int i = 0; i < 10; i++) {
            // ListSecrets stays allowed (it is granted on "*"); the secrets' own calls are refused from now on.
            server.secretsManager()
                    .policy(
                            prefix + "/cfg/s" + i,
                            Policy.of(Policy.allow(TestProfiles.WORKER2_KEY, "GetSecretValue", "DescribeSecret")));
        }
        // One round: the secret asked by itself is refused, which distrusts the listing; each secret is then asked by
        // itself, refused, and withdrawn (a round that renewed from the listing would have kept them fresh an hour).
        runtime.stores().checkRotation();

        for (int i = 0; i < 10; i++) {
            String property = "p" + i;
            SecretException denied = assertThrows(SecretException.class, () -> config.getValue(property, String.class));
            assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
            LeakGuard.assertNoLeak(denied);
        }
    }

    @Test
    void rotationCheckDescribeStartsNoBatchedChecks() {
        Map<String, String> values = tenSecrets();
        values.put("mpsecrets.aws.rotation-check", "describe");
        SmallRyeConfig config = config(values);
        readAll(config, "v1");
        assertThat(configs.runtime(0).stores().watching()).isFalse();
        assertEquals(0, calls("ListSecrets"));
    }
}
