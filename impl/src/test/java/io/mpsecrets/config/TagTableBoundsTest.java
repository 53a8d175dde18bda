package io.mpsecrets.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.exception.MalformedValueException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marker's tags stay bounded: found by fuzzing config values, a value with a good reference before a malformed
 * one left the good one's tag behind on every read (the value never gets a marking, so each read marks it again);
 * 160,000 tags after a million reads.
 */
class TagTableBoundsTest {

    @TempDir
    Path dir;

    @Test
    void aMalformedReferenceAfterAGoodOneLeavesNoTagsBehind() throws Exception {
        Files.writeString(dir.resolve("token"), "t");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.file.dir", dir.toString(),
                                "good", "${file::token}",
                                "bad", "${file::token} and ${file::to${x}}"),
                        "app",
                        100))
                .build();
        assertEquals("t", config.getValue("good", String.class));
        TagTable tags = ConfigRegistry.find(
                        config.getConfigValue(ConfigRegistry.LOOKUP).getValue())
                .orElseThrow()
                .tags();
        int before = tags.size();
        for (int i = 0; i < 1_000; i++) {
            assertThrows(MalformedValueException.class, () -> config.getValue("bad", String.class));
        }
        assertEquals(before, tags.size());
    }
}
