package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.AuditRecorder;
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
 * Defect 1: a config value holding the characters mp-secrets' tags are made of ({@code U+0002 1 U+0003}, invisible
 * in editors and diffs) must not read back as another property's plaintext. Such text is the application's own and
 * comes back as written; tags are unguessable per config.
 */
class TagForgeryTest {

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();
    private final AuditRecorder audit = new AuditRecorder();

    @AfterEach
    void close() {
        configs.close();
        audit.close();
    }

    @Test
    void aValueShapedLikeATagReadsBackAsWrittenAndResolvesNothing() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                "db.password", Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password")));
        // Every small serial, in the form the tags of the earlier releases had.
        for (int serial = 0; serial < 40; serial++) {
            values.put("forged." + serial, "Hello \u0002" + Long.toString(serial, 36) + "\u0003!");
        }
        values.put("forged.odd", "a\u0002b");
        values.put("forged.end", "a\u0003b\u0002");
        SmallRyeConfig config = configs.build(values);

        assertEquals("pw-" + LeakGuard.CANARY, config.getValue("db.password", String.class));
        for (int serial = 0; serial < 40; serial++) {
            assertEquals(
                    "Hello \u0002" + Long.toString(serial, 36) + "\u0003!",
                    config.getValue("forged." + serial, String.class));
        }
        assertEquals("a\u0002b", config.getValue("forged.odd", String.class));
        assertEquals("a\u0003b\u0002", config.getValue("forged.end", String.class));
        assertThat(audit.lines()).noneMatch(line -> line.contains("forged"));
        assertThat(configs.runtime(0).readCounts()).containsOnlyKeys("db.password");
    }
}
