package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.TestCertificates;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HashiCorp Vault as a secret store: mp-secrets' Vault client against the testkit's mock Vault over HTTP(S). */
@WithMockServer
class VaultStoreTest {

    @TempDir
    Path dir;

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private final String app = "app" + System.nanoTime();

    VaultStoreTest(MockServer server) {
        this.server = server;
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        audit.close();
        server.vault().faults().reset();
        server.vault().counter().reset();
        server.vault().unseal();
        server.vault().requireNamespace(null);
    }

    private SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("mpsecrets.vault.address", server.endpoint().toString());
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(all, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    private VaultSecretStore provider(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("mpsecrets.vault.address", server.endpoint().toString());
        return new VaultSecretStore(
                VaultSettings.read(new Settings(name -> Optional.ofNullable(all.get(name))), Map.of()));
    }

    @Test
    void kvVersion2SecretsBecomePropertiesAndReferencesReadFieldsAndVersions() {
        server.vault().putV2("secret/" + app, Map.of("api_key", "one-" + LeakGuard.CANARY, "user", "orders"));
        server.vault().putV2("secret/" + app, Map.of("api_key", "two-" + LeakGuard.CANARY, "user", "orders"));
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.vault.token",
                "root",
                "mpsecrets.sources",
                "vault",
                "mpsecrets.vault.secrets.orders",
                "secret/" + app,
                "api.key",
                "${vault::secret/" + app + "#api_key}",
                "api.key.before",
                "${vault::secret/" + app + "?version=1#api_key}"));
        assertEquals("two-" + LeakGuard.CANARY, config.getValue("orders.api_key", String.class));
        assertEquals("orders", config.getValue("orders.user", String.class));
        assertEquals("two-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        assertEquals("one-" + LeakGuard.CANARY, config.getValue("api.key.before", String.class));
        assertThat(audit.events("fetched"))
                .anySatisfy(line -> assertThat(line).contains("backend=vault", "secret=secret/" + app, "version=2"));
    }

