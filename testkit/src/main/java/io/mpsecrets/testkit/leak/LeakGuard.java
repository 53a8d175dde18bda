package io.mpsecrets.testkit.leak;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves that no secret leaves: tests use {@link #CANARY} (or values {@link #watch registered} here) as
 * plaintext, and the guard fails the test when one appears, raw or base64- or hex-encoded, in anything captured
 * while the test ran: System.out, System.err and every java.util.logging record (message, parameters and stack
 * traces), in the exception a test throws, and in whatever a test hands to {@link #assertNoLeak}. A value that
 * mp-secrets' log mask replaced ({@code ***db.password***}) is a leak too, unless the test {@link #expectMasked()
 * logs one on purpose}: the mask must not hide a value that mp-secrets' own code let out.
 *
 * <p>{@link LeakGuardExtension} applies it to every JUnit 5 test of a module that has the testkit on its test
 * class path (extension auto-detection is switched on in the parent POM).
 */
public final class LeakGuard {

    /** A plaintext that must never be seen outside the application. Tests build their secrets from it. */
    public static final String CANARY = "canary-7Qx9Lw2-mpsecrets-do-not-leak";

    private static final Set<String> WATCHED_TEXT = new LinkedHashSet<>();
    private static final List<byte[]> WATCHED_BYTES = new ArrayList<>();

    /** What the log mask writes in place of a value. */
    private static final Pattern MASKED = Pattern.compile("\\*\\*\\*([^*\\s]{1,256})\\*\\*\\*");

    private static volatile String currentTest = "";
    private static volatile boolean maskedExpected;

    private LeakGuard() {}

    /** The JUnit unique id of the test the guard is running around, so a module can prove the guard is on. */
    public static String currentTest() {
        return currentTest;
    }

    static void started(String uniqueId) {
        currentTest = uniqueId;
    }

    /**
     * The current test logs a secret on purpose, to see it masked: until it ends, the log mask's markers in what the
     * guard scans are not reported as leaks.
     */
    public static void expectMasked() {
        maskedExpected = true;
    }

    /** Also watch {@code secret} until the current test ends. */
    public static synchronized void watch(String secret) {
        if (secret != null && !secret.isEmpty()) {
            WATCHED_TEXT.add(secret);
        }
    }

    /** Watch bytes (a data key, a binary secret) in their base64 and hex forms until the current test ends. */
    public static synchronized void watch(byte[] secret) {
        if (secret != null && secret.length > 0) {
            WATCHED_BYTES.add(secret.clone());
        }
    }

    /** Everything the JVM printed or logged since the current test started. */
    public static String capturedOutput() {
        return OutputCapture.get().captured();
    }

    /**
     * Fails when a watched secret appears in the string form of any of {@code things}; a throwable is scanned
     * with its whole printed stack trace, causes and suppressed exceptions included.
     */
    public static void assertNoLeak(Object... things) {
        for (Object thing : things) {
            String text = thing instanceof Throwable t ? printed(t) : String.valueOf(thing);
            String where = thing == null ? "null" : thing.getClass().getName();
            check(text, thing instanceof Throwable ? "exception " + where : "toString() of " + where);
        }
    }

    /** Fails when a watched secret appears in {@code text}; {@code channel} names where the text came from. */
    public static void check(String text, String channel) {
        check(text, channel, maskedExpected);
    }

    /**
     * As {@link #check(String, String)}, with the log mask's markers expected or not whatever the current test said
     * (a server's log scanned after a class that logs masked values on purpose).
     */
    public static void check(String text, String channel, boolean maskedExpected) {
        for (Form form : forms()) {
            int at = text.indexOf(form.text());
            if (at >= 0) {
                // The message names the channel and form, never the value.
                throw new AssertionError("secret leaked: a watched value appeared (" + form.name() + ") in " + channel
                        + " at offset " + at);
            }
        }
        if (!maskedExpected) {
            Matcher masked = MASKED.matcher(text);
            if (masked.find()) {
                throw new AssertionError("secret leaked: a value of " + masked.group(1)
                        + " was logged (the log mask replaced it) in " + channel + " at offset " + masked.start());
            }
        }
    }

    static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    static synchronized void reset() {
        maskedExpected = false;
        WATCHED_TEXT.clear();
        WATCHED_BYTES.clear();
    }

    private record Form(String name, String text) {}

    private static synchronized List<Form> forms() {
        List<Form> forms = new ArrayList<>();
        addForms(forms, CANARY.getBytes(StandardCharsets.UTF_8), true);
        for (String watched : WATCHED_TEXT) {
            addForms(forms, watched.getBytes(StandardCharsets.UTF_8), true);
        }
        for (byte[] watched : WATCHED_BYTES) {
            addForms(forms, watched, false);
        }
        return forms;
    }

    private static void addForms(List<Form> forms, byte[] secret, boolean text) {
        if (text) {
            forms.add(new Form("raw", new String(secret, StandardCharsets.UTF_8)));
        }
        forms.add(new Form("hex", HexFormat.of().formatHex(secret)));
        forms.add(new Form("HEX", HexFormat.of().withUpperCase().formatHex(secret)));
        // Base64 of a secret embedded in a longer byte string depends on its alignment: try all three, keeping only
        // the characters that depend on the secret's bytes alone.
        if (secret.length >= 9) {
            for (int shift = 0; shift < 3; shift++) {
                byte[] shifted = new byte[shift + secret.length];
                System.arraycopy(secret, 0, shifted, shift, secret.length);
                String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
                String core = std.substring(shift == 0 ? 0 : 4, std.length() - 4);
                forms.add(new Form("base64", core));
                forms.add(new Form("base64url", core.replace('+', '-').replace('/', '_')));
            }
        }
    }
}
