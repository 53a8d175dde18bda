package io.mpsecrets.tck.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.example.toy.ToyKmsFactory;
import org.example.toy.ToySecrets;
import org.junit.jupiter.api.Test;

/**
 * A backend written outside mp-secrets (package {@code org.example.toy}, against the api jar only), registered through
 * {@code META-INF/services} in this module's test resources, used by name exactly as the shipped ones are: a store
 * in {@code mpsecrets.sources} and in references, a KMS in {@code mpsecrets.kms}. Named nowhere, it is never used.
 */
class ToyBackendTest {

    private static final String NAMESPACE = "toy-backend-test";

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    private static String encryptUnderToyKey(String plaintext, String property) {
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(ToyKmsFactory.kms(), "toy:orders", EncryptionContext.forApplication("default"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    @Test
    void aThirdPartyStoreAndKmsServeSourcesReferencesAndEncryptedValues() {
        ToySecrets.put(
                NAMESPACE, "orders-db", "{\"db.user\":\"orders\",\"db.password\":\"pw-" + LeakGuard.CANARY + "\"}");
        ToySecrets.put(NAMESPACE, "payments", "{\"api_key\":\"key-" + LeakGuard.CANARY + "\"}");
        String encrypted = encryptUnderToyKey("token-" + LeakGuard.CANARY, "app.token");
        int unwrapsBefore = ToyKmsFactory.unwraps();
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources", "toy",
                "mpsecrets.toy.namespace", NAMESPACE,
                "mpsecrets.toy.secrets", "orders-db",
                "mpsecrets.kms", "toy",
                "api.key", "${toy::payments#api_key}",
                "app.token", encrypted));

        assertEquals("orders", config.getValue("db.user", String.class));
        assertEquals("pw-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals("key-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        assertEquals("token-" + LeakGuard.CANARY, config.getValue("app.token", String.class));
        assertEquals("token-" + LeakGuard.CANARY, config.getValue("app.token", String.class));
        assertEquals(1, ToyKmsFactory.unwraps() - unwrapsBefore, "one unwrap for the value's data key, then the cache");
        // A dump of the sources shows the reference the store's source holds, never the secret.
        assertThat(config.getConfigSources()).map(Object::toString).noneMatch(s -> s.contains(LeakGuard.CANARY));
    }

    @Test
    void aKmsOnTheClassPathThatMpsecretsKmsDoesNotEnableIsNeverAskedForAKey() {
        int unwrapsBefore = ToyKmsFactory.unwraps();
        SmallRyeConfig config =
                config(Map.of("app.token", encryptUnderToyKey("token-" + LeakGuard.CANARY, "app.token")));
        SecretException e = assertThrows(SecretException.class, () -> config.getValue("app.token", String.class));
        assertEquals(FailureReason.UNKNOWN_KEY, e.reason());
        assertThat(e.getMessage())
                .contains(
                        "property=app.token",
                        "key=toy:orders",
                        "[toy]",
                        "which mpsecrets.kms does not enable",
                        "[local]");
        assertEquals(unwrapsBefore, ToyKmsFactory.unwraps());
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void aNameWithNoBackendIsRefusedNamingItAndWhatIsThere() {
        Map<String, String> values = new HashMap<>(Map.of("mpsecrets.sources", "toys"));
        ConfigurationException store = assertThrows(ConfigurationException.class, () -> config(values));
        assertThat(store.getMessage())
                .contains("mpsecrets.sources", "'toys'", "not on the class path", "aws", "env", "file", "toy", "vault");
        ConfigurationException kms =
                assertThrows(ConfigurationException.class, () -> config(Map.of("mpsecrets.kms", "local,tou")));
        assertThat(kms.getMessage())
                .contains("mpsecrets.kms", "'tou'", "found: aws, azure-keyvault, gcp-kms, local, toy");
    }

    @Test
    void aStoreThatCanListServesAllItsSecretsWhenNoneAreListed() {
        String namespace = NAMESPACE + "-all";
        ToySecrets.put(namespace, "a", "{\"a.value\":\"1\"}");
        ToySecrets.put(namespace, "b", "{\"b.value\":\"2\"}");
        SmallRyeConfig config = config(Map.of("mpsecrets.sources", "toy", "mpsecrets.toy.namespace", namespace));
        assertEquals("1", config.getValue("a.value", String.class));
        assertEquals("2", config.getValue("b.value", String.class));
    }

    @Test
    void aThirdPartyStoreReadsItsSettingsWithTheKit() {
        ToySecrets.put(NAMESPACE, "large", "x".repeat(2048) + LeakGuard.CANARY);
        SmallRyeConfig config = config(
                Map.of("mpsecrets.toy.namespace", NAMESPACE, "mpsecrets.toy.max-size", "1KiB", "big", "${toy::large}"));
        SecretException refused = assertThrows(SecretException.class, () -> config.getValue("big", String.class));
        assertEquals(FailureReason.INVALID_VALUE, refused.reason());
        assertThat(refused.getMessage()).contains("larger than mpsecrets.toy.max-size (1 KiB)", "property=big");

        SmallRyeConfig badSize = config(
                Map.of("mpsecrets.toy.namespace", NAMESPACE, "mpsecrets.toy.max-size", "lots", "big", "${toy::large}"));
        ConfigurationException misconfigured =
                assertThrows(ConfigurationException.class, () -> badSize.getValue("big", String.class));
        assertThat(misconfigured.getMessage())
                .as("the kit's own parsing and message")
                .contains("mpsecrets.toy.max-size must be a positive size in bytes, KiB or MiB")
                .doesNotContain("lots");
        LeakGuard.assertNoLeak(refused, misconfigured);
    }
}
