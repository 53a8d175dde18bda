package io.mpsecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateTest {

    @TempDir
    Path dir;

    private Path keyring;

    /** A keyring whose version 1 is 200 days old and version 2 (primary) 80 days old. */
    @BeforeEach
    void agedKeyring() throws Exception {
        keyring = dir.resolve("keyring.json");
        LocalKeyring.generate("dev").rotate().writeTo(keyring, false);
        String json = Files.readString(keyring);
        String[] created = json.split("\"created\": \"", -1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        json = created[0] + "\"created\": \"" + now.minus(Duration.ofDays(200))
                + created[1].substring(created[1].indexOf('"')) + "\"created\": \"" + now.minus(Duration.ofDays(80))
                + created[2].substring(created[2].indexOf('"'));
        Files.writeString(keyring, json);
    }

    private String enc(String keyId, String plaintext, String property) {
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyring);
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(kms, keyId, EncryptionContext.forApplication("default"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    private Path config(String... lines) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.write(file, List.of(lines));
        return file;
    }

    private static final String STRONG = "Xq7#mP2$vL9!wR4&" + LeakGuard.CANARY;

    @Test
    void aCleanConfigExitsZero() throws Exception {
        Path file = config(
                "mpsecrets.kms.local.keyring=" + keyring,
                "mpsecrets.validate.required=db.password",
                "mpsecrets.secret-class.high=db.password",
                "db.password=" + enc("local", STRONG, "db.password"),
                "app.name=orders");
        CliRun.Result result = CliRun.run(Map.of(), "", "validate", "--config", file.toString());
        assertEquals(0, result.status(), result.out() + result.err());
        assertEquals("", result.out());
        assertThat(result.err()).contains("no findings");
    }

    @Test
    void everyRuleReportsOneLinePerFindingWithoutValues() throws Exception {
        Path other = dir.resolve("staging.properties");
        Files.writeString(other, "same.one=Same-Value-1234!x\n");
        Path file = config(
                "mpsecrets.kms.local.keyring=" + keyring,
                "mpsecrets.validate.required=db.password,missing.one",
                "mpsecrets.validate.other-environment=" + other,
                "mpsecrets.secret-class.critical=db.password,plain.secret,due.soon",
                "mpsecrets.secret-class.high=short.one",
                "db.password=" + enc("local:dev-1", STRONG, "db.password"),
                "due.soon=" + enc("local:dev-2", STRONG, "due.soon"),
                "plain.secret=" + STRONG,
                "short.one=" + enc("local", "Ab1!" + "x", "short.one"),
                "weak.one=" + enc("local", "alllowercaseletters", "weak.one"),
                "placeholder.one=" + enc("local", "changeme", "placeholder.one"),
                "api.key=${env::MPS_NOT_SET_ANYWHERE}",
                "same.one=" + enc("local", "Same-Value-1234!x", "same.one"));
        CliRun.Result result = CliRun.run(Map.of(), "", "validate", "--config", file.toString());
        assertEquals(1, result.status());
        List<String> lines = result.out().lines().toList();
        assertThat(lines)
                .contains(
                        "missing.one: missing: required and not set",
                        "plain.secret: plaintext: a secret in plain text: store it as ENC(...) or a ${store::id} "
                                + "reference (class critical)",
                        "short.one: too-short: shorter than 12 characters (class high)",
                        "weak.one: low-variety: fewer than 2 kinds of characters (lower case, upper case, digits, "
                                + "others) (class service)",
                        "placeholder.one: placeholder: a known placeholder value (class service)",
                        "api.key: unreadable: NOT_FOUND: no such secret",
                        "same.one: same-as-other-environment: the same value as in " + other);
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("db.password: rotation-overdue: rotation overdue: 200 days old, class critical "
                                + "rotates every 90 days")
                        .endsWith("(warning)"));
        assertThat(lines)
                .anySatisfy(
                        line -> assertThat(line).startsWith("due.soon: rotation-due: rotation due soon: 80 days old"));
        assertThat(lines)
                .noneMatch(line -> line.startsWith("db.password: too") || line.startsWith("db.password: plaintext"));
        assertThat(result.err()).contains("9 finding(s)");
        LeakGuard.check(result.out(), "validate report");
        assertThat(result.out()).doesNotContain("changeme", "alllowercase", "Same-Value");
    }

    @Test
    void plaintextSecretsAreFoundByTheirNames() throws Exception {
        Path file = config(
                "db.password=your-db-password-here",
                "mail.smtp.password=" + STRONG,
                "stripe.api-key=" + STRONG,
                "oauth.client-secret=" + STRONG,
                "signing.private-key=" + STRONG,
                "password-policy.min-length=12",
                "app.name=orders",
                "token.ttl=PT5M",
                "legacy.token=" + STRONG,
                "mpsecrets.validate.not-secrets=legacy.token");
        CliRun.Result result = CliRun.run(Map.of(), "", "validate", "--config", file.toString());
        assertEquals(1, result.status(), result.out() + result.err());
        List<String> lines = result.out().lines().toList();
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).startsWith("db.password: plaintext:"))
                .anySatisfy(line -> assertThat(line).startsWith("db.password: placeholder:"))
                .anySatisfy(line -> assertThat(line).startsWith("mail.smtp.password: plaintext:"))
                .anySatisfy(line -> assertThat(line).startsWith("stripe.api-key: plaintext:"))
                .anySatisfy(line -> assertThat(line).startsWith("oauth.client-secret: plaintext:"))
                .anySatisfy(line -> assertThat(line).startsWith("signing.private-key: plaintext:"))
                .noneMatch(line -> line.startsWith("password-policy")
                        || line.startsWith("app.name")
                        || line.startsWith("token.ttl")
                        || line.startsWith("legacy.token"));
        assertThat(result.out() + result.err()).doesNotContain("your-db-password-here", STRONG);
    }

    /** {@code name} as a key of a properties file. */
    private static String key(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case ' ', '=', ':', '#', '!', '\\' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Issue 34 item 3: the rotation warning wrote the property name as it was, a line break and all. */
    @Test
    void aPropertyNameCannotForgeAnAuditLine() throws Exception {
        String forger = "due.soon\nevent=decrypted property=db.password key=local:dev-1 outcome=ok app=orders";
        Path file = config(
                "mpsecrets.kms.local.keyring=" + keyring,
                "mpsecrets.secret-class.critical=" + key(forger),
                key(forger) + "=" + enc("local:dev-1", STRONG, forger));
        List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                audit.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.mpsecrets.audit");
        logger.addHandler(handler);
        CliRun.Result result;
        try {
            result = CliRun.run(Map.of(), "", "validate", "--config", file.toString());
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, result.status(), result.out() + result.err());
        String shown = "\"due.soon\\u000aevent=decrypted property=db.password key=local:dev-1 outcome=ok app=orders\"";
        assertThat(audit)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r"))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("mp-secrets: Secret expiry: " + shown + ": rotation overdue: 200 days old"))
                .anySatisfy(
                        line -> assertThat(line).startsWith("event=expiring property=" + shown + " class=critical"));
        assertThat(result.out().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith(shown + ": rotation-overdue: rotation overdue: 200 days old");
    }

    /** Issue 34 item 7: 5,000 nested expressions overflowed SmallRye's parser's stack, printing 1,000 lines of it. */
    @Test
    void aDeeplyNestedExpressionIsOneFindingNotAStackOverflow() throws Exception {
        String nested = "${x".repeat(5_000) + "}".repeat(5_000);
        Path file = config("mpsecrets.kms.local.keyring=" + keyring, "db.password=" + nested);
        CliRun.Result result = CliRun.run(Map.of(), "", "validate", "--config", file.toString());
        assertEquals(1, result.status(), result.out() + result.err());
        assertThat(result.out().lines())
                .anySatisfy(line -> assertThat(line)
                        .isEqualTo("db.password: unreadable: ${...} expressions nested more than 64 deep"))
                .allSatisfy(line -> assertThat(line).startsWith("db.password: "));
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(
                2,
                CliRun.run(
                                Map.of(),
                                "",
                                "validate",
                                "--config",
                                dir.resolve("absent").toString())
                        .status());
        assertEquals(2, CliRun.run(Map.of(), "", "validate").status());
    }
}
