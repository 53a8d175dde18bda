package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.config.SecretInventory;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 13: {@code db.password=ENC(...) } (a trailing space, as editors leave) returned the ciphertext text as the
 * password while the inventory and validation, which trim, called it encrypted. Every part treats a value the same:
 * white space around {@code ENC(...)} does not matter, and an {@code ENC(}-shaped value is decrypted or refused,
 * never handed to the application as it is.
 */
class EncShapedValueTest {

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();

    @AfterEach
    void close() {
        configs.close();
    }

    @Test
    void whiteSpaceAroundAnEncryptedValueChangesNothing() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        String encrypted = Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password");
        SmallRyeConfig config = configs.build(Map.of(
                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                "db.password", encrypted + " ",
                "api.key", "\t" + Fixtures.encrypt(keyring, "key-" + LeakGuard.CANARY, "api.key") + "\n"));
        assertEquals("pw-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        assertEquals("key-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        assertThat(SecretInventory.of(config))
                .extracting(SecretInventory.Entry::property, SecretInventory.Entry::kind)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("db.password", "encrypted"),
                        org.assertj.core.groups.Tuple.tuple("api.key", "encrypted"));
    }

    @Test
    void anEncShapedValueThatIsNotOneIsRefusedNeverReturned() {
        SmallRyeConfig config = configs.build(Map.of(
                "unclosed", "ENC(AQEAC2xvY2Fs",
                "trailing.text", "ENC(AQEAC2xvY2Fs) and more",
                "plain", "ENCODED(not ours)"));
        for (String property : new String[] {"unclosed", "trailing.text"}) {
            SecretException e = assertThrows(SecretException.class, () -> config.getValue(property, String.class));
            assertEquals(FailureReason.MALFORMED, e.reason(), property);
            assertThat(e.getMessage()).contains("property=" + property).doesNotContain("AQEAC2xvY2Fs");
        }
        assertEquals("ENCODED(not ours)", config.getValue("plain", String.class));
    }
}
