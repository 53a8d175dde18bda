package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.testing.MpConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 34 item 7: SmallRye's expression parser recurses once per level of {@code ${...}}, so a value nested 5,000
 * deep ended in a StackOverflowError. A value holding a secret reference is refused before it gets there.
 */
class ExpressionNestingTest {

    @TempDir
    Path dir;

    private final MpConfigs configs = new MpConfigs();

    @AfterEach
    void close() {
        configs.close();
    }

    private Config config(String value) throws Exception {
        Files.writeString(dir.resolve("token"), "t0ken");
        return configs.build(Map.of("mpsecrets.file.dir", dir.toString(), "api.token", value));
    }

    @Test
    void aReferenceNestedTooDeepIsRefusedNamingTheProperty() throws Exception {
        Config config = config("${x".repeat(5_000) + "${file::token}" + "}".repeat(5_000));
        MalformedValueException e =
                assertThrows(MalformedValueException.class, () -> config.getValue("api.token", String.class));
        assertEquals(FailureReason.MALFORMED, e.reason());
        assertThat(e.getMessage()).contains("nested more than 64 deep", "[property=api.token]");
    }

    @Test
    void aReferenceNestedAsDeepAsAllowedIsRead() throws Exception {
        Config config = config("${x:".repeat(63) + "${file::token}" + "}".repeat(63));
        assertEquals("t0ken", config.getValue("api.token", String.class));
    }
}
