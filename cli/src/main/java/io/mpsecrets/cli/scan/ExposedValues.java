package io.mpsecrets.cli.scan;

import io.mpsecrets.mask.MaskPatterns;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The application's own secret values, held only as keyed fingerprints so that a scan keeps no value: for each form
 * of each value (as it is, URL-encoded, JSON-escaped, base64 at each alignment), an HMAC-SHA256 under a key made for
 * this run, and a hash of its first characters under a random base (a universal hash: the prefilter). A line is
 * scanned with the prefilter's rolling hash; a window that passes it is compared by its HMAC. Values shorter than
 * the minimum length are not looked for (they would match ordinary words).
 */
final class ExposedValues {

    /** One form of one value: its length, its HMAC and the property it belongs to. */
    private record Print(int length, byte[] hmac, String property) {}

    private final SecretKeySpec key;
    private final long base;
    private final int window;
    private final long power;
    private final Map<Long, List<Print>> byPrefix = new HashMap<>();

    private ExposedValues(Map<String, String> values, int minLength) {
        SecureRandom random = new SecureRandom();
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.base = random.nextLong() | 1;
        this.window = minLength;
        long p = 1;
        for (int i = 1; i < window; i++) {
            p *= base;
        }
        this.power = p;
        values.forEach((property, value) -> {
            for (String form : MaskPatterns.of(value, minLength)) {
                byPrefix.computeIfAbsent(hash(form, 0), h -> new ArrayList<>())
                        .add(new Print(form.length(), hmac(form), property));
            }
        });
    }

    /** Fingerprints of {@code values} (property to value); the values are not kept. */
    static ExposedValues of(Map<String, String> values, int minLength) {
        return new ExposedValues(values, minLength);
    }

    /** How many forms are looked for. */
    int size() {
        return byPrefix.values().stream().mapToInt(List::size).sum();
    }

    /** The properties whose values occur in {@code line}, each once, in the order found. */
    Set<String> find(String line) {
        Set<String> found = new LinkedHashSet<>();
        int n = line.length();
        if (byPrefix.isEmpty() || n < window) {
            return found;
        }
        long hash = hash(line, 0);
        for (int at = 0; ; at++) {
            List<Print> candidates = byPrefix.get(hash);
            if (candidates != null) {
                for (Print print : candidates) {
                    if (at + print.length() <= n
                            && MessageDigest.isEqual(print.hmac(), hmac(line.substring(at, at + print.length())))) {
                        found.add(print.property());
                    }
                }
            }
            if (at + window >= n) {
                return found;
            }
            hash = (hash - line.charAt(at) * power) * base + line.charAt(at + window);
        }
    }

    private long hash(String text, int from) {
        long hash = 0;
        for (int i = from; i < from + window; i++) {
            hash = hash * base + text.charAt(i);
        }
        return hash;
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ExposedValues[" + size() + " forms]";
    }
}