    @Test
    void pathSegmentsAreEncodedAndDotSegmentsRefusedBeforeAnyRequest() {
        server.vault().putV2("secret/" + app + " team/db", Map.of("k", "spaced-" + LeakGuard.CANARY));
        server.vault().putV2("secret/" + app + "/q?x#1%41", Map.of("k", "marks-" + LeakGuard.CANARY));
        server.vault().putV2("secret/other", Map.of("k", "other-" + LeakGuard.CANARY));
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.vault.token",
                "root",
                "spaced",
                "${vault::secret/" + app + " team/db#k}",
                "dotted",
                "${vault::secret/" + app + "/../other#k}",
                "dotted.mount",
                "${vault::../secret/other#k}"));
        server.vault().counter().reset();
        for (String property : List.of("dotted", "dotted.mount")) {
            SecretNotFoundException refused =
                    assertThrows(SecretNotFoundException.class, () -> config.getValue(property, String.class));
            assertThat(refused.getMessage()).contains("'..'");
            LeakGuard.assertNoLeak(refused);
        }
        assertEquals(0, server.vault().counter().total(), "a refused id sends no request");

        // A space, '?', '#' and '%' in a name reach Vault as the name, not as the end of the path or an escape.
        assertEquals("spaced-" + LeakGuard.CANARY, config.getValue("spaced", String.class));
        assertEquals(
                "{\"k\":\"marks-" + LeakGuard.CANARY + "\"}",
                provider(Map.of("mpsecrets.vault.token", "root"))
                        .fetch(SecretId.of("secret/" + app + "/q?x#1%41"))
                        .asString());
    }

    @Test
    void theTokenMayItselfBeAnEncValue() {
        server.vault().putV2("secret/" + app, Map.of("k", "via-enc-token-" + LeakGuard.CANARY));
        server.vault().policy(app, "secret/data/" + app, "read");
        String token = server.vault().token(Duration.ZERO, app);
        Path keyringFile = dir.resolve("keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.kms.local.keyring",
                keyringFile.toString(),
                "mpsecrets.vault.token",
                Fixtures.encrypt(keyring, token, "mpsecrets.vault.token"),
                "mpsecrets.sources",
                "vault",
                "mpsecrets.vault.secrets",
                "secret/" + app));
        assertEquals("via-enc-token-" + LeakGuard.CANARY, config.getValue("k", String.class));
    }

    @Test
    void versionsAreReadCheaplyFromMetadataAndCreationTimesKept() {
        server.vault().putV2("secret/" + app, Map.of("k", "v1"));
        try (VaultSecretStore vault = provider(Map.of("mpsecrets.vault.token", "root"))) {
            var value = vault.fetch(SecretId.of("secret/" + app));
            assertEquals(Optional.of("1"), value.version());
            assertThat(value.created()).isPresent();
            server.vault().putV2("secret/" + app, Map.of("k", "v2"));
            server.vault().counter().reset();
            assertEquals(Optional.of("2"), vault.currentVersion(SecretId.of("secret/" + app)));
            assertEquals(1, server.vault().calls("metadata"));
            assertEquals(0, server.vault().calls("read"), "no value was fetched to learn the version");
        }
    }

    @Test
    void kvVersion1Mounts() {
        server.vault().putV1("kv/" + app, Map.of("password", "v1-" + LeakGuard.CANARY));
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.vault.token",
                "root",
                "mpsecrets.vault.kv1-mounts",
                "kv",
                "legacy",
                "${vault::kv/" + app + "#password}"));
        assertEquals("v1-" + LeakGuard.CANARY, config.getValue("legacy", String.class));
        try (VaultSecretStore vault =
                provider(Map.of("mpsecrets.vault.token", "root", "mpsecrets.vault.kv-version", "1"))) {
            assertThat(vault.currentVersion(SecretId.of("kv/" + app)))
                    .get()
                    .asString()
                    .startsWith("h-");
            assertThrows(SecretNotFoundException.class, () -> vault.fetch(SecretId.parse("kv/" + app + "?version=1")));
        }
    }

    @Test
    void appRoleLoginWithASecretIdFromAFile() throws Exception {
        server.vault().putV2("secret/" + app, Map.of("k", "approle-" + LeakGuard.CANARY));
        server.vault().policy(app, "secret/data/" + app, "read");
        server.vault().appRole("role-" + app, "secret-id-" + app, Duration.ofMinutes(10), app);
        Path secretId = Files.writeString(dir.resolve("secret-id"), "secret-id-" + app + "\n");
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.vault.auth",
                "approle",
                "mpsecrets.vault.approle.role-id",
                "role-" + app,
                "mpsecrets.vault.approle.secret-id-file",
                secretId.toString(),
                "k",
                "${vault::secret/" + app + "#k}"));
        assertEquals("approle-" + LeakGuard.CANARY, config.getValue("k", String.class));
        assertEquals(1, server.vault().calls("login:approle"));

        SmallRyeConfig wrong = config(Map.of(
                "mpsecrets.vault.auth",
                "approle",
                "mpsecrets.vault.approle.role-id",
                "role-" + app,
                "mpsecrets.vault.approle.secret-id",
                "not-it",
                "k",
                "${vault::secret/" + app + "#k}"));
        SecretAccessDeniedException denied =
                assertThrows(SecretAccessDeniedException.class, () -> wrong.getValue("k", String.class));
        assertThat(denied.getMessage())
                .contains("property=k", "backend=vault", "approle", "role-" + app)
                .doesNotContain("not-it");
    }

    @Test
    void kubernetesLoginWithTheServiceAccountToken() throws Exception {
        server.vault().putV2("secret/" + app, Map.of("k", "k8s-" + LeakGuard.CANARY));
        server.vault().policy(app, "secret/data/" + app, "read");
        server.vault().kubernetesRole("orders-" + app, "jwt-" + app, Duration.ofMinutes(10), app);
        Path jwt = Files.writeString(dir.resolve("token"), "jwt-" + app);
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.vault.auth",
                "kubernetes",
                "mpsecrets.vault.kubernetes.role",
                "orders-" + app,
                "mpsecrets.vault.kubernetes.jwt-file",
                jwt.toString(),
                "k",
                "${vault::secret/" + app + "#k}"));
        assertEquals("k8s-" + LeakGuard.CANARY, config.getValue("k", String.class));
        assertEquals(1, server.vault().calls("login:kubernetes"));
    }

    @Test
    void tokensAreRenewedBeforeTheyExpireAndLoggedInAgainWhenRevoked() throws Exception {
        server.vault().putV2("secret/" + app, Map.of("k", "renewed-" + LeakGuard.CANARY));
        server.vault().policy(app, "secret/data/" + app, "read");
        server.vault().appRole("role-" + app, "sid-" + app, Duration.ofSeconds(3), app);
        try (VaultSecretStore vault = provider(Map.of(
                "mpsecrets.vault.auth",
                "approle",
                "mpsecrets.vault.approle.role-id",
                "role-" + app,
                "mpsecrets.vault.approle.secret-id",
                "sid-" + app))) {
            SecretId id = SecretId.of("secret/" + app);
            vault.fetch(id);
            assertEquals(1, server.vault().calls("login:approle"));
            Thread.sleep(2200); // past two thirds of the 3 s TTL
            vault.fetch(id);
            assertEquals(1, server.vault().calls("renew-self"), "renewed before expiry");
            assertEquals(1, server.vault().calls("login:approle"));
            Thread.sleep(2200);
            vault.fetch(id);
            assertEquals(2, server.vault().calls("renew-self"));
            Thread.sleep(3200); // idle past the TTL: the token died; a fresh login follows
            vault.fetch(id);
            assertEquals(2, server.vault().calls("login:approle"));
        }
    }

    @Test
    void aFixedTokenIsLookedUpOnceAndRenewedWhenRenewable() throws Exception {
        server.vault().putV2("secret/" + app, Map.of("k", "v"));
        server.vault().policy(app, "secret/data/" + app, "read");
        String token = server.vault().token(Duration.ofSeconds(3), app);
        try (VaultSecretStore vault = provider(Map.of("mpsecrets.vault.token", token))) {
            vault.fetch(SecretId.of("secret/" + app));
            vault.fetch(SecretId.of("secret/" + app));
            assertEquals(1, server.vault().calls("lookup-self"));
            Thread.sleep(2200);
            vault.fetch(SecretId.of("secret/" + app));
            assertEquals(1, server.vault().calls("renew-self"));
            assertThat(server.vault().secondsLeft(token)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void policiesMissingSecretsSealedVaultAndErrorsAreTyped() {
        server.vault().putV2("secret/" + app + "/other", Map.of("k", "v"));
        server.vault().putV2("secret/" + app, Map.of("k", "v"));
        server.vault().policy(app, "secret/data/" + app, "read");
        server.vault()
                .policy(
                        app,
                        "secret/data/" + app + "/absent",
                        "read"); // Vault says 403, not 404, where one may not read
        String token = server.vault().token(Duration.ZERO, app);
        try (VaultSecretStore vault =
                provider(Map.of("mpsecrets.vault.token", token, "mpsecrets.vault.max-attempts", "2"))) {
            SecretAccessDeniedException denied = assertThrows(
                    SecretAccessDeniedException.class, () -> vault.fetch(SecretId.of("secret/" + app + "/other")));
            assertThat(denied.getMessage())
                    .contains("backend=vault", "secret=secret/" + app + "/other", "403", "permission denied");
            assertThrows(SecretNotFoundException.class, () -> vault.fetch(SecretId.of("secret/" + app + "/absent")));
            assertThrows(
                    SecretNotFoundException.class,
                    () -> vault.fetch(SecretId.parse("secret/" + app + "?stage=AWSPREVIOUS")));
            assertThrows(SecretNotFoundException.class, () -> vault.fetch(SecretId.of("nomount")));

            server.vault().seal();
            SecretException sealed =
                    assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/" + app)));
            assertEquals(FailureReason.UNAVAILABLE, sealed.reason());
            assertThat(sealed.getMessage()).contains("503", "Vault is sealed");
            server.vault().unseal();

            server.vault().faults().throttleNext(1);
            assertEquals(
                    "{\"k\":\"v\"}",
                    vault.fetch(SecretId.of("secret/" + app)).asString(),
                    "a throttled call is retried");
            server.vault().faults().reset().throttleRate(1.0);
            assertEquals(
                    FailureReason.THROTTLED,
                    assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/" + app)))
                            .reason());
        }
        server.vault().faults().reset();
        try (VaultSecretStore nobody = provider(Map.of("mpsecrets.vault.token", "hvs.not-a-token"))) {
            assertThrows(SecretAccessDeniedException.class, () -> nobody.fetch(SecretId.of("secret/" + app)));
        }
    }

    @Test
    void theNamespaceHeaderIsSent() {
        server.vault().putV2("secret/" + app, Map.of("k", "ns-" + LeakGuard.CANARY));
        server.vault().requireNamespace("team-" + app);
        try (VaultSecretStore vault =
                provider(Map.of("mpsecrets.vault.token", "root", "mpsecrets.vault.namespace", "team-" + app))) {
            assertEquals(
                    "{\"k\":\"ns-" + LeakGuard.CANARY + "\"}",
                    vault.fetch(SecretId.of("secret/" + app)).asString());
        }
        try (VaultSecretStore vault = provider(Map.of("mpsecrets.vault.token", "root"))) {
            assertThrows(SecretAccessDeniedException.class, () -> vault.fetch(SecretId.of("secret/" + app)));
        }
    }

    @Test
    void tlsWithACustomCaBundle() {
        TestCertificates certificates = TestCertificates.create(dir);
        try (MockServer https =
                MockServer.builder().tls(certificates.serverContext()).start()) {
            https.vault().putV2("secret/tls", Map.of("k", "tls-" + LeakGuard.CANARY));
            Map<String, String> settings = Map.of(
                    "mpsecrets.vault.address",
                    https.endpoint().toString(),
                    "mpsecrets.vault.token",
                    "root",
                    "mpsecrets.vault.ca-bundle",
                    certificates.caBundle().toString());
            try (VaultSecretStore vault = provider(settings)) {
                assertThat(https.endpoint().getScheme()).isEqualTo("https");
                assertEquals(
                        "{\"k\":\"tls-" + LeakGuard.CANARY + "\"}",
                        vault.fetch(SecretId.of("secret/tls")).asString());
            }
            // Without the bundle the JVM's default trust store does not know the mock's certificate.
            Map<String, String> untrusted = Map.of(
                    "mpsecrets.vault.address",
                    https.endpoint().toString(),
                    "mpsecrets.vault.token",
                    "root",
                    "mpsecrets.vault.max-attempts",
                    "1");
            try (VaultSecretStore vault = provider(untrusted)) {
                SecretException e = assertThrows(SecretException.class, () -> vault.fetch(SecretId.of("secret/tls")));
                assertEquals(FailureReason.UNAVAILABLE, e.reason());
            }
        }
    }

    @Test
    void settingsErrorsNameTheSetting() {
        assertThat(assertThrows(ConfigurationException.class, () -> provider(Map.of()))
                        .getMessage())
                .contains("mpsecrets.vault.token");
        assertThat(assertThrows(ConfigurationException.class, () -> provider(Map.of("mpsecrets.vault.auth", "approle")))
                        .getMessage())
                .contains("mpsecrets.vault.approle.role-id");
        assertThat(assertThrows(
                                ConfigurationException.class,
                                () -> provider(Map.of("mpsecrets.vault.auth", "radius", "mpsecrets.vault.token", "x")))
                        .getMessage())
                .contains("mpsecrets.vault.auth");
        assertThat(assertThrows(
                                ConfigurationException.class,
                                () -> provider(
                                        Map.of("mpsecrets.vault.address", "vault:8200", "mpsecrets.vault.token", "x")))
                        .getMessage())
                .contains("mpsecrets.vault.address");
        VaultSettings settings = VaultSettings.read(
                new Settings(name -> Optional.ofNullable(
                        Map.of("mpsecrets.vault.token", "hvs.secret-token").get(name))),
                Map.of("VAULT_ADDR", "https://vault.example:8200"));
        assertEquals("https://vault.example:8200", settings.address().toString());
        LeakGuard.watch("hvs.secret-token");
        LeakGuard.assertNoLeak(settings, settings.auth());
    }
}
