package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.DecryptionFailedException;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interceptors as SmallRye Config discovers them, on the SmallRye version Open Liberty runs. */
class EncryptedValueConfigTest {

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();
    private Path keyringFile;
    private LocalKeyring keyring;

    @AfterEach
    void stopRecording() {
        audit.close();
    }

    @BeforeEach
    void keyring() {
        keyringFile = dir.resolve("keyring.json");
        keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
    }

    private SmallRyeConfig config(Map<String, String> values, String... profile) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("mpsecrets.kms.local.keyring", keyringFile.toString());
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(all, "test", 100));
        if (profile.length > 0) {
            builder.withProfile(profile[0]);
        }
        return builder.build();
    }

    private String enc(String plaintext, String property) {
        return Fixtures.encrypt(keyring, plaintext, property);
    }

    private int auditLines(String event) {
        return audit.events(event).size();
    }

    @Test
    void decryptsWhenReadAndLeavesPlainValuesAlone() {
        SmallRyeConfig config = config(Map.of("db.password", enc(Fixtures.SECRET, "db.password"), "plain", "hello"));
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        assertEquals("hello", config.getValue("plain", String.class));
        assertEquals(Optional.empty(), config.getOptionalValue("absent", String.class));
        assertEquals(Fixtures.SECRET, config.getConfigValue("db.password").getValue());
    }

    @Test
    void neverDecryptsAtBuildOrWhenListingNames() {
        // An unreadable keyring and a malformed value: the config still builds and lists its names.
        SmallRyeConfig config = config(Map.of(
                "broken",
                "ENC(not-a-value)",
                "orphan",
                enc("x", "orphan"),
                "mpsecrets.kms.local.keyring",
                dir.resolve("absent.json").toString(),
                "plain",
                "ok"));
        assertThat(config.getPropertyNames()).contains("broken", "orphan", "plain");
        StreamSupport.stream(config.getConfigSources().spliterator(), false).forEach(source -> source.getProperties());
        assertEquals("ok", config.getValue("plain", String.class));
        assertEquals(0, auditLines("decrypted"));

        MalformedValueException malformed =
                assertThrows(MalformedValueException.class, () -> config.getValue("broken", String.class));
        assertThat(malformed.getMessage()).contains("property=broken");
        ConfigurationException noKeyring =
                assertThrows(ConfigurationException.class, () -> config.getValue("orphan", String.class));
        assertThat(noKeyring.getMessage()).contains("absent.json", "does not exist");
    }

    @Test
    void decryptsOnceThenServesFromTheCache() {
        SmallRyeConfig config = config(Map.of("db.password", enc(Fixtures.SECRET, "db.password")));
        for (int i = 0; i < 5; i++) {
            assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        }
        assertEquals(1, auditLines("decrypted"));
        assertThat(audit.events("decrypted").get(0))
                .startsWith("event=decrypted property=db.password key=local:dev-1 outcome=ok app=default thread=");
    }

    @Test
    void withoutThePlaintextCacheEachReadDecrypts() {
        SmallRyeConfig config = config(
                Map.of("db.password", enc(Fixtures.SECRET, "db.password"), "mpsecrets.cache.plaintext", "false"));
        config.getValue("db.password", String.class);
        config.getValue("db.password", String.class);
        assertEquals(2, auditLines("decrypted"));
    }

    @Test
    void aValueMovedToAnotherPropertyIsRefusedAndAudited() {
        String text = enc(Fixtures.SECRET, "db.password");
        SmallRyeConfig config = config(Map.of("db.password", text, "app.greeting", text));
        DecryptionFailedException e =
                assertThrows(DecryptionFailedException.class, () -> config.getValue("app.greeting", String.class));
        assertEquals(FailureReason.NOT_AUTHENTIC, e.reason());
        assertThat(e.getMessage()).contains("property=app.greeting", "key=local:dev-1");
        LeakGuard.assertNoLeak(e);
        assertThat(audit.events("failure"))
                .singleElement()
                .asString()
                .startsWith("event=failure property=app.greeting key=local:dev-1 reason=NOT_AUTHENTIC outcome=failed "
                        + "app=default");
        // The original property still works.
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
    }

    @Test
    void expressionsReferringToEncryptedPropertiesGetThePlaintext() {
        SmallRyeConfig config = config(Map.of(
                "db.password",
                enc(Fixtures.SECRET, "db.password"),
                "jdbc.url",
                "jdbc:postgresql://db/orders?password=${db.password}&ssl=true",
                "alias",
                "${db.password}"));
        assertEquals(
                "jdbc:postgresql://db/orders?password=" + Fixtures.SECRET + "&ssl=true",
                config.getValue("jdbc.url", String.class));
        assertEquals(Fixtures.SECRET, config.getValue("alias", String.class));
    }

    @Test
    void plaintextIsNeverExpanded() {
        String tricky = "pa${ss}wo$rd\\${x}" + LeakGuard.CANARY;
        SmallRyeConfig config = config(Map.of("db.password", enc(tricky, "db.password"), "ss", "EXPANDED"));
        assertEquals(tricky, config.getValue("db.password", String.class));
    }

    @Test
    void profileValuesAreBoundToTheUnprofiledName() {
        SmallRyeConfig config = config(
                Map.of("%prod.db.password", enc(Fixtures.SECRET, "db.password"), "db.password", "dev-only"), "prod");
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
    }

    @Test
    void unboundValuesWorkUnderAnyName() {
        String text = enc(Fixtures.SECRET, null);
        SmallRyeConfig config = config(Map.of("a", text, "b", text));
        assertEquals(Fixtures.SECRET, config.getValue("a", String.class));
        assertEquals(Fixtures.SECRET, config.getValue("b", String.class));
    }

    @Test
    void anotherApplicationContextCannotDecrypt() {
        SmallRyeConfig config =
                config(Map.of("db.password", enc(Fixtures.SECRET, "db.password"), "mpsecrets.app", "billing"));
        SecretException e = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.WRONG_KEY, e.reason());
    }

    @Test
    void aValueUnderAKeyNoEnabledKmsSupportsIsRefused() {
        // An ENC value made under an AWS KMS key, read where only the local keyring is enabled (and the AWS module
        // absent).
        String foreign = new io.mpsecrets.envelope.EnvelopeEncryptor(
                        new ArnKms(),
                        "arn:aws:kms:eu-west-1:111122223333:key/x",
                        io.mpsecrets.api.EncryptionContext.forApplication("default"))
                .encrypt("x".getBytes(java.nio.charset.StandardCharsets.UTF_8), "db.password");
        SmallRyeConfig config = config(Map.of("db.password", foreign));
        SecretException e = assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.UNKNOWN_KEY, e.reason());
        assertThat(e.getMessage())
                .contains(
                        "property=db.password",
                        "key=arn:aws:kms:eu-west-1:111122223333:key/x",
                        "no key management service enabled for key ids of this form",
                        "[local]");
    }

    /** Makes data keys under an AWS-looking key id, in memory: only to produce a value whose KMS is not enabled. */
    private static final class ArnKms implements io.mpsecrets.api.KeyManagementService {
        @Override
        public String name() {
            return "arn-test";
        }

        @Override
        public io.mpsecrets.api.GeneratedDataKey generateDataKey(
                String keyId, io.mpsecrets.api.EncryptionContext context) {
            byte[] key = io.mpsecrets.crypto.AesGcm.randomKey();
            return new io.mpsecrets.api.GeneratedDataKey(
                    keyId, new byte[] {1, 2, 3}, io.mpsecrets.api.DataKey.copyOf(key));
        }

        @Override
        public io.mpsecrets.api.DataKey decrypt(
                String keyId, byte[] wrappedKey, io.mpsecrets.api.EncryptionContext context) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void badSettingsFailTheBuildWithTheirName() {
        assertThat(assertThrows(ConfigurationException.class, () -> config(Map.of("mpsecrets.kms", "vault")))
                        .getMessage())
                .contains("mpsecrets.kms", "'vault'", "not on the class path", "found: local");
        assertThat(assertThrows(ConfigurationException.class, () -> config(Map.of("mpsecrets.cache.data-keys", "-1")))
                        .getMessage())
                .contains("mpsecrets.cache.data-keys");
        assertThat(assertThrows(
                                ConfigurationException.class,
                                () -> config(Map.of("mpsecrets.kms.local.keyring", enc("/tmp/k", null))))
                        .getMessage())
                .contains("mpsecrets.kms.local.keyring cannot be an ENC(...) value");
    }

    @Test
    void controlCharactersInAValueAreTheApplicationsOwn() {
        // Not a tag of this config (tags carry a random nonce): the text comes back as written (TagForgeryTest).
        SmallRyeConfig config = config(Map.of("odd", "a\u0002b"));
        assertEquals("a\u0002b", config.getValue("odd", String.class));
    }

    @Test
    void aChangedRawValueIsDecryptedAfreshNotServedFromTheCache() {
        Map<String, String> live = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
                "db.password", enc("first-" + LeakGuard.CANARY, "db.password"),
                "mpsecrets.kms.local.keyring", keyringFile.toString()));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new org.eclipse.microprofile.config.spi.ConfigSource() {
                    @Override
                    public java.util.Set<String> getPropertyNames() {
                        return live.keySet();
                    }

                    @Override
                    public String getValue(String propertyName) {
                        return live.get(propertyName);
                    }

                    @Override
                    public String getName() {
                        return "live";
                    }
                })
                .build();
        assertEquals("first-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        live.put("db.password", enc("second-" + LeakGuard.CANARY, "db.password"));
        assertEquals("second-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals(2, auditLines("decrypted"));
    }

    /** Two copies of the jar on a class path (an application's and a shared library's) register everything twice. */
    @Test
    void twoCopiesOfTheInterceptorsStillResolveEverything() {
        Map<String, String> values = Map.of(
                "mpsecrets.kms.local.keyring",
                keyringFile.toString(),
                "db.password",
                enc(Fixtures.SECRET, "db.password"),
                "token",
                "${env::MPS_TEST_TOKEN}",
                "url",
                "x?p=${db.password}");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withInterceptorFactories(
                        new SecretMarkerFactory(),
                        new SecretMarkerFactory(),
                        new SecretResolverFactory(),
                        new SecretResolverFactory())
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .build();
        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        assertEquals("token-" + LeakGuard.CANARY, config.getValue("token", String.class));
        assertEquals("x?p=" + Fixtures.SECRET, config.getValue("url", String.class));
    }

    @Test
    void convertersSeeThePlaintext() {
        SmallRyeConfig config = config(Map.of("pool.size", enc("42", "pool.size")));
        assertEquals(42, config.getValue("pool.size", Integer.class));
    }
}
