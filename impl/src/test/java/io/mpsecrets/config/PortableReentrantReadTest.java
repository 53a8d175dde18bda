package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read that comes back into mp-secrets while it answers another (CDI observers of audit events run on the
 * reader's thread) gets the plaintext or an error, never a ciphertext: on a MicroProfile Config that is not SmallRye
 * (portable mode, in Weld SE) and on SmallRye alike.
 */
class PortableReentrantReadTest {

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();
    private final Map<String, String> values = new HashMap<>();
    private LocalKeyring keyring;

    /** An application bean that reads configuration while it observes a decryption, as a pool's set-up might. */
    @ApplicationScoped
    public static class DecryptionObserver {
        static final Map<String, String> SEEN = new ConcurrentHashMap<>();

        void decrypted(@Observes SecretDecrypted event) {
            if ("db.password".equals(event.ref().property())) {
                Config config = ConfigProvider.getConfig();
                SEEN.put("api.key", config.getValue("api.key", String.class));
                SEEN.put("db.password", config.getValue("db.password", String.class));
            }
        }
    }

    @BeforeEach
    void keyring() {
        Path keyringFile = dir.resolve("keyring.json");
        keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        values.put("mpsecrets.kms.local.keyring", keyringFile.toString());
        values.put("db.password", Fixtures.encrypt(keyring, "db-" + LeakGuard.CANARY, "db.password"));
        values.put("api.key", Fixtures.encrypt(keyring, "api-" + LeakGuard.CANARY, "api.key"));
        DecryptionObserver.SEEN.clear();
    }

    @AfterEach
    void close() {
        audit.close();
    }

    private Config portable() {
        AtomicReference<Config> self = new AtomicReference<>();
        ListConfig config = new ListConfig(ListConfig.Expansion.BACKSLASH_ESCAPES)
                .with(new PortableSecretsSourceTest.MapSource(values, 100))
                .with(new PortableSecretsSource(self::get, getClass().getClassLoader()));
        self.set(config);
        return config;
    }

    @Test
    void anObserverReadingOtherSecretsInPortableModeGetsPlaintexts() {
        try (WeldApplication application = WeldApplication.start(portable(), DecryptionObserver.class)) {
            assertEquals("db-" + LeakGuard.CANARY, ConfigProvider.getConfig().getValue("db.password", String.class));
        }
        assertThat(DecryptionObserver.SEEN)
                .containsEntry("api.key", "api-" + LeakGuard.CANARY)
                .containsEntry("db.password", "db-" + LeakGuard.CANARY);
        assertThat(audit.events("decrypted"))
                .as("the observer's read of the property being announced is served from the plaintext cache")
                .hasSize(2);
    }

    @Test
    void anObserverReadingOtherSecretsOnSmallRyeGetsPlaintexts() {
        try (MpConfigs configs = new MpConfigs();
                WeldApplication application = WeldApplication.start(configs.build(values), DecryptionObserver.class)) {
            assertEquals("db-" + LeakGuard.CANARY, ConfigProvider.getConfig().getValue("db.password", String.class));
        }
        assertThat(DecryptionObserver.SEEN)
                .containsEntry("api.key", "api-" + LeakGuard.CANARY)
                .containsEntry("db.password", "db-" + LeakGuard.CANARY);
    }

    @Test
    void aSettingThatExpandsToASecretIsRefusedNotReadAsItsCiphertext() {
        values.put("app.name", Fixtures.encrypt(keyring, "orders", "app.name"));
        values.put("mpsecrets.app", "${app.name}");
        Config config = portable();
        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> config.getValue("db.password", String.class));
        assertThat(refused.getMessage()).contains("mpsecrets.app", "${...} expression");
        assertThrows(ConfigurationException.class, () -> config.getValue("api.key", String.class));
        LeakGuard.assertNoLeak(refused);
    }

    @Test
    void aStoreSettingThatExpandsToASecretGetsItsPlaintext() throws Exception {
        Path secrets = java.nio.file.Files.createDirectory(dir.resolve("secrets"));
        java.nio.file.Files.writeString(secrets.resolve("token"), "file-" + LeakGuard.CANARY);
        values.put("secrets.dir", Fixtures.encrypt(keyring, secrets.toString(), "secrets.dir"));
        values.put("mpsecrets.file.dir", "${secrets.dir}");
        values.put("token", "${file::token}");
        assertEquals("file-" + LeakGuard.CANARY, portable().getValue("token", String.class));
    }
}
