package io.mpsecrets.quarkus.it;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.gcp.CloudKmsFactory;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.testkit.gcp.MockSecretManager;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The testkit's Google Cloud (Secret Manager, Cloud KMS and the token endpoint, a loopback port chosen at run time)
 * for {@link GoogleCloudQuarkusTest}: a service account key file the mock issues tokens for, a secret referenced as
 * {@code ${gcp::...}}, and an {@code ENC} value whose data key Cloud KMS wrapped with the application as AAD, made as
 * {@code mpsecrets encrypt --kms gcp-kms} makes it.
 */
public class GoogleCloudResource implements QuarkusTestResourceLifecycleManager {

    static final String PROJECT = "orders-quarkus";
    static final String SECRET = "projects/" + PROJECT + "/secrets/quarkus-api-key";
    static final String FIRST = "gcp-first-" + LeakGuard.CANARY;
    static final String SECOND = "gcp-second-" + LeakGuard.CANARY;
    static final String ENCRYPTED = "gcp-enc-" + LeakGuard.CANARY;
    private static final String KEY = "projects/" + PROJECT + "/locations/global/keyRings/orders/cryptoKeys/quarkus";

    static MockSecretManager secretManager;
    private MockServer server;
    private TempDirectory dir;

    @Override
    public Map<String, String> start() {
        server = MockServer.start();
        try {
            dir = TempDirectory.create("mpsecrets-quarkus-gcp");
            Path credentials = server.gcp()
                    .auth()
                    .serviceAccountKeyFile(
                            dir.path().resolve("key.json"), "orders@" + PROJECT + ".iam.gserviceaccount.com", PROJECT);
            secretManager = server.gcp().secretManager();
            secretManager.createSecret(SECRET, FIRST);
            server.gcp().kms().createKey(KEY);
            Map<String, String> settings = new HashMap<>();
            settings.put("mpsecrets.gcp.endpoint", server.endpoint().toString());
            settings.put("mpsecrets.gcp.credentials-file", credentials.toString());
            settings.put("mpsecrets.gcp.project", PROJECT);
            settings.put("mpsecrets.kms.gcp-kms.endpoint", server.endpoint().toString());
            KeyManagementService kms = new CloudKmsFactory()
                    .create(BackendSettings.kms(
                            "gcp-kms", name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
            try (EnvelopeEncryptor encryptor =
                    new EnvelopeEncryptor(kms, "gcp-kms:" + KEY, EncryptionContext.forApplication("orders"))) {
                settings.put(
                        "cloud.gcp-encrypted",
                        encryptor.encrypt(ENCRYPTED.getBytes(StandardCharsets.UTF_8), "cloud.gcp-encrypted"));
            } finally {
                kms.close();
            }
            settings.put("cloud.gcp-api-key", "${gcp::quarkus-api-key}");
            settings.put("mpsecrets.gcp.ttl", "PT1H");
            settings.put("mpsecrets.rotation.interval", "PT0.2S");
            return settings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            dir.close(); // the service account's private key with it
        }
    }
}
