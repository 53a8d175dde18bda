package io.mpsecrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/testing.md shows its sample tests as the build compiles and runs them: each sample block is its file. */
class TestingDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern SAMPLE =
            Pattern.compile("<!-- sample: (\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everySampleOnThePageIsItsSourceFile() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/testing.md"), StandardCharsets.UTF_8);
        Matcher sample = SAMPLE.matcher(page);
        List<String> files = new ArrayList<>();
        while (sample.find()) {
            files.add(sample.group(1));
            assertThat(sample.group(2))
                    .as(sample.group(1))
                    .isEqualTo(Files.readString(ROOT.resolve(sample.group(1)), StandardCharsets.UTF_8));
        }
        assertThat(files)
                .containsExactly(
                        "integration-tests/src/test/java/io/mpsecrets/aws/samples/FirstSecretTest.java",
                        "examples/src/test/java/io/mpsecrets/examples/it/FirstLibertyIT.java");
    }
}
