package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.audit.AuditLogLine;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 17: the audit line quoted but did not escape U+0085 and U+2028, and exception messages and store warnings
 * carried raw property names with line breaks: a config writer could forge log lines. Every control and line or
 * paragraph separator (and the bidirectional overrides that reorder what a reader sees) is escaped in everything
 * mp-secrets logs or throws.
 */
class LogHygieneTest {

    private static final String HOSTILE = "db\npassword\r\u0085\u2028\u2029\u001b[31m\u202e\u0000x";

    private final MpConfigs configs = new MpConfigs();

    @AfterEach
    void close() {
        configs.close();
    }

    private static void assertOneSafeLine(String text) {
        assertThat(text.chars()
                        .filter(c -> Character.isISOControl(c)
                                || c == 0x2028
                                || c == 0x2029
                                || (c >= 0x202a && c <= 0x202e)))
                .as(text)
                .isEmpty();
    }

    @Test
    void anAuditLineEscapesEverySeparatorAndControl() {
        String line = AuditLogLine.format(new SecretDecrypted(
                Instant.EPOCH,
                SecretRef.property(HOSTILE).withKeyId("local:dev-1"),
                WorkerContext.ofCurrentThread("orders", null)));
        assertOneSafeLine(line);
        assertThat(line).contains("\\u0085", "\\u2028", "\\u202e", "\\u000a");
    }

    @Test
    void exceptionMessagesEscapeNamesAndDetails() {
        MalformedValueException e = new MalformedValueException(SecretRef.property(HOSTILE), "detail with " + HOSTILE);
        assertOneSafeLine(e.getMessage());
    }

    @Test
    void warningsAboutPropertiesEscapeTheirNames() {
        configs.build(Map.of(
                "mpsecrets.sources", "env",
                "mpsecrets.env.required", "false",
                "mpsecrets.env.secrets", "MPS_NO_SUCH_VARIABLE" + HOSTILE));
        String output = LeakGuard.capturedOutput();
        assertThat(output).contains("MPS_NO_SUCH_VARIABLE");
        output.lines().filter(l -> l.contains("MPS_")).forEach(LogHygieneTest::assertOneSafeLine);
        assertThat(output).doesNotContain("\u2028", "\u0085", "\u001b");
    }
}
