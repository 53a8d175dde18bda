package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vault Transit as the KMS of ENC values: mp-secrets' Vault client against the testkit's mock Transit engine, data
 * keys generated and unwrapped by Vault under a derived key with the application's name as context.
 */
@WithMockServer
class VaultTransitKmsTest {

    private final MockServer server;
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private final String key = "orders" + System.nanoTime();
    private final String keyId = "vault-transit:" + key;

    VaultTransitKmsTest(MockServer server) {
        this.server = server;
        server.vault().transitKey(key);
    }

    @AfterEach
    void stop() {
        runtimes.forEach(SecretsRuntime::close);
        server.vault().counter().reset();
    }

    private KeyManagementService kms(String token) {
        Map<String, String> settings =
                Map.of("mpsecrets.vault.address", server.endpoint().toString(), "mpsecrets.vault.token", token);
        return new VaultTransitKmsFactory()
                .create(BackendSettings.kms(
                        VaultTransitKms.NAME, name -> Optional.ofNullable(settings.get(name)), Map.of(), "orders"));
    }

    /** Values encrypted by one encryptor: one data key, made by Vault, for all of them. */
    private List<String> encrypt(String application, String... plaintexts) {
        List<String> out = new ArrayList<>();
        try (EnvelopeEncryptor encryptor =
                new EnvelopeEncryptor(kms("root"), keyId, EncryptionContext.forApplication(application))) {
            for (int i = 0; i < plaintexts.length; i++) {
                out.add(encryptor.encrypt(plaintexts[i].getBytes(StandardCharsets.UTF_8), "value." + i));
            }
        }
        return out;
    }

    private SmallRyeConfig config(String application, String token, List<String> values) {
        Map<String, String> all = new HashMap<>();
        all.put("mpsecrets.app", application);
        all.put("mpsecrets.kms", "vault-transit");
        all.put("mpsecrets.vault.address", server.endpoint().toString());
        all.put("mpsecrets.vault.token", token);
        for (int i = 0; i < values.size(); i++) {
            all.put("value." + i, values.get(i));
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(all, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    @Test
    void tenValuesUnderOneVaultDataKeyDecryptWithOneUnwrap() {
        String[] plaintexts = new String[10];
        for (int i = 0; i < plaintexts.length; i++) {
            plaintexts[i] = "secret-" + i + "-" + LeakGuard.CANARY;
        }
        List<String> values = encrypt("orders", plaintexts);
        assertEquals(1, server.vault().calls("transit:datakey"));
        SmallRyeConfig config = config("orders", "root", values);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < plaintexts.length; i++) {
                assertEquals(plaintexts[i], config.getValue("value." + i, String.class));
            }
        }
        assertEquals(1, server.vault().calls("transit:decrypt"));
    }

    @Test
    void aValueMadeForAnotherApplicationDoesNotUnwrap() {
        List<String> values = encrypt("billing", "billing-" + LeakGuard.CANARY);
        SecretException e = assertThrows(
                SecretException.class, () -> config("orders", "root", values).getValue("value.0", String.class));
        assertEquals(FailureReason.WRONG_KEY, e.reason());
        assertThat(e.getMessage()).contains("value.0", keyId, "another application's context");
        LeakGuard.check(e.getMessage(), "the failure");
    }

    @Test
    void aTokenWhosePolicyDoesNotAllowDecryptIsDenied() {
        List<String> values = encrypt("orders", "denied-" + LeakGuard.CANARY);
        server.vault().policy("encrypt-only-" + key, "transit/datakey/*", "update");
        String token = server.vault().token(Duration.ofHours(1), "encrypt-only-" + key);
        SecretException e = assertThrows(
                SecretAccessDeniedException.class,
                () -> config("orders", token, values).getValue("value.0", String.class));
        assertEquals(FailureReason.ACCESS_DENIED, e.reason());

        server.vault().policy("decrypt-" + key, "transit/decrypt/" + key, "update");
        String allowed = server.vault().token(Duration.ofHours(1), "decrypt-" + key);
        assertEquals(
                "denied-" + LeakGuard.CANARY, config("orders", allowed, values).getValue("value.0", String.class));
    }

    @Test
    void aRotatedKeyUnwrapsOlderValuesUntilMinDecryptionVersionPassesThem() {
        List<String> before = encrypt("orders", "v1-" + LeakGuard.CANARY);
        server.vault().rotateTransitKey(key);
        List<String> after = encrypt("orders", "v2-" + LeakGuard.CANARY);
        assertEquals("v1-" + LeakGuard.CANARY, config("orders", "root", before).getValue("value.0", String.class));
        assertEquals("v2-" + LeakGuard.CANARY, config("orders", "root", after).getValue("value.0", String.class));

        server.vault().minDecryptionVersion(key, 2);
        SecretException e = assertThrows(
                SecretException.class, () -> config("orders", "root", before).getValue("value.0", String.class));
        assertEquals(FailureReason.KEY_DISABLED, e.reason());
        assertEquals("v2-" + LeakGuard.CANARY, config("orders", "root", after).getValue("value.0", String.class));
    }
}
