package io.mpsecrets.aws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.KeyDisabledException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.cdi.MpSecretsExtension;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * ENC values whose data keys AWS KMS wraps: the real AWS SDK v2 client in mp-secrets talks to the testkit's mock
 * KMS over HTTP on loopback, as two principals (the testkit's profiles worker1 and worker2).
 */
@WithMockServer
class AwsKmsTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private String alias;
    private String keyArn;

    AwsKmsTest(MockServer server) {
        this.server = server;
    }

    @BeforeAll
    static void profiles() {
        TestProfiles.install();
    }

    @BeforeEach
    void key() {
        alias = "alias/orders-" + System.nanoTime();
        keyArn = server.kms().createKeyWithAlias(alias);
        // worker1 may do everything; worker2 only decrypt, and only for the orders application.
        server.kms()
                .policy(
                        keyArn,
                        Policy.of(
                                Policy.allow("AKIDWORKER1", "*"),
                                Policy.allowWithContext(
                                        "AKIDWORKER2",
                                        Map.of(EncryptionContext.APPLICATION_KEY, "orders"),
                                        "Decrypt")));
        server.kms().counter().reset();
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
        server.kms().faults().reset();
    }

    private AwsClientSettings settings(String profile) {
        Map<String, String> values = Map.of(
                "region", "us-east-1", "endpoint", server.endpoint().toString(), "profile", profile, "timeout", "PT5S");
        return AwsClientSettings.read("", name -> Optional.ofNullable(values.get(name)));
    }

    /** What {@code mpsecrets encrypt --kms aws --key-id <alias> --app <app>} does: one data key for all values. */
    private EnvelopeEncryptor encryptor(String app) {
        return new EnvelopeEncryptor(AwsKms.create(settings("worker1")), alias, EncryptionContext.forApplication(app));
    }

    private String encrypt(String plaintext, String property, String app) {
        try (EnvelopeEncryptor encryptor = encryptor(app)) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    private SmallRyeConfig config(Map<String, String> values, String profile, String app) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.kms", "aws");
        all.put("mpsecrets.app", app);
        all.put("mpsecrets.kms.aws.region", "us-east-1");
        all.put("mpsecrets.kms.aws.endpoint", server.endpoint().toString());
        all.put("mpsecrets.kms.aws.profile", profile);
        all.putIfAbsent("mpsecrets.kms.aws.timeout", "PT5S");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(all, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    @Test
    void valuesMadeWithAKmsDataKeyDecryptThroughTheRealSdkClient() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        assertThat(value).startsWith("ENC(");
        assertEquals(1, server.kms().calls("GenerateDataKey"));
        SmallRyeConfig config = config(Map.of("db.password", value), "worker1", "orders");
        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertThat(audit.events("decrypted"))
                .singleElement()
                .asString()
                .contains("property=db.password", "key=" + keyArn, "outcome=ok", "app=orders");
    }

    /** An application bean, as a container injects it. */
    @Dependent
    public static class PaymentsClient {
        @Inject
        @ConfigProperty(name = "payments.api-key")
        String apiKey;
    }

    @Test
    void injectedWithConfigPropertyInACdiContainer() {
        SmallRyeConfig config = config(
                Map.of("payments.api-key", encrypt("pay-" + LeakGuard.CANARY, "payments.api-key", "orders")),
                "worker2",
                "orders");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        ClassLoader application = new URLClassLoader(new URL[0], previous);
        ConfigProviderResolver.instance().registerConfig(config, application);
        Thread.currentThread().setContextClassLoader(application);
        try (WeldContainer container = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new MpSecretsExtension())
                .addBeanClass(PaymentsClient.class)
                .initialize()) {
            assertEquals(
                    "pay-" + LeakGuard.CANARY,
                    container.select(PaymentsClient.class).get().apiKey);
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertEquals(1, server.kms().calls("Decrypt"));
    }

    @Test
    void aThousandValuesSharingADataKeyCostOneKmsDecrypt() {
        Map<String, String> values = new HashMap<>();
        try (EnvelopeEncryptor encryptor = encryptor("orders")) {
            for (int i = 0; i < 1000; i++) {
                values.put(
                        "secret." + i,
                        encryptor.encrypt(
                                ("v" + i + "-" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8), "secret." + i));
            }
        }
        assertEquals(1, server.kms().calls("GenerateDataKey"), "one data key per CLI run");
        SmallRyeConfig config = config(values, "worker2", "orders");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1000; i++) {
                assertEquals("v" + i + "-" + LeakGuard.CANARY, config.getValue("secret." + i, String.class));
            }
        }
        assertEquals(1, server.kms().calls("Decrypt"), "counted at the mock KMS");
    }

    @Test
    void aWorkerWhosePrincipalMayNotDecryptGetsACleanDenialAndAnEvent() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        server.kms().policy(keyArn, Policy.of(Policy.allow("AKIDWORKER1", "*")));
        SmallRyeConfig config = config(Map.of("db.password", value), "worker2", "orders");
        SecretAccessDeniedException denied =
                assertThrows(SecretAccessDeniedException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        assertThat(denied.getMessage())
                .contains("property=db.password", "key=" + keyArn, "AccessDeniedException", "AKIDWORKER2");
        assertThat(audit.events("denied"))
                .singleElement()
                .asString()
                .contains("property=db.password", "key=" + keyArn, "outcome=denied", "app=orders");
        LeakGuard.assertNoLeak(denied);
        // Not cached as a success and not retried into a value: the next read is denied again.
        assertThrows(SecretAccessDeniedException.class, () -> config.getValue("db.password", String.class));
    }

    @Test
    void anotherWorkerContextIsRefusedByTheKeyPolicysEncryptionContextCondition() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        // worker2 is allowed only with {"mpsecrets:app": "orders"}; the billing application asks with its own name.
        SmallRyeConfig billing = config(Map.of("db.password", value), "worker2", "billing");
        SecretAccessDeniedException denied =
                assertThrows(SecretAccessDeniedException.class, () -> billing.getValue("db.password", String.class));
        assertThat(denied.getMessage()).contains("key=" + keyArn);
        assertThat(audit.events("denied")).singleElement().asString().contains("app=billing");
    }

    @Test
    void anEncryptionContextMismatchIsAWrongKeyNotAPlaintext() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        // worker1 may decrypt under any context, but the wrapped key is bound to "orders".
        SmallRyeConfig config = config(Map.of("db.password", value), "worker1", "billing");
        SecretException e = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.WRONG_KEY, e.reason());
        assertThat(e.getMessage()).contains("InvalidCiphertextException", "property=db.password", "key=" + keyArn);
    }

    @Test
    void rotatingTheKeyMaterialKeepsOldValuesDecrypting() {
        String before = encrypt("old-" + LeakGuard.CANARY, "a", "orders");
        try (KmsClient kms = KmsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(ProfileCredentialsProvider.create("worker1"))
                .build()) {
            kms.enableKeyRotation(b -> b.keyId(keyArn));
            kms.rotateKeyOnDemand(b -> b.keyId(keyArn));
        }
        assertEquals(2, server.kms().materialVersions(keyArn));
        String after = encrypt("new-" + LeakGuard.CANARY, "b", "orders");
        SmallRyeConfig config = config(Map.of("a", before, "b", after), "worker2", "orders");
        assertEquals("old-" + LeakGuard.CANARY, config.getValue("a", String.class));
        assertEquals("new-" + LeakGuard.CANARY, config.getValue("b", String.class));
    }

    @Test
    void throttlingIsRetriedWithBackoffThenFailsClearly() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        server.kms().faults().only("Decrypt").throttleNext(2);
        SmallRyeConfig config = config(Map.of("db.password", value), "worker2", "orders");
        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(3, server.kms().calls("Decrypt"), "two throttled attempts retried by the SDK");

        String second = encrypt("db2-" + LeakGuard.CANARY, "db.password", "orders");
        server.kms().faults().reset().only("Decrypt").throttleRate(1.0);
        server.kms().counter().reset();
        SmallRyeConfig throttled =
                config(Map.of("db.password", second, "mpsecrets.kms.aws.max-attempts", "3"), "worker2", "orders");
        ServiceUnavailableException e =
                assertThrows(ServiceUnavailableException.class, () -> throttled.getValue("db.password", String.class));
        assertEquals(FailureReason.THROTTLED, e.reason());
        assertThat(e.getMessage()).contains("property=db.password", "key=" + keyArn, "ThrottlingException");
        assertEquals(3, server.kms().calls("Decrypt"));
        assertThat(audit.events("failure"))
                .anySatisfy(line -> assertThat(line).contains("reason=THROTTLED", "outcome=failed"));
    }

    @Test
    void aSlowKmsTimesOut() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        server.kms().faults().latency(Duration.ofSeconds(3)).only("Decrypt");
        SmallRyeConfig config =
                config(Map.of("db.password", value, "mpsecrets.kms.aws.timeout", "PT0.5S"), "worker2", "orders");
        ServiceUnavailableException e =
                assertThrows(ServiceUnavailableException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.TIMEOUT, e.reason());
        assertThat(e.getMessage()).contains("property=db.password");
    }

    @Test
    void disabledAndUnknownKeysAreTypedFailures() {
        String value = encrypt("db-" + LeakGuard.CANARY, "db.password", "orders");
        server.kms().disable(keyArn);
        SmallRyeConfig config = config(Map.of("db.password", value), "worker2", "orders");
        KeyDisabledException disabled =
                assertThrows(KeyDisabledException.class, () -> config.getValue("db.password", String.class));
        assertThat(disabled.getMessage()).contains("DisabledException", "key=" + keyArn);
        server.kms().enable(keyArn);

        try (AwsKms kms = AwsKms.create(settings("worker1"))) {
            UnknownKeyException unknown = assertThrows(
                    UnknownKeyException.class,
                    () -> kms.generateDataKey("alias/no-such-key", EncryptionContext.forApplication("orders")));
            assertThat(unknown.getMessage()).contains("key=alias/no-such-key", "NotFoundException");
        }
    }
}
