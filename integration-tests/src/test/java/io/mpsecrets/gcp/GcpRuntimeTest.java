package io.mpsecrets.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.gcp.MockSecretManager;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Cloud through the whole runtime: a config built from properties, with a Secret Manager reference
 * ({@code ${gcp::...}}) and an {@code ENC} value whose data key Cloud KMS wraps, both against the testkit's mock
 * Google; a rotation seen by the watcher with an access (the default check), a denial never answered with a stale
 * value.
 */
@WithMockServer
class GcpRuntimeTest {

    private static final String PROJECT = "orders-prod";
    private static final String ACCOUNT = "orders@orders-prod.iam.gserviceaccount.com";

    private final MockServer server;
    private final MockSecretManager secrets;
    private final AuditRecorder audit = new AuditRecorder();
    private final MpConfigs configs = new MpConfigs();
    private final String secret = "db-" + System.nanoTime();
    private final String key =
            "projects/" + PROJECT + "/locations/europe-west1/keyRings/mpsecrets/cryptoKeys/k" + System.nanoTime();
    private Path credentials;

    @TempDir
    Path dir;

    GcpRuntimeTest(MockServer server) {
        this.server = server;
        this.secrets = server.gcp().secretManager();
    }

    @BeforeEach
    void setUp() throws IOException {
        credentials = server.gcp().auth().serviceAccountKeyFile(dir.resolve("key.json"), ACCOUNT, PROJECT);
        server.gcp().kms().createKey(key);
    }

    @AfterEach
    void stop() {
        configs.close();
        audit.close();
    }

    private Map<String, String> google() {
        return Map.of(
                "mpsecrets.app",
                "orders",
                "mpsecrets.gcp.endpoint",
                server.endpoint().toString(),
                "mpsecrets.gcp.credentials-file",
                credentials.toString(),
                "mpsecrets.gcp.project",
                PROJECT,
                "mpsecrets.kms",
                "gcp-kms",
                "mpsecrets.kms.gcp-kms.endpoint",
                server.endpoint().toString());
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(google());
        all.putAll(values);
        return configs.build(all);
    }

    /** What {@code mpsecrets encrypt --kms gcp-kms --key-id gcp-kms:<key> --app orders} does. */
    private String encrypt(String plaintext, String property) {
        Map<String, String> settings = google();
        KeyManagementService kms = new CloudKmsFactory()
                .create(BackendSettings.kms(
                        "gcp-kms", name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms, "gcp-kms:" + key, EncryptionContext.forApplication("orders"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        } finally {
            kms.close();
        }
    }

    @Test
    void aSecretManagerReferenceAndAnEncValueUnderCloudKmsAreServedAndARotationIsSeen() throws Exception {
        String full = "projects/" + PROJECT + "/secrets/" + secret;
        secrets.createSecret(full, "{\"password\":\"v1-" + LeakGuard.CANARY + "\",\"user\":\"orders\"}");
        String encrypted = encrypt("api-" + LeakGuard.CANARY, "payments.api-key");
        assertThat(encrypted).startsWith("ENC(").doesNotContain(LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of(
                "db.password",
                "${gcp::" + secret + "#password}",
                "db.user",
                "${gcp::" + secret + "#user}",
                "payments.api-key",
                encrypted,
                "mpsecrets.gcp.ttl",
                "PT1H",
                "mpsecrets.rotation.interval",
                "PT0.5S"));
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals("orders", config.getValue("db.user", String.class));
        assertEquals("api-" + LeakGuard.CANARY, config.getValue("payments.api-key", String.class));

        long gets = secrets.calls("GetSecretVersion");
        secrets.addVersion(full, "{\"password\":\"v2-" + LeakGuard.CANARY + "\",\"user\":\"orders\"}");
        MpConfigs.until(
                () -> config.getValue("db.password", String.class), "v2-" + LeakGuard.CANARY, Duration.ofSeconds(5));
        assertEquals("v2-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertThat(audit.awaitEvents("rotated", 1, Duration.ofSeconds(5)))
                .first()
                .asString()
                .contains("backend=gcp", "secret=" + secret, "version=2", "previous=1", "app=orders");
        assertThat(secrets.calls("GetSecretVersion") - gets)
                .as("rotation checked by access (the default), no read request spent")
                .isZero();
        LeakGuard.assertNoLeak(audit.lines());
    }

    @Test
    void aDenialIsATypedFailureNeverAStaleValue() throws Exception {
        String full = "projects/" + PROJECT + "/secrets/" + secret;
        secrets.createSecret(full, LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of(
                "db.password",
                "${gcp::" + secret + "}",
                "mpsecrets.gcp.ttl",
                "PT0.05S",
                "mpsecrets.gcp.max-stale",
                "PT1H"));
        assertEquals(LeakGuard.CANARY, config.getValue("db.password", String.class));
        secrets.policy(full, Policy.of(Policy.allow("someone-else@example.com", MockSecretManager.ACCESS)));
        Thread.sleep(200); // past the TTL: the next read asks Secret Manager, which now refuses
        RuntimeException denied =
                assertThrows(RuntimeException.class, () -> config.getValue("db.password", String.class));
        Throwable cause = denied;
        while (cause != null && !(cause instanceof SecretException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a typed failure, not " + denied).isInstanceOf(SecretException.class);
        assertEquals(FailureReason.ACCESS_DENIED, ((SecretException) cause).reason());
        assertThat(denied).isNotInstanceOf(NoSuchElementException.class);
        LeakGuard.assertNoLeak(denied);
    }

    @Test
    void anEncValueForAnotherApplicationIsRefusedByCloudKms() {
        String encrypted = encrypt("api-" + LeakGuard.CANARY, "payments.api-key");
        SmallRyeConfig config = config(Map.of("payments.api-key", encrypted, "mpsecrets.app", "billing"));
        RuntimeException refused =
                assertThrows(RuntimeException.class, () -> config.getValue("payments.api-key", String.class));
        Throwable cause = refused;
        while (cause != null && !(cause instanceof SecretException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(SecretException.class);
        assertEquals(FailureReason.WRONG_KEY, ((SecretException) cause).reason());
        LeakGuard.assertNoLeak(refused);
    }

    @Test
    void asAConfigSourceTheListedSecretsAndThoseWithTheLabelsBecomeProperties() {
        String app = "a" + System.nanoTime();
        String labelled = "orders__db-password-" + app;
        secrets.createSecret(
                "projects/" + PROJECT + "/secrets/" + labelled,
                ("lab-" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8),
                Map.of("app", app));
        SmallRyeConfig byLabel = config(Map.of("mpsecrets.sources", "gcp", "mpsecrets.gcp.labels", "app=" + app));
        assertEquals("lab-" + LeakGuard.CANARY, byLabel.getValue("orders.db-password-" + app, String.class));

        secrets.createSecret("projects/" + PROJECT + "/secrets/" + secret, "{\"user\":\"u\",\"password\":\"p\"}");
        SmallRyeConfig listed = config(Map.of("mpsecrets.sources", "gcp", "mpsecrets.gcp.secrets.db", secret));
        assertEquals("u", listed.getValue("db.user", String.class));
        assertEquals("p", listed.getValue("db.password", String.class));
    }
}
