package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret stores as config sources and references, through SmallRye Config 3.3.0 as discovery installs mp-secrets. */
class SecretStoreConfigTest {

    private static final String ENV_PASSWORD = "env-json-" + LeakGuard.CANARY;
    private static final String ENV_TOKEN = "token-" + LeakGuard.CANARY;

    @TempDir
    Path dir;

    private final AuditRecorder audit = new AuditRecorder();

    @AfterEach
    void stop() {
        audit.close();
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    @Test
    void referencesReadStoreSecretsAnywhereInAValue() {
        SmallRyeConfig config = config(Map.of(
                "db.user", "${env::MPS_TEST_JSON#user}",
                "db.password", "${env::MPS_TEST_JSON#password}",
                "api.token", "${env::MPS_TEST_TOKEN}",
                "db.url",
                        "jdbc:postgresql://db:${env::MPS_TEST_JSON#port}/orders"
                                + "?user=${env::MPS_TEST_JSON#user}&password=${db.password}",
                "db.port", "${env::MPS_TEST_JSON#port}"));
        assertEquals("orders", config.getValue("db.user", String.class));
        assertEquals(ENV_PASSWORD, config.getValue("db.password", String.class));
        assertEquals(ENV_TOKEN, config.getValue("api.token", String.class));
        assertEquals(
                "jdbc:postgresql://db:5432/orders?user=orders&password=" + ENV_PASSWORD,
                config.getValue("db.url", String.class));
        assertEquals(5432, config.getValue("db.port", Integer.class));
        // One fetch per secret: the cache serves the rest.
        assertThat(audit.events("fetched")).hasSize(2);
        assertThat(audit.events("fetched").get(0)).contains("backend=env", "secret=MPS_TEST_JSON", "version=h-");
    }

    @Test
    void escapedReferencesStayText() {
        SmallRyeConfig config = config(Map.of("doc", "write \\${env::MPS_TEST_TOKEN} to refer to it"));
        assertEquals("write ${env::MPS_TEST_TOKEN} to refer to it", config.getValue("doc", String.class));
        assertThat(audit.events("fetched")).isEmpty();
    }

    @Test
    void badReferencesFailNamingThePropertyAndSecret() {
        SmallRyeConfig config = config(Map.of(
                "missing.var", "${env::MPS_NO_SUCH_VARIABLE}",
                "missing.field", "${env::MPS_TEST_JSON#nope}",
                "not.json", "${env::MPS_TEST_TOKEN#field}",
                "nested", "${env::MPS_${x}}",
                "bad.selector", "${env::X?colour=y}"));
        SecretNotFoundException missing =
                assertThrows(SecretNotFoundException.class, () -> config.getValue("missing.var", String.class));
        assertThat(missing.getMessage()).contains("property=missing.var", "backend=env", "secret=MPS_NO_SUCH_VARIABLE");
        assertThat(assertThrows(SecretNotFoundException.class, () -> config.getValue("missing.field", String.class))
                        .getMessage())
                .contains("property=missing.field", "no field 'nope'");
        InvalidSecretValueException notJson =
                assertThrows(InvalidSecretValueException.class, () -> config.getValue("not.json", String.class));
        assertThat(notJson.getMessage()).contains("property=not.json", "not a JSON object");
        assertThat(assertThrows(MalformedValueException.class, () -> config.getValue("nested", String.class))
                        .getMessage())
                .contains("property=nested");
        assertThrows(MalformedValueException.class, () -> config.getValue("bad.selector", String.class));
        LeakGuard.assertNoLeak(missing, notJson);
        assertThat(audit.events("failure")).isNotEmpty();
    }

    @Test
    void aStoreThatIsNotConfiguredSaysWhichSettingIsMissing() {
        SmallRyeConfig config = config(Map.of("x", "${file::db-password}"));
        assertThat(assertThrows(ConfigurationException.class, () -> config.getValue("x", String.class))
                        .getMessage())
                .contains("mpsecrets.file.dir");
    }

    private Path mount(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void mountedFilesBecomePropertiesAboveThePropertiesFile() throws IOException {
        mount("db.password", LeakGuard.CANARY + "\n");
        mount("api-token", ENV_TOKEN);
        mount(".hidden", "not a secret");
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.sources",
                "file",
                "mpsecrets.file.dir",
                dir.toString(),
                "db.password",
                "overridden by the store"));
        SmallRyeConfig config = config(values);
        assertEquals(LeakGuard.CANARY, config.getValue("db.password", String.class), "one trailing newline dropped");
        assertEquals(ENV_TOKEN, config.getValue("api-token", String.class));
        ConfigSource store = StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .filter(s -> s.getName().equals("mp-secrets file"))
                .findFirst()
                .orElseThrow();
        assertEquals(275, store.getOrdinal());
        assertThat(store.getPropertyNames()).containsExactlyInAnyOrder("api-token", "db.password");
        // A dump of the sources shows references, never values.
        assertEquals("${file::db.password}", store.getValue("db.password"));
        LeakGuard.assertNoLeak(store.getProperties());
    }

