package io.mpsecrets.gcp;

import static io.mpsecrets.gcp.GcpTestSupport.ACCOUNT;
import static io.mpsecrets.gcp.GcpTestSupport.PROJECT;
import static io.mpsecrets.gcp.GcpTestSupport.settings;
import static io.mpsecrets.gcp.GcpTestSupport.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.gcp.MockSecretManager;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code gcp} store against the testkit's Secret Manager (which Google's own Java client accepts,
 * {@code MockSecretManagerTest}), built by its factory from settings and authenticated with a service account key:
 * names, versions and aliases, rotation seen in metadata without reading the payload, CRC32C checked, and Google's
 * refusals as typed failures that are never retried.
 */
@WithMockServer
class SecretManagerStoreTest {

    private final MockServer server;
    private final MockSecretManager secrets;

    @TempDir
    Path dir;

    SecretManagerStoreTest(MockServer server) {
        this.server = server;
        this.secrets = server.gcp().secretManager();
    }

    @AfterEach
    void reset() {
        secrets.faults().reset();
        secrets.corruptNextAccess(0);
    }

    /** A secret of its own per test: the mock lives as long as the class. */
    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String full(String id) {
        return "projects/" + PROJECT + "/secrets/" + id;
    }

    private SecretStore store(String... more) {
        return GcpTestSupport.store(settings(server, dir, more));
    }

