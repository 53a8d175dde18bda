package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testing.ConcurrentReaders;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 2: with one data key cached ({@code mpsecrets.cache.data-keys=1}), no plaintext cache and four data keys
 * under eight readers, a reader waiting on another's unwrap whose key was evicted before it looked recursed until
 * the stack overflowed. Every read succeeds, however small the cache.
 */
class DataKeyCacheConcurrencyTest {

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();

    @AfterEach
    void close() {
        configs.close();
    }

    @Test
    void aOneKeyCacheUnderEightReadersAndFourDataKeysNeverFails() throws Exception {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                "mpsecrets.cache.data-keys", "1",
                "mpsecrets.cache.plaintext", "false"));
        for (int i = 0; i < 4; i++) {
            // One encryptor per value: four data keys.
            try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                    LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("default"))) {
                values.put(
                        "secret." + i,
                        encryptor.encrypt(
                                ("v" + i + "-" + LeakGuard.CANARY).getBytes(StandardCharsets.UTF_8), "secret." + i));
            }
        }
        SmallRyeConfig config = configs.build(values);
        ConcurrentReaders.Report report = ConcurrentReaders.during(
                8,
                () -> {
                    int i = ThreadLocalRandom.current().nextInt(4);
                    String value = config.getValue("secret." + i, String.class);
                    return value.equals("v" + i + "-" + LeakGuard.CANARY) ? "ok" : "wrong";
                },
                () -> value -> "ok".equals(value) ? null : "a wrong value",
                () -> Thread.sleep(3_000));
        assertThat(report.problems()).isEmpty();
        assertThat(report.reads()).isGreaterThan(1_000);
    }
}
