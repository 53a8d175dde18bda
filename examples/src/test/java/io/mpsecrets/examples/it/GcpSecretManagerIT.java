package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.gcp.CloudKmsFactory;
import io.mpsecrets.gcp.SecretManagerStoreFactory;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.gcp.MockGoogleCloud;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders application with mp-secrets and its Google Cloud module in WEB-INF/lib, on Open Liberty, WildFly and
 * Payara Micro (portable mode), against the
 * testkit's Secret Manager, Cloud KMS and token endpoint (this JVM, a loopback port chosen at run time), logged in
 * with a service account key file the mock wrote: its signing key referenced as {@code ${gcp::...}} and rotated while
 * it runs, and, in a second deployment, an {@code ENC(...)} signing key whose data key Cloud KMS wrapped.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GcpSecretManagerIT {

    private static final String PROJECT = "orders-prod";
    private static final String ACCOUNT = "orders-liberty@orders-prod.iam.gserviceaccount.com";
    static final String SECRET = "orders-signing-key";
    static final String KEY = "projects/" + PROJECT + "/locations/europe-west1/keyRings/mpsecrets/cryptoKeys/orders-it";
    static final String ENCRYPTED_KEY = "enc-hmac-" + LeakGuard.CANARY;

    private static Path credentials;

    private static MockGoogleCloud gcp() {
        return MpSecretsArquillian.server().gcp();
    }

    /**
     * The service account key file, written once into the build's directory, which the server on this machine
     * reads; the mock issues tokens for the account it names.
     */
    private static synchronized Path credentials() {
        if (credentials == null) {
            try {
                Path dir = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target"), "gcp-it"));
                credentials = gcp().auth()
                        .serviceAccountKeyFile(dir.resolve("key.json"), ACCOUNT, PROJECT)
                        .toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return credentials;
    }

    private static Map<String, String> gcpSettings() {
        MockServer server = MpSecretsArquillian.server();
        Map<String, String> settings = new HashMap<>();
        settings.put("mpsecrets.gcp.endpoint", server.endpoint().toString());
        settings.put("mpsecrets.gcp.credentials-file", credentials().toString());
        settings.put("mpsecrets.gcp.project", PROJECT);
        settings.put("mpsecrets.kms.gcp-kms.endpoint", server.endpoint().toString());
        return settings;
    }

    private static WebArchive war(String name, Map<String, String> config) {
        Map<String, String> all = new HashMap<>(gcpSettings());
        all.put("mpsecrets.app", "orders");
        all.putAll(config);
        return AppServer.packagedWar(name, all).addAsLibraries(jarOf(SecretManagerStoreFactory.class));
    }

    @Deployment(name = "referenced", testable = false)
    static WebArchive referenced() {
        gcp().secretManager().createSecret("projects/" + PROJECT + "/secrets/" + SECRET, "first-" + LeakGuard.CANARY);
        return war(
                "orders-gcp",
                Map.of("mpsecrets.rotation.interval", "PT0.5S", "tokens.signing-key", "${gcp::" + SECRET + "}"));
    }

    @Deployment(name = "encrypted", testable = false)
    static WebArchive encrypted() {
        gcp().kms().createKey(KEY);
        Map<String, String> settings = gcpSettings();
        KeyManagementService kms = new CloudKmsFactory()
                .create(BackendSettings.kms(
                        "gcp-kms", name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
        String value;
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms, "gcp-kms:" + KEY, EncryptionContext.forApplication("orders"))) {
            value = encryptor.encrypt(ENCRYPTED_KEY.getBytes(StandardCharsets.UTF_8), "tokens.signing-key");
        } finally {
            kms.close();
        }
        return war("orders-gcp-enc", Map.of("mpsecrets.kms", "gcp-kms", "tokens.signing-key", value));
    }

    private static String sign(URL orders) {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        LeakGuard.check(issued.body(), "the token answer");
        return AppServer.json(issued.body()).getString("token");
    }

    @Test
    void aSecretManagerSecretIsUsedAndItsRotationSeenWithoutARestart(
            @ArquillianResource @OperateOnDeployment("referenced") URL orders) throws Exception {
        String before = sign(orders);
        assertThat(before).endsWith("." + AppServer.expectedSignature(before, "first-" + LeakGuard.CANARY));

        String version = gcp().secretManager()
                .addVersion("projects/" + PROJECT + "/secrets/" + SECRET, "second-" + LeakGuard.CANARY);
        long start = System.nanoTime();
        String after = sign(orders);
        while (!after.endsWith("." + AppServer.expectedSignature(after, "second-" + LeakGuard.CANARY))) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still signing with the old key")
                    .isLessThan(Duration.ofSeconds(10));
            Thread.sleep(100);
            after = sign(orders);
        }
        AppServer.Answer status = AppServer.get(orders, "api/status");
        LeakGuard.check(status.body(), "the status endpoint");
        JsonObject body = AppServer.json(status.body());
        assertThat(body.getJsonArray("events").getValuesAs(JsonObject.class)).anySatisfy(event -> {
            assertEquals("rotated", event.getString("event"));
            assertEquals("tokens.signing-key", event.getString("property"));
            assertEquals("gcp", event.getString("backend"));
            assertEquals(version, event.getString("version"));
        });
    }

    @Test
    void anEncValueUnderACloudKmsKeyIsDecryptedWithOneUnwrap(
            @ArquillianResource @OperateOnDeployment("encrypted") URL orders) throws Exception {
        long decrypts = gcp().kms().calls("Decrypt");
        for (int i = 0; i < 3; i++) {
            String token = sign(orders);
            assertThat(token).endsWith("." + AppServer.expectedSignature(token, ENCRYPTED_KEY));
        }
        assertThat(gcp().kms().calls("Decrypt") - decrypts)
                .as("the data key is cached in the application")
                .isLessThanOrEqualTo(1);
        assertThat(gcp().kms().calls("Decrypt")).isGreaterThanOrEqualTo(1);
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
