package io.mpsecrets.aws.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AWS KMS across regions: two mock KMS regions (eu-west-1 and eu-central-1, each on its own loopback port) share a
 * Multi-Region key's material, as a primary and its replica do. The application lives in eu-central-1 and lists
 * eu-west-1 as its fallback.
 */
class AwsKmsRegionsTest {

    private static final String WEST = "eu-west-1";
    private static final String CENTRAL = "eu-central-1";
    private static MockServer west;
    private static MockServer central;

    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private String primaryArn;
    private String replicaArn;

    @BeforeAll
    static void regions() {
        TestProfiles.install();
        west = MockServer.builder().region(WEST).start();
        central = MockServer.builder().region(CENTRAL).start();
    }

    @AfterAll
    static void stopRegions() {
        west.close();
        central.close();
    }

    @BeforeEach
    void key() {
        primaryArn = west.kms().createMultiRegionKey("orders");
        replicaArn = west.kms().replicateKey(primaryArn, central.kms());
        west.kms().counter().reset();
        central.kms().counter().reset();
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
        west.kms().faults().reset();
        central.kms().faults().reset();
    }

    /** A value made in eu-west-1, as {@code mpsecrets encrypt --kms aws} run there makes it. */
    private String encryptInWest(String plaintext, String keyId) {
        Map<String, String> values = Map.of(
                "region",
                WEST,
                "endpoint",
                west.endpoint().toString(),
                "profile",
                TestProfiles.WORKER1,
                "timeout",
                "PT5S");
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                AwsKms.create(AwsClientSettings.read("", name -> Optional.ofNullable(values.get(name)))),
                keyId,
                EncryptionContext.forApplication("orders"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), "db.password");
        }
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("mpsecrets.kms", "aws");
        all.put("mpsecrets.app", "orders");
        all.putIfAbsent("mpsecrets.kms.aws.regions", CENTRAL + "," + WEST);
        all.put("mpsecrets.kms.aws.endpoint." + WEST, west.endpoint().toString());
        all.putIfAbsent(
                "mpsecrets.kms.aws.endpoint." + CENTRAL, central.endpoint().toString());
        all.put("mpsecrets.kms.aws.profile", TestProfiles.WORKER1);
        all.put("mpsecrets.kms.aws.max-attempts", "1");
        all.put("mpsecrets.kms.aws.timeout", "PT5S");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(all, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    @Test
    void aValueMadeInOneRegionDecryptsThroughTheReplicaInTheApplicationsRegion() {
        SmallRyeConfig config = config(Map.of("db.password", encryptInWest("db-" + LeakGuard.CANARY, primaryArn)));
        west.kms().counter().reset();

        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(1, central.kms().calls("Decrypt"));
        assertEquals(0, west.kms().calls("Decrypt"));
        assertThat(audit.events("failover")).isEmpty();
        assertThat(replicaArn).contains(":" + CENTRAL + ":").endsWith(primaryArn.substring(primaryArn.indexOf("key/")));
    }

    @Test
    void whenTheApplicationsRegionIsDownTheNextRegionDecryptsAndTheFailoverIsAudited() {
        SmallRyeConfig config = config(Map.of("db.password", encryptInWest("db-" + LeakGuard.CANARY, primaryArn)));
        west.kms().counter().reset();
        central.kms().faults().errorRate(1.0);

        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(1, central.kms().calls("Decrypt"));
        assertEquals(1, west.kms().calls("Decrypt"));
        assertThat(audit.events("failover"))
                .singleElement()
                .asString()
                .contains(
                        "key=" + primaryArn,
                        "backend=aws",
                        "from=" + CENTRAL,
                        "to=" + WEST,
                        "reason=UNAVAILABLE",
                        "outcome=warning");
    }

    @Test
    void aDenialIsKmsAnswerAndIsNotTriedInAnotherRegion() {
        SmallRyeConfig config = config(Map.of("db.password", encryptInWest("db-" + LeakGuard.CANARY, primaryArn)));
        west.kms().counter().reset();
        central.kms().policy(replicaArn, Policy.of(Policy.allow("AKIDSOMEONEELSE", "*")));

        SecretException denied =
                assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.ACCESS_DENIED, denied.reason());
        assertEquals(0, west.kms().calls("Decrypt"));
        assertThat(audit.events("failover")).isEmpty();
    }

    /**
     * Issue 23, item 3: a refusal the error table did not know was {@code UNAVAILABLE}, so the next region was asked
     * and its replica decrypted. The application's region answers each here; eu-west-1 would decrypt.
     */
    @ParameterizedTest
    @CsvSource({
        "InvalidKeyUsageException, 400, WRONG_KEY",
        "InvalidGrantTokenException, 400, ACCESS_DENIED",
        "IncompleteSignatureException, 400, ACCESS_DENIED",
        "MissingAuthenticationTokenException, 403, ACCESS_DENIED",
        "InvalidClientTokenId, 403, ACCESS_DENIED",
        "SomeFutureRefusalException, 400, CONFIGURATION"
    })
    void aRefusalIsNotTriedInAnotherRegion(String code, int status, FailureReason reason) {
        try (HostileHttpServer refusing = HostileHttpServer.start(HostileHttpServer.json(
                status, "{\"__type\":\"" + code + "\",\"message\":\"refused in " + CENTRAL + "\"}"))) {
            SmallRyeConfig config = config(Map.of(
                    "db.password",
                    encryptInWest("db-" + LeakGuard.CANARY, primaryArn),
                    "mpsecrets.kms.aws.endpoint." + CENTRAL,
                    refusing.endpoint().toString()));
            west.kms().counter().reset();

            SecretException refused =
                    assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
            assertEquals(reason, refused.reason());
            assertThat(refused.getMessage()).contains(code).doesNotContain(LeakGuard.CANARY);
            assertEquals(1, refusing.requests());
            assertEquals(0, west.kms().calls("Decrypt"));
            assertThat(audit.events("failover")).isEmpty();
        }
    }

    @Test
    void aSingleRegionKeyHasNoReplicaToFailOverTo() {
        String westOnly = west.kms().createKey("west only");
        SmallRyeConfig config = config(Map.of(
                "db.password",
                encryptInWest("db-" + LeakGuard.CANARY, westOnly),
                "mpsecrets.kms.aws.regions",
                WEST + "," + CENTRAL));
        west.kms().faults().errorRate(1.0);

        SecretException down = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.UNAVAILABLE, down.reason());
        assertEquals(0, central.kms().calls("Decrypt"));
        west.kms().faults().reset();
        assertEquals("db-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
    }

    @Test
    void whenEveryRegionIsDownTheFirstFailureIsReported() {
        SmallRyeConfig config = config(Map.of("db.password", encryptInWest("db-" + LeakGuard.CANARY, primaryArn)));
        central.kms().faults().errorRate(1.0);
        west.kms().faults().errorRate(1.0);

        SecretException down = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.UNAVAILABLE, down.reason());
        assertThat(down.getMessage()).contains("db.password").doesNotContain(LeakGuard.CANARY);
    }

    @Test
    void aRegionThatIsNotFirstInTheListIsAConfigurationError() {
        SmallRyeConfig config = config(Map.of(
                "db.password", encryptInWest("db-" + LeakGuard.CANARY, primaryArn), "mpsecrets.kms.aws.region", WEST));
        SecretException wrong = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertThat(wrong.getMessage()).contains("mpsecrets.kms.aws.region", "is not the first of");
    }
}
