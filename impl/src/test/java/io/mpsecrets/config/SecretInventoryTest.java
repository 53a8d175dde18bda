package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretInventoryTest {

    @TempDir
    Path dir;

    @Test
    void listsSecretPropertiesWithKeysStoresVersionsAndReadsButNoValueAndResolvesNothing() throws Exception {
        Path keyringFile = dir.resolve("keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        Files.writeString(dir.resolve("api-token"), "token-" + LeakGuard.CANARY);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring",
                                keyringFile.toString(),
                                "mpsecrets.file.dir",
                                dir.toString(),
                                "db.password",
                                Fixtures.encrypt(keyring, "db-" + LeakGuard.CANARY, "db.password"),
                                "api.token",
                                "${file::api-token}",
                                "greeting",
                                "hello",
                                "url",
                                "x?p=${db.password}"),
                        "app",
                        100))
                .build();
        try (SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow()) {
            List<SecretInventory.Entry> before = SecretInventory.of(config);
            assertThat(before).extracting(SecretInventory.Entry::property).containsExactly("api.token", "db.password");
            assertThat(runtime.readCounts()).isEmpty();
            assertThat(runtime.stores().cache().keys())
                    .as("listing fetched nothing")
                    .isEmpty();

            config.getValue("db.password", String.class);
            config.getValue("db.password", String.class);
            config.getValue("api.token", String.class);
            List<SecretInventory.Entry> after = SecretInventory.of(config);
            assertEquals(
                    new SecretInventory.Entry(
                            "api.token",
                            "reference",
                            "file",
                            "api-token",
                            null,
                            after.get(0).version(),
                            1),
                    after.get(0));
            assertThat(after.get(0).version()).startsWith("h-");
            assertEquals(
                    new SecretInventory.Entry("db.password", "encrypted", "local", null, "local:dev-1", null, 2),
                    after.get(1));
            LeakGuard.assertNoLeak(after.toArray());
        }
    }
}