    private static String text(SecretValue value) {
        return new String(value.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aShortNameIsReadFromTheProjectWithItsVersionNumber() {
        String id = unique("db-password");
        secrets.createSecret(full(id), LeakGuard.CANARY);
        SecretStore store = store();
        SecretValue value = store.fetch(SecretId.of(id));
        assertEquals(LeakGuard.CANARY, text(value));
        assertEquals(Optional.of("1"), value.version());
        // The full name, the version in the path and ?version= name the same version.
        assertEquals(LeakGuard.CANARY, text(store.fetch(SecretId.of(full(id)))));
        assertEquals(LeakGuard.CANARY, text(store.fetch(SecretId.of(full(id) + "/versions/1"))));
        assertEquals(LeakGuard.CANARY, text(store.fetch(SecretId.parse(id + "?version=1"))));
        LeakGuard.assertNoLeak(store, value);
    }

    @Test
    void theProjectComesFromTheKeyFileWhenNotSet() {
        String id = unique("api-key");
        secrets.createSecret(full(id), "from-the-key-files-project");
        SecretStore store = store("mpsecrets.gcp.project", null);
        assertEquals("from-the-key-files-project", text(store.fetch(SecretId.of(id))));
    }

    @Test
    void byDefaultRotationIsCheckedWithAnAccessNotWithTheSmallReadQuota() {
        // versions.get spends the read quota (600 a minute per project): 60 instances x 50 secrets at a 5-minute TTL
        // fill it. The default check spends the access quota, 150 times larger (docs/scale.md).
        String id = unique("rotating");
        secrets.createSecret(full(id), "first");
        SecretStore store = store();
        long gets = secrets.calls("GetSecretVersion");
        long accesses = secrets.calls("AccessSecretVersion");
        assertEquals(Optional.of("1"), store.currentVersion(SecretId.of(id)));
        secrets.addVersion(full(id), LeakGuard.CANARY);
        assertEquals(Optional.of("2"), store.currentVersion(SecretId.of(id)));
        assertEquals(gets, secrets.calls("GetSecretVersion"), "no read request spent on a rotation check");
        assertEquals(accesses + 2, secrets.calls("AccessSecretVersion"));
        LeakGuard.assertNoLeak(store);
    }

    @Test
    void rotationIsSeenInTheVersionsMetadataWithoutReadingThePayload() {
        String id = unique("rotating");
        secrets.createSecret(full(id), "first");
        SecretStore store = store("mpsecrets.gcp.rotation-check", "metadata");
        assertEquals(Optional.of("1"), store.currentVersion(SecretId.of(id)));
        long accesses = secrets.calls("AccessSecretVersion");
        secrets.addVersion(full(id), "second");
        assertEquals(Optional.of("2"), store.currentVersion(SecretId.of(id)));
        assertEquals(accesses, secrets.calls("AccessSecretVersion"), "no payload read to check rotation");
        assertEquals("second", text(store.fetch(SecretId.of(id))));
        // A pinned number never moves, and is not asked for.
        long gets = secrets.calls("GetSecretVersion");
        assertEquals(Optional.of("1"), store.currentVersion(SecretId.parse(id + "?version=1")));
        assertEquals(gets, secrets.calls("GetSecretVersion"));
        assertEquals("first", text(store.fetch(SecretId.parse(id + "?version=1"))));
    }

    @Test
    void anAliasNamesTheVersionItPointsAt() {
        String id = unique("aliased");
        secrets.createSecret(full(id), "one");
        secrets.addVersion(full(id), "two");
        secrets.alias(full(id), "prod", "1");
        SecretStore store = store();
        SecretValue value = store.fetch(SecretId.parse(id + "?version=prod"));
        assertEquals("one", text(value));
        assertEquals(Optional.of("1"), value.version());
        secrets.alias(full(id), "prod", "2");
        assertEquals(Optional.of("2"), store.currentVersion(SecretId.parse(id + "?version=prod")));
    }

    @Test
    void aRegionalSecretIsReadUnderItsLocation() {
        String id = unique("regional");
        secrets.createSecret("projects/" + PROJECT + "/locations/europe-west4/secrets/" + id, "here");
        assertEquals(
                "here",
                text(store().fetch(SecretId.of("projects/" + PROJECT + "/locations/europe-west4/secrets/" + id))));
        assertEquals(
                "here", text(store("mpsecrets.gcp.location", "europe-west4").fetch(SecretId.of(id))));
    }

    @Test
    void disabledAndDestroyedVersionsAreNotFoundAndNotRetried() {
        String id = unique("disabled");
        secrets.createSecret(full(id), LeakGuard.CANARY);
        secrets.disable(full(id), "1");
        SecretStore store = store("mpsecrets.gcp.rotation-check", "metadata");
        long before = secrets.calls("AccessSecretVersion");
        SecretException disabled = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(id)));
        assertEquals(FailureReason.NOT_FOUND, disabled.reason());
        assertThat(disabled.getMessage()).contains("disabled or destroyed", "FAILED_PRECONDITION");
        assertEquals(before + 1, secrets.calls("AccessSecretVersion"), "a refusal is not retried");
        SecretException metadata = assertThrows(SecretException.class, () -> store.currentVersion(SecretId.of(id)));
        assertEquals(FailureReason.NOT_FOUND, metadata.reason());
        assertThat(metadata.getMessage()).contains("DISABLED");

        secrets.enable(full(id), "1");
        secrets.addVersion(full(id), "two");
        secrets.destroy(full(id), "1");
        SecretException destroyed =
                assertThrows(SecretException.class, () -> store.fetch(SecretId.parse(id + "?version=1")));
        assertEquals(FailureReason.NOT_FOUND, destroyed.reason());
        assertEquals(
                FailureReason.NOT_FOUND,
                assertThrows(SecretException.class, () -> store.fetch(SecretId.of(unique("missing"))))
                        .reason());
        LeakGuard.assertNoLeak(disabled, metadata, destroyed);
    }

