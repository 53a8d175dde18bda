package io.mpsecrets.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.exception.MalformedValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.audit.AuditLog;
import io.mpsecrets.audit.AuditLogLine;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.LogTokens;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.validate.Finding;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets for what the marker and the resolver do with a config value: any text, with {@code ENC(...)} values,
 * {@code ${store::id}} references and tag characters in it, reads back as a value or a {@link SecretException}. Only
 * mp-secrets' interceptors are installed, so SmallRye's own expression rules are not what is tested.
 *
 * <p>{@link #propertyName}: any property name, with control, invisible and bidirectional characters, is printed
 * unambiguously wherever mp-secrets prints it: no such character raw in an exception message or an audit line, and
 * every {@code name=value} field reads back as exactly the fields that were written.
 */
class ReferenceFuzzTest {

    private static final Map<String, String> VALUES = new ConcurrentHashMap<>();
    private static final SmallRyeConfig CONFIG = config();

    /** Characters a name may be made of to fool a reader or a parser of log lines. */
    private static final String SPECIAL = "\n\r\t\u0000\u001b\u007f\u0085\u2028\u2029\u200b\u200c\u200d\u200e\u200f"
            + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c\u2060\u180e\u3164\u00a0"
            + "\u3000\ufe0f\ue000\ud800\udc00\"\\= []:;";

    /** What a property is set to when its name is fuzzed: few values, so that names alone vary. */
    private static final String[] NAMED_VALUES = {
        Fixtures.encrypt(Fixtures.testKeyring(), "pw", null),
        Fixtures.encrypt(Fixtures.testKeyring(), "pw", "another.property"),
        "ENC(AQEA",
        "${file::db-password}",
        "${file::db-password#password}",
        "${file::missing}",
        "${file::}",
        "plain"
    };

    private static final AuditLines AUDIT = new AuditLines();

    private static SmallRyeConfig config() {
        try {
            Path dir = TempDirectory.removedAtExit("fuzz-secrets");
            Files.writeString(dir.resolve("db-password"), "{\"user\":\"orders\",\"password\":\"pw\"}");
            return new SmallRyeConfigBuilder()
                    .withInterceptorFactories(new SecretMarkerFactory(), new SecretResolverFactory())
                    .withSources(new PropertiesConfigSource(
                            Map.of(
                                    "mpsecrets.kms.local.keyring",
                                            Fixtures.testKeyring().toString(),
                                    "mpsecrets.file.dir", dir.toString()),
                            "settings",
                            50))
                    .withSources(new ConfigSource() {
                        @Override
                        public Set<String> getPropertyNames() {
                            return VALUES.keySet();
                        }

                        @Override
                        public String getValue(String name) {
                            return VALUES.get(name);
                        }

                        @Override
                        public String getName() {
                            return "fuzz";
                        }
                    })
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks every audit line as it is written, keeping none (a fuzz run writes millions), and keeps them from the
     * console and the leak guard's capture while this class runs.
     */
    static final class AuditLines extends Handler {
        private final Logger logger = Logger.getLogger(AuditLog.LOGGER_NAME);
        private final List<Handler> others = new ArrayList<>();
        private String property;

        /** This handler alone, and not the parents' (a handler the leak guard adds to a detached logger goes too). */
        void attach() {
            Handler[] handlers = logger.getHandlers();
            if (handlers.length == 1 && handlers[0] == this) {
                return;
            }
            logger.setUseParentHandlers(false);
            boolean attached = false;
            for (Handler handler : handlers) {
                if (handler == this) {
                    attached = true;
                } else {
                    others.add(handler);
                    logger.removeHandler(handler);
                }
            }
            if (!attached) {
                logger.addHandler(this);
            }
        }

        void detach() {
            logger.removeHandler(this);
            others.forEach(logger::addHandler);
            others.clear();
            logger.setUseParentHandlers(true);
        }

        @Override
        public void publish(LogRecord record) {
            String line = record.getMessage();
            assertVisible(line);
            if (line.startsWith("event=")) {
                Map<String, String> fields = LogTokens.parse(line);
                if (property != null && fields.containsKey("property")) {
                    assertEquals(property, fields.get("property"), line);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @AfterAll
    static void detachAuditLines() {
        AUDIT.detach();
    }

    /**
     * No character that a reader cannot see as itself: controls, separators, format characters (the issue's
     * zero-width and bidirectional ones among them), spaces other than U+0020, lone surrogates, private use.
     */
    private static void assertVisible(String text) {
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean hidden = type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || (type == Character.SPACE_SEPARATOR && c != ' ')
                    || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED
                    || c == 0x200b
                    || (c >= 0x200c && c <= 0x200f)
                    || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069)
                    || c == 0xfeff
                    || c == 0x3164;
            if (hidden) {
                throw new AssertionError(String.format("U+%04X printed raw in: %s", c, LogSafe.escape(text)));
            }
        });
    }

    /** A name from the input: printable ASCII, the characters of {@link #SPECIAL}, and any text, mixed. */
    private static String name(FuzzedDataProvider data, int parts) {
        StringBuilder name = new StringBuilder();
        for (int i = data.consumeInt(0, parts); i > 0; i--) {
            switch (data.consumeInt(0, 2)) {
                case 0 -> name.append(data.consumeAsciiString(6));
                case 1 -> name.append(SPECIAL.charAt(data.consumeInt(0, SPECIAL.length() - 1)));
                default -> name.append(data.consumeString(4));
            }
        }
        return name.toString();
    }

    @FuzzTest(maxDuration = "")
    void propertyName(FuzzedDataProvider data) {
        AUDIT.attach();
        String name = name(data, 16);
        SecretRef ref = new SecretRef(name, data.consumeAsciiString(8), name(data, 4), name(data, 4), null);

        // The [...] of every exception, and the fields of an audit line, read back as what was written.
        assertEquals(ref.attributes(), LogTokens.parse(ref.toString()));
        SecretException made = new MalformedValueException(ref, "cannot read " + name);
        assertVisible(made.getMessage());
        assertTrue(made.getMessage().endsWith(" [" + ref + "]"), made.getMessage());
        SecretEvent event = new SecretDecrypted(Instant.EPOCH, ref, WorkerContext.ofCurrentThread(name, name));
        String line = AuditLogLine.format(event);
        assertVisible(line);
        assertEquals(event.attributes(), LogTokens.parse(line));

        // The rotation warning and a finding: the name one token, read back whole.
        String notice = AuditLogLine.notice("Secret expiry", name, "rotation overdue: " + name);
        assertTrue(notice.startsWith("mp-secrets: Secret expiry: " + LogSafe.token(name) + ": "), notice);
        assertEquals(name, LogTokens.parse("property=" + LogSafe.token(name)).get("property"));
        AUDIT.property = null;
        AuditLog.warning(notice);
        String finding = new Finding(name, Finding.Rule.PLAINTEXT, Finding.Severity.ERROR, name).toString();
        assertVisible(finding);
        assertTrue(finding.startsWith(LogSafe.token(name) + ": plaintext: "), finding);

        // Through a config: a short name (few enough that the config's per-property state stays small) and one of a
        // few values; its refusal and its audit lines name it unambiguously.
        StringBuilder shortName = new StringBuilder("fuzz.");
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            shortName.append(SPECIAL.charAt(data.consumeInt(0, SPECIAL.length() - 1)));
        }
        String property = shortName.toString();
        VALUES.clear();
        VALUES.put(property, NAMED_VALUES[data.consumeInt(0, NAMED_VALUES.length - 1)]);
        AUDIT.property = property;
        try {
            CONFIG.getConfigValue(property);
        } catch (SecretException refused) {
            assertVisible(refused.getMessage());
            assertTrue(refused.getMessage().endsWith(" [" + refused.ref() + "]"), refused.getMessage());
            Map<String, String> fields = LogTokens.parse(refused.ref().toString());
            assertEquals(refused.ref().attributes(), fields);
            assertEquals(property, fields.get("property"), refused.getMessage());
        } finally {
            AUDIT.property = null;
        }
    }

    @FuzzTest(maxDuration = "")
    void configValue(byte[] input) {
        VALUES.put("fuzz.value", new String(input, StandardCharsets.UTF_8));
        try {
            CONFIG.getConfigValue("fuzz.value");
        } catch (SecretException expected) {
            // a typed refusal
        }
    }
}
