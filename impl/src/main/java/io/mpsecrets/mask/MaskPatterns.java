package io.mpsecrets.mask;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms in which a value commonly reaches a log: as it is, URL-encoded (a password in a JDBC or HTTP URL, with
 * {@code +} or {@code %20} for a space), JSON-escaped (a configuration dump), and base64 (an HTTP Basic header, a
 * token): base64 of a value inside a longer byte string depends on where it starts, so for each of the three
 * alignments only the characters that depend on the value's bytes alone are kept. Forms shorter than the minimum
 * length are left out, and so is every form of a value itself shorter than it: masking a short value would mask
 * ordinary words.
 */
public final class MaskPatterns {

    private MaskPatterns() {}

    /** The forms of {@code value} worth finding in a log, each at least {@code minLength} characters long. */
    public static Set<String> of(String value, int minLength) {
        Set<String> forms = new LinkedHashSet<>();
        if (value.length() < minLength) {
            return forms;
        }
        forms.add(value);
        String urlEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(urlEncoded);
        forms.add(urlEncoded.replace("+", "%20"));
        forms.add(jsonEscaped(value));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int shift = 0; shift < 3; shift++) {
            String core = base64Core(bytes, shift);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        forms.removeIf(form -> form.length() < minLength);
        return forms;
    }

    /**
     * The base64 characters of {@code bytes} placed {@code shift} bytes into a byte string that depend on those bytes
     * only: characters cover six bits each, so those straddling the bytes before or after are dropped.
     */
    static String base64Core(byte[] bytes, int shift) {
        byte[] shifted = new byte[shift + bytes.length];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
        int first = (8 * shift + 5) / 6;
        int end = 8 * (shift + bytes.length) / 6;
        return first >= end ? "" : encoded.substring(first, end);
    }

    /** {@code value} as a JSON string's content: quote, backslash and control characters escaped. */
    static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