    @Test
    void aPayloadThatDoesNotMatchItsChecksumIsReadAgainThenRefused() {
        String id = unique("checked");
        secrets.createSecret(full(id), LeakGuard.CANARY);
        SecretStore store = store();
        secrets.corruptNextAccess(1);
        assertEquals(LeakGuard.CANARY, text(store.fetch(SecretId.of(id))));

        secrets.corruptNextAccess(3);
        long before = secrets.calls("AccessSecretVersion");
        SecretException corrupted = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(id)));
        assertEquals(FailureReason.INVALID_VALUE, corrupted.reason());
        assertThat(corrupted.getMessage()).contains("dataCrc32c");
        assertEquals(before + 3, secrets.calls("AccessSecretVersion"), "max-attempts reads, then refused");
        LeakGuard.assertNoLeak(corrupted);
    }

    @Test
    void aDenialIsAccessDeniedAndNotRetried() {
        String id = unique("denied");
        secrets.createSecret(full(id), LeakGuard.CANARY);
        secrets.policy(full(id), Policy.of(Policy.allow("someone-else@example.com", MockSecretManager.ACCESS)));
        SecretStore store = store();
        long before = secrets.calls("AccessSecretVersion");
        SecretException denied = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(id)));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        assertFalse(denied.reason().transientFailure());
        assertThat(denied.getMessage()).contains("PERMISSION_DENIED", MockSecretManager.ACCESS);
        assertEquals(before + 1, secrets.calls("AccessSecretVersion"));
        secrets.policy(full(id), Policy.of(Policy.allow(ACCOUNT, MockSecretManager.ACCESS)));
        assertEquals(LeakGuard.CANARY, text(store.fetch(SecretId.of(id))));
        LeakGuard.assertNoLeak(denied);
    }

    @Test
    void throttlingIsRetriedThenTransient() {
        String id = unique("throttled");
        secrets.createSecret(full(id), "ok");
        SecretStore store = store();
        secrets.faults().only("AccessSecretVersion").throttleNext(1);
        assertEquals("ok", text(store.fetch(SecretId.of(id))));
        secrets.faults().reset();
        secrets.faults().only("AccessSecretVersion").throttleNext(3);
        SecretException throttled = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(id)));
        assertEquals(FailureReason.THROTTLED, throttled.reason());
        assertTrue(throttled.reason().transientFailure());
        secrets.faults().reset();
        secrets.faults().only("AccessSecretVersion").failNext(3);
        assertEquals(
                FailureReason.UNAVAILABLE,
                assertThrows(SecretException.class, () -> store.fetch(SecretId.of(id)))
                        .reason());
    }

    @Test
    void secretsAreListedByLabelsUpToTheBound() {
        String app = unique("app").toLowerCase();
        String a = unique("orders__db-password");
        String b = unique("orders__api-key");
        secrets.createSecret(full(a), "a".getBytes(StandardCharsets.UTF_8), Map.of("app", app, "env", "prod"));
        secrets.createSecret(full(b), "b".getBytes(StandardCharsets.UTF_8), Map.of("app", app, "env", "prod"));
        secrets.createSecret(
                full(unique("other")), "c".getBytes(StandardCharsets.UTF_8), Map.of("app", app, "env", "dev"));
        SecretStore store = store("mpsecrets.gcp.labels", "app=" + app + ",env=prod");
        List<String> listed = store.list();
        assertThat(listed).containsExactlyInAnyOrder(a, b);
        assertEquals("orders.db-password" + a.substring("orders__db-password".length()), store.propertyName(a));

        SecretStore bounded =
                store("mpsecrets.gcp.labels", "app=" + app + ",env=prod", "mpsecrets.gcp.max-secrets", "1");
        SecretException tooMany = assertThrows(SecretException.class, bounded::list);
        assertEquals(FailureReason.CONFIGURATION, tooMany.reason());
        assertThat(tooMany.getMessage()).contains("mpsecrets.gcp.max-secrets");
    }

    @Test
    void namesThatCannotBeSecretsAreNotFoundAndNothingIsAsked() {
        SecretStore store = store();
        long before = secrets.calls("AccessSecretVersion");
        for (String name : new String[] {
            "../../v1/projects/x/secrets/y",
            "a b",
            "projects/UPPER/secrets/x",
            "projects/orders-prod/secrets/x/versions/0",
            "projects/orders-prod/locations/EU/secrets/x"
        }) {
            SecretException e = assertThrows(SecretException.class, () -> store.fetch(SecretId.of(name)), name);
            assertEquals(FailureReason.NOT_FOUND, e.reason(), name);
        }
        assertEquals(before, secrets.calls("AccessSecretVersion"));
    }
}
