package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.audit.AuditLogLine;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.LogTokens;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.validate.Finding;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 34 item 4: the {@code [property=... key=...]} of an exception escaped names but did not quote them, so a
 * name with spaces and '=' forged the fields after it; and zero-width and other invisible characters went through,
 * so {@code db.pass}{@code \}{@code u200bword} read as {@code db.password}. Every name is one token now: as it is
 * when plain, quoted and escaped otherwise.
 */
class NameSpoofingTest {

    private static final String FORGER = "db.password key=local:forged backend=aws secret=prod/db version=7";

    /** The invisible and bidirectional characters of the issue, and a few more that print as nothing. */
    private static final String INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066"
            + "\u2067\u2068\u2069\ufeff\u00ad\u061c\u2060\u2063\u180e\u3164\ufe0f\u00a0\u3000\u034f";

    private final MpConfigs configs = new MpConfigs();

    @AfterEach
    void close() {
        configs.close();
    }

    /** A value encrypted for another property, read as {@code property}: the message names the property. */
    private SecretException failureOf(String property) {
        var config = configs.build(Map.of(
                "mpsecrets.kms.local.keyring",
                Fixtures.testKeyring().toString(),
                property,
                Fixtures.encrypt(Fixtures.testKeyring(), LeakGuard.CANARY, "another.property")));
        return assertThrows(SecretException.class, () -> config.getValue(property, String.class));
    }

    private static String fieldsOf(SecretException e) {
        String message = e.getMessage();
        String fields = e.ref().toString();
        assertThat(message).endsWith(" [" + fields + "]");
        return fields;
    }

    @Test
    void aNameCannotForgeTheFieldsAfterIt() {
        SecretException e = failureOf(FORGER);
        LeakGuard.assertNoLeak(e);
        Map<String, String> fields = LogTokens.parse(fieldsOf(e));
        assertEquals(FORGER, fields.get("property"));
        assertThat(fields.get("key")).doesNotContain("forged");
        assertThat(fields).doesNotContainKeys("backend", "secret", "version");
        assertThat(e.getMessage()).contains("[property=\"" + FORGER + "\" key=local");
    }

    @Test
    void aSimpleNameStaysReadable() {
        assertThat(failureOf("db.password").getMessage()).contains("[property=db.password key=local");
        assertEquals(
                "property=db.password backend=aws secret=prod/db key=local:dev-1 version=v1",
                new SecretRef("db.password", "aws", "prod/db", "local:dev-1", "v1").toString());
    }

    @Test
    void invisibleAndBidirectionalCharactersAreEscapedWhereverANameIsPrinted() {
        for (char c : INVISIBLE.toCharArray()) {
            String spoof = "db.pass" + c + "word";
            String escaped = String.format("\"db.pass\\u%04xword\"", (int) c);
            SecretException e = failureOf(spoof);
            assertThat(e.getMessage())
                    .as("U+%04X", (int) c)
                    .contains("property=" + escaped)
                    .doesNotContain(spoof);
            assertEquals(spoof, LogTokens.parse(fieldsOf(e)).get("property"));

            String line = AuditLogLine.format(new SecretDecrypted(
                    Instant.EPOCH, SecretRef.property(spoof), WorkerContext.ofCurrentThread("orders", null)));
            assertThat(line).contains("property=" + escaped);
            assertEquals(spoof, LogTokens.parse(line).get("property"));

            assertThat(new Finding(spoof, Finding.Rule.PLAINTEXT, Finding.Severity.ERROR, "in plain text").toString())
                    .isEqualTo(escaped + ": plaintext: in plain text");
            assertThat(LogSafe.escape("detail " + spoof))
                    .isEqualTo(String.format("detail db.pass\\u%04xword", (int) c));
        }
    }

    @Test
    void aNameThatSpellsAnEscapeIsNotTakenForOne() {
        String literal = "db.pass\\u200bword";
        assertEquals(
                "property=\"db.pass\\\\u200bword\"", SecretRef.property(literal).toString());
        assertThat(SecretRef.property(literal).toString())
                .isNotEqualTo(SecretRef.property("db.pass\u200bword").toString());
        assertEquals(
                literal, LogTokens.parse(SecretRef.property(literal).toString()).get("property"));
    }

    @Test
    void aTagCharacterOutsideTheBasicPlaneIsEscapedAsBothHalves() {
        String tagged = "db.password" + new String(Character.toChars(0xE0041));
        assertEquals(
                "property=\"db.password\\udb40\\udc41\"",
                SecretRef.property(tagged).toString());
        String emoji = "db." + new String(Character.toChars(0x1F511));
        assertEquals("property=\"" + emoji + "\"", SecretRef.property(emoji).toString());
    }
}
