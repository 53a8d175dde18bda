package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfigProviderResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Portable mode on a MicroProfile Config that is not SmallRye ({@link ListConfig}): the portable source answers
 * only for values that need mp-secrets, binds a decryption to the property, hands plaintexts through the
 * implementation's expansion unchanged, and never lets the ciphertext through in their place.
 */
class PortableSecretsSourceTest {

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();
    private LocalKeyring keyring;
    private Path keyringFile;
    private final Map<String, String> values = new HashMap<>();

    /** A source of the application's, as a properties file would be. */
    record MapSource(Map<String, String> values, int ordinal) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String name) {
            return values.get(name);
        }

        @Override
        public String getName() {
            return "app";
        }

        @Override
        public int getOrdinal() {
            return ordinal;
        }
    }

    @BeforeEach
    void keyring() {
        keyringFile = dir.resolve("keyring.json");
        keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        values.put("mpsecrets.kms.local.keyring", keyringFile.toString());
    }

    @AfterEach
    void close() {
        audit.close();
    }

    private Config config(ListConfig.Expansion expansion) {
        AtomicReference<Config> self = new AtomicReference<>();
        ListConfig config = new ListConfig(expansion)
                .with(new MapSource(values, 100))
                .with(new PortableSecretsSource(self::get, getClass().getClassLoader()));
        self.set(config);
        return config;
    }

    private String encrypted(String plaintext, String property) {
        return Fixtures.encrypt(keyring, plaintext, property);
    }

    @Test
    void anEncryptedValueIsDecryptedForItsPropertyAndAudited() {
        values.put("db.password", encrypted(Fixtures.SECRET, "db.password"));
        values.put("copied.password", values.get("db.password"));
        values.put("greeting", "hello");
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);

        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        assertEquals("hello", config.getValue("greeting", String.class));
        SecretException copied =
                assertThrows(SecretException.class, () -> config.getValue("copied.password", String.class));
        assertEquals(FailureReason.NOT_AUTHENTIC, copied.reason());
        assertThat(audit.events("decrypted")).singleElement().asString().contains("property=db.password");
        LeakGuard.assertNoLeak(copied);
    }

    @Test
    void itAnswersOnlyForSecretsSoOtherValuesKeepTheirSource() {
        values.put("greeting", "hello ${name}");
        values.put("name", "world");
        values.put("not.ours", "${nostore::x}");
        PortableSecretsSource portable = new PortableSecretsSource(() -> config(ListConfig.Expansion.NONE), null);
        assertEquals(null, portable.getValue("greeting"));
        assertEquals(null, portable.getValue("missing"));
        assertThat(portable.getPropertyNames()).isEmpty();
        assertThat(portable.getProperties()).isEmpty();
        assertEquals(Integer.MAX_VALUE, portable.getOrdinal());
    }

    @Test
    void referencesAreReplacedInPlaceAndTheRestIsTheImplementationsToExpand() throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("db-password"), "pa$${w}\\{rd}" + LeakGuard.CANARY);
        values.put("mpsecrets.file.dir", secrets.toString());
        values.put("db.user", "orders");
        values.put("db.url", "jdbc:postgresql://db/orders?user=${db.user}&password=${file::db-password}&x=\\${y}");
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);

        assertEquals(
                "jdbc:postgresql://db/orders?user=orders&password=pa$${w}\\{rd}" + LeakGuard.CANARY + "&x=${y}",
                config.getValue("db.url", String.class));
        assertThat(audit.events("accessed").toString() + audit.lines()).doesNotContain(LeakGuard.CANARY);
    }

    @Test
    void aPlaintextWithExpressionSyntaxComesOutAsItWasWhateverTheImplementationDoes() {
        String tricky = "a${b}\\$c{d}\\" + LeakGuard.CANARY;
        values.put("tricky", encrypted(tricky, "tricky"));
        values.put("plain", encrypted("plain-" + LeakGuard.CANARY, "plain"));
        assertEquals(tricky, config(ListConfig.Expansion.BACKSLASH_ESCAPES).getValue("tricky", String.class));
        assertEquals(tricky, config(ListConfig.Expansion.NONE).getValue("tricky", String.class));

        // An implementation whose escapes are unknown: a plaintext it would change fails; one it would not, reads.
        Config unknown = config(ListConfig.Expansion.NO_ESCAPES);
        SecretException refused = assertThrows(SecretException.class, () -> unknown.getValue("tricky", String.class));
        assertEquals(FailureReason.INVALID_VALUE, refused.reason());
        assertThat(refused.getMessage()).contains("tricky", "expansion would change");
        assertEquals("plain-" + LeakGuard.CANARY, unknown.getValue("plain", String.class));
        LeakGuard.assertNoLeak(refused);
    }

    @Test
    void aSecretEndingInABackslashBeforeAnExpressionFailsRatherThanEscapeIt() throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("token"), "ends-with\\");
        values.put("mpsecrets.file.dir", secrets.toString());
        values.put("suffix", "s");
        values.put("joined", "${file::token}${suffix}");
        values.put("alone", "${file::token}");
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);
        assertEquals("ends-with\\", config.getValue("alone", String.class));
        SecretException refused = assertThrows(SecretException.class, () -> config.getValue("joined", String.class));
        assertEquals(FailureReason.MALFORMED, refused.reason());
    }

    @Test
    void anEmptyPlaintextFailsInsteadOfLettingTheCiphertextThrough() {
        values.put("empty.password", encrypted("", "empty.password"));
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);
        SecretException refused =
                assertThrows(SecretException.class, () -> config.getValue("empty.password", String.class));
        assertEquals(FailureReason.INVALID_VALUE, refused.reason());
        assertThat(refused.getMessage()).contains("empty.password").doesNotContain("ENC(");
    }

    @Test
    void aProfileValueIsBoundToThePropertyNotTheProfile() {
        values.put("%dev.db.password", encrypted(Fixtures.SECRET, "db.password"));
        PortableSecretsSource portable = new PortableSecretsSource(() -> config(ListConfig.Expansion.NONE), null);
        assertEquals(Fixtures.SECRET, portable.getValue("%dev.db.password"));
    }

    @Test
    void theToolsFindTheRuntimeAndTheRawValues() {
        String ciphertext = encrypted(Fixtures.SECRET, "db.password");
        values.put("db.password", ciphertext);
        values.put("mpsecrets.app", "default");
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        assertEquals("default", runtime.settings().application());
        assertEquals(ciphertext, RawValues.raw(config, "db.password").orElseThrow());
        assertThat(RawValues.needingMpSecrets(config)).containsExactly("db.password");
        assertThat(audit.events("decrypted"))
                .as("finding the runtime decrypts nothing")
                .isEmpty();
    }

    @Test
    void aStoreAsAWholeSourceNeedsSmallRyeAndSaysSo() {
        values.put("mpsecrets.sources", "file");
        values.put("db.password", encrypted(Fixtures.SECRET, "db.password"));
        values.put("greeting", "hello");
        Config config = config(ListConfig.Expansion.BACKSLASH_ESCAPES);
        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> config.getValue("db.password", String.class));
        assertThat(refused.getMessage()).contains("mpsecrets.sources", "${store::name#field}");
        assertThrows(ConfigurationException.class, () -> ConfigRegistry.runtimeOf(config));
        assertEquals("hello", config.getValue("greeting", String.class), "values that are not secrets still read");
    }

    @Test
    void mpSecretsOwnKmsSettingsCannotBeSecrets() {
        values.put("mpsecrets.kms.local.keyring", encrypted(keyringFile.toString(), "mpsecrets.kms.local.keyring"));
        values.put("db.password", encrypted(Fixtures.SECRET, "db.password"));
        ConfigurationException refused = assertThrows(
                ConfigurationException.class,
                () -> config(ListConfig.Expansion.NONE).getValue("db.password", String.class));
        assertThat(refused.getMessage()).contains("mpsecrets.kms.local.keyring cannot be an ENC(...) value");
    }

    @Test
    void underSmallRyeTheProviderAddsNothing() {
        assertThat(new PortableSecretsProvider().getConfigSources(getClass().getClassLoader()))
                .isEmpty();
        assertThat(PortableSecretsProvider.isSmallRye(new SmallRyeConfigProviderResolver() {}))
                .as("a server's subclass")
                .isTrue();
    }

    @Test
    void theProbeTellsTheThreeKindsOfImplementationApart() {
        String expanded = ExpansionEscaping.TARGET_VALUE;
        assertEquals(ExpansionEscaping.ESCAPED, ExpansionEscaping.of(expanded, ExpansionEscaping.SAMPLE));
        assertEquals(
                ExpansionEscaping.RAW,
                ExpansionEscaping.of(ExpansionEscaping.EXPRESSION, ExpansionEscaping.ESCAPED_SAMPLE));
        assertEquals(ExpansionEscaping.UNSAFE, ExpansionEscaping.of(expanded, ExpansionEscaping.ESCAPED_SAMPLE));
        assertEquals(ExpansionEscaping.UNSAFE, ExpansionEscaping.of(null, null));
        assertEquals(ExpansionEscaping.UNSAFE, ExpansionEscaping.of(expanded, "a\\b$c{d}e"));
        assertEquals("\\$\\{x\\}", ExpansionEscaping.escape("${x}"));
        assertEquals("no specials", ExpansionEscaping.escape("no specials"));
    }
}
