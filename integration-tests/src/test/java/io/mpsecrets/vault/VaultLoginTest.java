package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.JwtIssuer;
import io.mpsecrets.testkit.vault.MockVault;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vault logins through the whole runtime (a config built from properties): the {@code aws} login signed by
 * {@code mpsecrets-aws}'s {@code AwsSdkRequestSigner}, found through {@code ServiceLoader} (the credentials from the
 * AWS SDK's default chain, here its system properties), and the Transit KMS logging in on its own under
 * {@code mpsecrets.kms.vault-transit.*}. A token an operator revokes is audited (a {@code denied} event and a warning)
 * and replaced by one login.
 */
class VaultLoginTest {

    private static final String ARN = "arn:aws:iam::111122223333:role/orders";

    @TempDir
    Path dir;

    private MockServer server;
    private MockVault vault;
    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void start() {
        server = MockServer.start();
        vault = server.vault();
        vault.putV2("secret/orders", Map.of("k", "one-" + LeakGuard.CANARY));
        vault.putV2("secret/billing", Map.of("k", "two-" + LeakGuard.CANARY));
        vault.policy("orders", "secret/data/*", "read");
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
        server.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private SmallRyeConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(new HashMap<>(values), "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    private Map<String, String> awsSettings() {
        return Map.of(
                "mpsecrets.vault.address", server.endpoint().toString(),
                "mpsecrets.vault.auth", "aws",
                "mpsecrets.vault.aws.role", "orders",
                "mpsecrets.vault.aws.server-id", "vault.example.com",
                "orders.k", "${vault::secret/orders#k}",
                "billing.k", "${vault::secret/billing#k}");
    }

    @Test
    void theAwsLoginIsSignedByTheAwsSdkWithTheDefaultChainsCredentials() {
        vault.awsCredentials("AKIDORDERS", "aws-" + LeakGuard.CANARY, ARN);
        vault.awsRole("aws", "orders", ARN, Duration.ofHours(1), "orders");
        vault.awsServerId("aws", "vault.example.com");
        System.setProperty("aws.accessKeyId", "AKIDORDERS");
        System.setProperty("aws.secretAccessKey", "aws-" + LeakGuard.CANARY);
        SmallRyeConfig config = config(awsSettings());
        assertEquals("one-" + LeakGuard.CANARY, config.getValue("orders.k", String.class));
        vault.loginTokens("aws").forEach(LeakGuard::watch);

        // An operator revokes the token: the next read logs in again, once, and the trail shows the refusal.
        assertEquals(1, vault.revokeLoginTokens("aws"));
        assertEquals("two-" + LeakGuard.CANARY, config.getValue("billing.k", String.class));
        assertEquals(2, vault.calls("login:aws"));
        assertThat(audit.events("denied")).singleElement().asString().contains("backend=vault");
        assertThat(audit.lines())
                .anySatisfy(line -> assertThat(line).contains("Credentials refused", "no longer accepts", "aws"));
        vault.loginTokens("aws").forEach(LeakGuard::watch);
        LeakGuard.assertNoLeak(audit.lines());
    }

    @Test
    void anAwsLoginVaultRefusesIsAnAccessDeniedNamingNoKey() {
        vault.awsCredentials("AKIDORDERS", "aws-" + LeakGuard.CANARY, ARN);
        vault.awsRole("aws", "orders", ARN, Duration.ofHours(1), "orders");
        vault.awsServerId("aws", "vault.example.com");
        System.setProperty("aws.accessKeyId", "AKIDORDERS");
        System.setProperty("aws.secretAccessKey", "guessed-" + LeakGuard.CANARY);
        SecretException e =
                assertThrows(SecretException.class, () -> config(awsSettings()).getValue("orders.k", String.class));
        assertEquals(FailureReason.ACCESS_DENIED, e.reason());
        assertThat(e.getMessage()).contains("Vault refused the aws mount=aws role=orders");
        LeakGuard.assertNoLeak(e, audit.lines());
    }

    @Test
    void theTransitKmsLogsInOnItsOwnByJwtAndLogsInAgainOnceWhenItsTokenIsRevoked() throws Exception {
        String key = "orders";
        vault.transitKey(key);
        vault.policy("decrypt", "transit/decrypt/" + key, "update");
        JwtIssuer issuer = JwtIssuer.rsa();
        vault.jwtAuth("ci", issuer.issuer(), issuer.publicKey());
        vault.jwtRole("ci", "decrypt", Set.of("vault"), Map.of(), Duration.ofHours(1), "decrypt");
        String jwt = issuer.issue("orders", "vault", Duration.ofMinutes(10), Map.of());
        LeakGuard.watch(jwt);
        Path jwtFile = Files.writeString(dir.resolve("jwt"), jwt);

        // Two values under two data keys: each is unwrapped by Vault on first use.
        String first = encrypt(key, "value.first", "first-" + LeakGuard.CANARY);
        String second = encrypt(key, "value.second", "second-" + LeakGuard.CANARY);
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.app", "orders",
                "mpsecrets.kms", "vault-transit",
                "mpsecrets.kms.vault-transit.address", server.endpoint().toString(),
                "mpsecrets.kms.vault-transit.auth", "jwt",
                "mpsecrets.kms.vault-transit.jwt.mount", "ci",
                "mpsecrets.kms.vault-transit.jwt.role", "decrypt",
                "mpsecrets.kms.vault-transit.jwt.jwt-file", jwtFile.toString(),
                "value.first", first,
                "value.second", second));
        assertEquals("first-" + LeakGuard.CANARY, config.getValue("value.first", String.class));
        assertEquals(1, vault.calls("login:ci"));
        vault.loginTokens("ci").forEach(LeakGuard::watch);
        assertEquals(1, vault.revokeLoginTokens("ci"));
        assertEquals("second-" + LeakGuard.CANARY, config.getValue("value.second", String.class));
        assertEquals(2, vault.calls("login:ci"));
        assertThat(audit.events("denied"))
                .singleElement()
                .asString()
                .contains("backend=vault-transit", "key=vault-transit:orders");
        vault.loginTokens("ci").forEach(LeakGuard::watch);
        LeakGuard.assertNoLeak(audit.lines());
    }

    /** One value of {@code property} under its own data key, made with the root token. */
    private String encrypt(String key, String property, String plaintext) {
        Map<String, String> settings =
                Map.of("mpsecrets.vault.address", server.endpoint().toString(), "mpsecrets.vault.token", "root");
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                new VaultTransitKmsFactory()
                        .create(BackendSettings.kms(
                                VaultTransitKms.NAME,
                                name -> Optional.ofNullable(settings.get(name)),
                                Map.of(),
                                "orders")),
                "vault-transit:" + key,
                EncryptionContext.forApplication("orders"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }
}
