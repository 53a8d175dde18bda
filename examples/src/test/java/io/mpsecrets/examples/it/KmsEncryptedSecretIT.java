package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testkit.MockKey;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * The orders application on a real server (Open Liberty, WildFly; Payara Micro in portable mode), mp-secrets in its
 * WEB-INF/lib: its token signing key is an {@code ENC(...)} value whose data key AWS KMS wrapped; the real AWS SDK
 * client inside the server asks the testkit's mock KMS (this JVM, a free loopback port) to unwrap it. A second
 * deployment runs as a principal the key policy does not allow.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@MockKey(alias = "alias/orders-it")
class KmsEncryptedSecretIT {

    static final String SIGNING_KEY = "hmac-key-" + LeakGuard.CANARY;
    private static String keyArn;

    /** A key only worker1 may use, and the signing key encrypted under it for the orders application. */
    private static synchronized String encryptedSigningKey() {
        MockServer mock = MpSecretsArquillian.server();
        if (keyArn == null) {
            // The key is declared on the class (@MockKey); its policy allows worker1 only.
            keyArn = mock.kms().keyArnForAlias("alias/orders-it").orElseThrow();
            mock.kms().policy(keyArn, Policy.of(Policy.allow(TestProfiles.WORKER1_KEY, "*")));
        }
        Map<String, String> settings =
                Map.of("region", "us-east-1", "endpoint", mock.endpoint().toString(), "profile", TestProfiles.WORKER1);
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                AwsKms.create(AwsClientSettings.read("", n -> Optional.ofNullable(settings.get(n)))),
                "alias/orders-it",
                EncryptionContext.forApplication("orders"))) {
            return encryptor.encrypt(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "tokens.signing-key");
        }
    }

    private static Map<String, String> config(String profile) {
        Map<String, String> config = new HashMap<>();
        config.put("mpsecrets.app", "orders");
        config.put("mpsecrets.kms", "aws");
        // The mock's region and endpoint come from the testkit; the principal is this deployment's own.
        config.put("mpsecrets.kms.aws.profile", profile);
        config.put("tokens.signing-key", encryptedSigningKey());
        return config;
    }

    @Deployment(name = "orders", testable = false)
    static WebArchive orders() {
        return AppServer.packagedWar("orders", config(TestProfiles.WORKER1));
    }

    @Deployment(name = "orders-denied", testable = false)
    static WebArchive ordersAsAPrincipalTheKeyPolicyRefuses() {
        return AppServer.packagedWar("orders-denied", config(TestProfiles.WORKER2));
    }

    @Test
    void tokensAreSignedWithTheKeyKmsUnwrappedOnce(@ArquillianResource @OperateOnDeployment("orders") URL orders)
            throws Exception {
        long decryptsBefore = MpSecretsArquillian.server().kms().calls("Decrypt");
        for (String subject : new String[] {"alice", "bob", "carol"}) {
            AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=" + subject);
            assertEquals(200, issued.status(), issued.body());
            String token = AppServer.json(issued.body()).getString("token");
            assertThat(token).endsWith("." + AppServer.expectedSignature(token, SIGNING_KEY));
            AppServer.Answer verified = AppServer.get(orders, "api/tokens/verify?token=" + token);
            assertEquals(subject, AppServer.json(verified.body()).getString("subject"));
            LeakGuard.check(issued.body() + verified.body(), "HTTP answers");
        }
        assertThat(MpSecretsArquillian.server().kms().calls("Decrypt") - decryptsBefore)
                .as("the data key is cached in the application")
                .isLessThanOrEqualTo(1);
        assertThat(MpSecretsArquillian.server().kms().calls("Decrypt")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theStatusNamesSecretsAndTheObserverSawTheAuditEventsButNoValue(
            @ArquillianResource @OperateOnDeployment("orders") URL orders) throws Exception {
        assertEquals(
                200, AppServer.postForm(orders, "api/tokens", "subject=dave").status());
        AppServer.Answer status = AppServer.get(orders, "api/status");
        assertEquals(200, status.status());
        JsonObject body = AppServer.json(status.body());
        assertEquals("orders", body.getString("application"));
        JsonObject secret = body.getJsonArray("secrets").getJsonObject(0);
        assertEquals("tokens.signing-key", secret.getString("property"));
        assertEquals("encrypted", secret.getString("kind"));
        assertEquals(keyArn, secret.getString("key"));
        assertThat(secret.getJsonNumber("reads").longValue()).isPositive();
        // Delivered by mp-secrets' CDI extension to the application's @Observes SecretEvent.
        assertThat(body.getJsonArray("events").getValuesAs(JsonObject.class)).anySatisfy(event -> {
            assertEquals("decrypted", event.getString("event"));
            assertEquals("tokens.signing-key", event.getString("property"));
            assertEquals(keyArn, event.getString("key"));
            assertEquals("orders", event.getString("app"));
            assertEquals("orders", event.getString("module"), "the web module that asked");
            assertEquals("ok", event.getString("outcome"));
        });
        LeakGuard.check(status.body(), "the status endpoint");
    }

    @Test
    void aWorkerThePolicyDoesNotAllowGetsADenialAndAnAuditEventNotAKey(
            @ArquillianResource @OperateOnDeployment("orders-denied") URL denied) throws Exception {
        AppServer.Answer refused = AppServer.postForm(denied, "api/tokens", "subject=mallory");
        assertEquals(503, refused.status());
        assertEquals("ACCESS_DENIED", AppServer.json(refused.body()).getString("reason"));
        assertEquals("tokens.signing-key", AppServer.json(refused.body()).getString("property"));
        LeakGuard.check(refused.body(), "the refused answer");
        JsonObject status = AppServer.json(AppServer.get(denied, "api/status").body());
        assertThat(status.getJsonArray("events").getValuesAs(JsonObject.class)).anySatisfy(event -> {
            assertEquals("denied", event.getString("event"));
            assertEquals("tokens.signing-key", event.getString("property"));
            assertEquals(keyArn, event.getString("key"));
            assertEquals("denied", event.getString("outcome"));
        });
        assertThat(AppServer.mainLog()).contains("event=denied property=tokens.signing-key");
    }
}
