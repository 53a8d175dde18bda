package io.mpsecrets.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back {@code name=value} fields as {@link io.mpsecrets.api.LogSafe#token} writes them (an audit line, the
 * {@code [property=... key=...]} of an exception message): a plain value up to the next space, a quoted one with
 * {@code \"}, {@code \\} and {@code \}{@code uXXXX} undone. A line that does not read back as fields, or names one
 * field twice, is an {@link IllegalArgumentException}: what a forged field would be.
 */
public final class LogTokens {

    private LogTokens() {}

    public static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            int equals = line.indexOf('=', i);
            if (equals <= i) {
                throw new IllegalArgumentException("no field name at " + i + ": " + line);
            }
            String name = line.substring(i, equals);
            if (name.contains(" ") || name.contains("\"")) {
                throw new IllegalArgumentException("not a field name: " + name);
            }
            i = equals + 1;
            StringBuilder value = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unterminated quote: " + line);
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        i++;
                        break;
                    }
                    if (c == '\\') {
                        char next = line.charAt(i + 1);
                        if (next == 'u') {
                            value.append((char) Integer.parseInt(line.substring(i + 2, i + 6), 16));
                            i += 6;
                        } else if (next == '"' || next == '\\') {
                            value.append(next);
                            i += 2;
                        } else {
                            throw new IllegalArgumentException("bad escape at " + i + ": " + line);
                        }
                    } else {
                        value.append(c);
                        i++;
                    }
                }
            } else {
                int space = line.indexOf(' ', i);
                int end = space < 0 ? line.length() : space;
                value.append(line, i, end);
                if (value.isEmpty() || value.indexOf("\"") >= 0 || value.indexOf("\\") >= 0) {
                    throw new IllegalArgumentException("not a plain value: " + value);
                }
                i = end;
            }
            if (fields.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("field " + name + " twice: " + line);
            }
            if (i < line.length()) {
                if (line.charAt(i) != ' ') {
                    throw new IllegalArgumentException("no space after a field at " + i + ": " + line);
                }
                i++;
            }
        }
        return fields;
    }
}