    /** Kubernetes updates a mounted secret by swapping the ..data symlink to a new timestamped directory. */
    @Test
    void aKubernetesSymlinkSwapIsSeenAfterTheTtl() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2026_11_22_10_00_00.000000001"));
        Files.writeString(first.resolve("db-password"), "first-" + LeakGuard.CANARY);
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(dir.resolve("db-password"), Path.of("..data/db-password"));

        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources", "file", "mpsecrets.file.dir", dir.toString(), "mpsecrets.file.ttl", "PT0.2S"));
        assertEquals("first-" + LeakGuard.CANARY, config.getValue("db-password", String.class));

        Path second = Files.createDirectory(dir.resolve("..2026_11_22_10_05_00.000000002"));
        Files.writeString(second.resolve("db-password"), "second-" + LeakGuard.CANARY);
        Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(300);
        assertEquals("second-" + LeakGuard.CANARY, config.getValue("db-password", String.class));
        // The start-up fetch and the one after the swap, each with its own version.
        assertThat(audit.events("fetched")).hasSize(2);
        String before = audit.events("fetched").get(0).replaceAll(".*version=(\\S+).*", "$1");
        String after = audit.events("fetched").get(1).replaceAll(".*version=(\\S+).*", "$1");
        assertThat(before).startsWith("h-").isNotEqualTo(after);
    }

    @Test
    void listedJsonSecretsExposeTheirFieldsWithOptionalPrefixes() {
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "env",
                "mpsecrets.env.secrets",
                "MPS_TEST_JSON",
                "mpsecrets.env.secrets.api",
                "MPS_TEST_TOKEN"));
        assertEquals("orders", config.getValue("user", String.class));
        assertEquals(ENV_PASSWORD, config.getValue("password", String.class));
        assertEquals(ENV_TOKEN, config.getValue("api", String.class));
        assertThat(config.getPropertyNames()).contains("user", "password", "port", "api");
    }

    @Test
    void listingNamesFetchesNothingBeyondTheListedSecrets() {
        SmallRyeConfig config = config(Map.of(
                "mpsecrets.sources",
                "env",
                "mpsecrets.env.secrets",
                "MPS_TEST_JSON",
                "other",
                "${env::MPS_TEST_TOKEN}"));
        assertThat(audit.events("fetched"))
                .singleElement()
                .asString()
                .contains("secret=MPS_TEST_JSON"); // the start-up fetch
        config.getPropertyNames().forEach(name -> {});
        StreamSupport.stream(config.getConfigSources().spliterator(), false).forEach(ConfigSource::getPropertyNames);
        config.getValue("password", String.class);
        assertThat(audit.events("fetched")).hasSize(1);
        config.getValue("other", String.class);
        assertThat(audit.events("fetched"))
                .hasSize(2)
                .last()
                .asString()
                .contains("secret=MPS_TEST_TOKEN", "property=other");
    }

    @Test
    void aRequiredStoreThatIsDownStopsStartUpWithOneClearError() {
        Map<String, String> values = Map.of(
                "mpsecrets.sources",
                "file",
                "mpsecrets.file.dir",
                dir.resolve("absent").toString());
        SecretException e = assertThrows(SecretException.class, () -> config(values));
        assertEquals(FailureReason.NOT_FOUND, e.reason());
        assertThat(e.getMessage()).contains("backend=file", "does not exist");

        Map<String, String> optional = new HashMap<>(values);
        optional.put("mpsecrets.file.required", "false");
        SmallRyeConfig config = config(optional);
        assertThat(config.getOptionalValue("anything", String.class)).isEmpty();
        assertThat(LeakGuard.capturedOutput()).contains("optional store 'file' is unavailable");
    }

    @Test
    void aListedSecretThatDoesNotExistIsAnError() {
        SecretException e = assertThrows(
                SecretException.class,
                () -> config(Map.of("mpsecrets.sources", "env", "mpsecrets.env.secrets", "MPS_NOT_THERE")));
        assertThat(e.getMessage()).contains("secret=MPS_NOT_THERE", "does not exist");
    }

    @Test
    void aStoreNeverServesMpSecretsOwnSettingsOrTheConfigs() throws IOException {
        mount("db.password", LeakGuard.CANARY);
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.sources", "file",
                "mpsecrets.file.dir", dir.toString(),
                "mpsecrets.file.required", "false"));
        for (String setting : new String[] {
            "mpsecrets.vault.address", "MPSECRETS_KMS", "mp.config.profile", "smallrye.config.profile", "config_ordinal"
        }) {
            Path planted = mount(setting, "https://attacker.example");
            ConfigurationException refused = assertThrows(ConfigurationException.class, () -> config(values));
            assertThat(refused.getMessage())
                    .as("even from an optional store")
                    .contains("store file", "'" + setting + "'", "never from a secret store")
                    .doesNotContain("attacker");
            Files.delete(planted);
        }
        assertEquals(LeakGuard.CANARY, config(values).getValue("db.password", String.class));
    }

    /**
     * A config whose build a store's secret stopped never reaches the application, so nobody could close the runtime
     * the build had made: its rotation watcher went on checking the store, and reporting failures, for as long as the
     * process ran.
     */
    @Test
    void aBuildAStoreRefusedLeavesNoRuntimeRunning() throws IOException {
        String application = "refused" + Long.toHexString(System.nanoTime());
        mount("db.password", LeakGuard.CANARY);
        mount("mpsecrets.vault.address", "https://attacker.example");
        assertThrows(
                ConfigurationException.class,
                () -> config(Map.of(
                        "mpsecrets.app",
                        application,
                        "mpsecrets.sources",
                        "file",
                        "mpsecrets.file.dir",
                        dir.toString(),
                        "mpsecrets.rotation.interval",
                        "PT0.1S")));
        assertThat(Thread.getAllStackTraces().keySet())
                .noneSatisfy(thread -> assertThat(thread.getName()).startsWith("mpsecrets-rotation-" + application));
    }

    @Test
    void aListedStoreThatCanServeNothingSaysWhatToAdd() {
        ConfigurationException refused = assertThrows(
                ConfigurationException.class,
                () -> config(Map.of("mpsecrets.sources", "env", "mpsecrets.env.required", "false")));
        assertThat(refused.getMessage()).contains("mpsecrets.env.secrets=<id>", "mpsecrets.sources");
    }

    @Test
    void aMissingFieldAndAStoreThatCannotOpenAreAuditedFailures() {
        SmallRyeConfig config = config(Map.of(
                "db.password", "${env::MPS_TEST_JSON#db_password}",
                "token", "${file::token}"));
        SecretNotFoundException missing =
                assertThrows(SecretNotFoundException.class, () -> config.getValue("db.password", String.class));
        assertThat(missing.getMessage())
                .contains("no field 'db_password'", "its fields are password, port, user")
                .doesNotContain("orders", "5432");
        assertThat(audit.events("failure"))
                .singleElement()
                .asString()
                .contains("property=db.password", "reason=NOT_FOUND");

        assertThrows(ConfigurationException.class, () -> config.getValue("token", String.class));
        assertThrows(ConfigurationException.class, () -> config.getValue("token", String.class));
        assertThat(audit.events("failure"))
                .as("each read of a store that cannot open")
                .filteredOn(line -> line.contains("property=token"))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("reason=CONFIGURATION"));
        LeakGuard.assertNoLeak(missing);
    }

    @Test
    void unknownStoresAreRefused() {
        assertThat(assertThrows(ConfigurationException.class, () -> config(Map.of("mpsecrets.sources", "consul")))
                        .getMessage())
                .contains("consul");
    }
}
