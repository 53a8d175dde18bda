package io.mpsecrets.cli.scan;

import io.mpsecrets.validate.Placeholders;
import io.mpsecrets.validate.SecretNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for plaintext secrets in configuration files: a secret-named setting (the names {@code validate} treats
 * as secrets) with a value that is neither {@code ENC(...)}, a store reference, an expression, Liberty's
 * {@code {aes}} nor a placeholder; a URL with a password; the data of a Kubernetes Secret; Liberty's {@code {xor}};
 * and, on any line of any text file, PEM private keys, AWS access key ids and values random enough to be a key.
 */
final class PlaintextRules {

    /** truffleHog's threshold for base64-like strings, in bits per character. */
    static final double ENTROPY_BITS = 4.5;

    private static final Pattern URL_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:([^@\\s/]+)@");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/=_-]{20,}");
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----");
    private static final Pattern AWS_KEY = Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");

    private final SecretNames names;

    PlaintextRules(SecretNames names) {
        this.names = names;
    }

    /** The rule an entry breaks, or null. */
    ScanRule check(ConfigEntry entry) {
        String value = entry.value().strip();
        if (value.isEmpty()) {
            return null;
        }
        if (entry.kubernetesSecret()) {
            return ScanRule.KUBERNETES_SECRET;
        }
        Matcher url = URL_PASSWORD.matcher(value);
        if (url.find() && !protectedValue(url.group(1))) {
            return ScanRule.CREDENTIALS_IN_URL;
        }
        if (protectedValue(value)) {
            return null;
        }
        boolean secretNamed = names.matches(entry.key());
        if (secretNamed && value.regionMatches(true, 0, "{xor}", 0, 5)) {
            return ScanRule.OBFUSCATED_PASSWORD;
        }
        if (secretNamed && !Placeholders.isPlaceholder(value, Set.of())) {
            return ScanRule.PLAINTEXT_SECRET;
        }
        if (TOKEN.matcher(value).matches() && entropy(value) >= ENTROPY_BITS && classes(value) >= 3) {
            return ScanRule.HIGH_ENTROPY;
        }
        return null;
    }

    /** The rules a line of any text breaks: private keys and AWS access key ids. */
    static List<ScanRule> checkLine(String line) {
        List<ScanRule> out = new ArrayList<>(1);
        if (line.contains("PRIVATE KEY-----") && PRIVATE_KEY.matcher(line).find()) {
            out.add(ScanRule.PRIVATE_KEY);
        }
        Matcher aws = AWS_KEY.matcher(line);
        while (aws.find()) {
            // AWS's documentation key (AKIAIOSFODNN7EXAMPLE) is everywhere, and no one's.
            if (!aws.group().endsWith("EXAMPLE")) {
                out.add(ScanRule.AWS_ACCESS_KEY);
                break;
            }
        }
        return out;
    }

    /** Encrypted, a reference or an expression resolved elsewhere: not a plaintext. */
    private static boolean protectedValue(String value) {
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return value.startsWith("ENC(")
                || value.contains("${")
                || value.startsWith("{{")
                || lower.startsWith("{aes}")
                || lower.startsWith("{hash}")
                || lower.startsWith("{aes-256}");
    }

    /** Shannon entropy in bits per character. */
    static double entropy(String value) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        int n = value.length();
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / n;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = (double) other / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    /** How many of upper case, lower case and digits a value has: hex digests and words have fewer than three. */
    private static int classes(String value) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
        }
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0);
    }
}
