package io.mpsecrets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Fuzz target for the properties-file rewriter of {@code mpsecrets reencrypt}: any file renders back byte for byte;
 * after each entry's value is replaced, {@link Properties} reads every entry as the replacement and every other line
 * as before.
 */
class PropertiesFileFuzzTest {

    @FuzzTest(maxDuration = "")
    void rewrite(byte[] input) throws IOException {
        String content = new String(input, StandardCharsets.UTF_8);
        PropertiesFile file = PropertiesFile.parse(content);
        assertEquals(content, file.render(), "a file renders back as it was");

        Map<String, String> expected = new HashMap<>();
        Properties before = new Properties();
        try {
            before.load(new StringReader(content));
        } catch (IllegalArgumentException notAPropertiesFile) {
            return; // a malformed \\uXXXX escape: java.util.Properties itself refuses the file
        }
        before.forEach((k, v) -> expected.put((String) k, (String) v));
        for (int i = 0; i < file.lines().size(); i++) {
            PropertiesFile.Line line = file.lines().get(i);
            if (line.isEntry()) {
                String replacement = "ENC(AQEA" + i + ")";
                file.replaceValue(i, replacement);
                expected.put(line.key(), replacement);
            }
        }
        Properties after = new Properties();
        after.load(new StringReader(file.render()));
        Map<String, String> actual = new HashMap<>();
        after.forEach((k, v) -> actual.put((String) k, (String) v));
        assertEquals(expected, actual, "every entry reads as its replacement, everything else as before");
    }
}
