package io.mpsecrets.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code .properties} file as lines, so that values can be replaced while comments, blank lines, order,
 * spacing, line endings and every other entry stay byte for byte. Keys and values are read with
 * {@link Properties}' own rules (escapes, continuation lines), one logical line at a time.
 */
final class PropertiesFile {

    /**
     * One logical line: its text (continuations included) and, for an entry, its key, value and where the value starts.
     */
    record Line(String text, String key, String value, int valueStart, int lineNumber) {
        boolean isEntry() {
            return key != null;
        }
    }

    private final List<Line> lines;
    private final String lineSeparator;
    private final boolean finalSeparator;

    private PropertiesFile(List<Line> lines, String lineSeparator, boolean finalSeparator) {
        this.lines = lines;
        this.lineSeparator = lineSeparator;
        this.finalSeparator = finalSeparator;
    }

    /** Reads a file as UTF-8 (what MicroProfile Config reads microprofile-config.properties as). */
    static PropertiesFile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static PropertiesFile parse(String content) {
        String separator = content.contains("\r\n") ? "\r\n" : "\n";
        String[] physical = content.split("\r?\n", -1);
        List<Line> lines = new ArrayList<>();
        int i = 0;
        // A final separator yields an empty last element that is not a line.
        int count = content.endsWith("\n") ? physical.length - 1 : physical.length;
        while (i < count) {
            int first = i;
            StringBuilder logical = new StringBuilder(physical[i]);
            while (continues(physical[i]) && i + 1 < count && !isComment(physical[first])) {
                i++;
                logical.append(separator).append(physical[i]);
            }
            i++;
            lines.add(line(logical.toString(), first + 1));
        }
        return new PropertiesFile(lines, separator, content.endsWith("\n"));
    }

    private static Line line(String text, int lineNumber) {
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty() || isComment(text)) {
            return new Line(text, null, null, -1, lineNumber);
        }
        Properties one = new Properties();
        try {
            one.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return new Line(text, null, null, -1, lineNumber);
        }
        if (one.size() != 1) {
            return new Line(text, null, null, -1, lineNumber);
        }
        Map.Entry<Object, Object> entry = one.entrySet().iterator().next();
        return new Line(text, (String) entry.getKey(), (String) entry.getValue(), valueStart(text), lineNumber);
    }

    /** Where the value begins: after the key, the separator and the whitespace around it (Properties' rules). */
    private static int valueStart(String text) {
        int i = 0;
        while (i < text.length() && isWhitespace(text.charAt(i))) {
            i++;
        }
        boolean escaped = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '=' || c == ':' || isWhitespace(c)) {
                break;
            }
            i++;
        }
        while (i < text.length() && isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && (text.charAt(i) == '=' || text.charAt(i) == ':')) {
            i++;
            while (i < text.length() && isWhitespace(text.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    private static boolean isComment(String line) {
        String trimmed = line.stripLeading();
        return trimmed.startsWith("#") || trimmed.startsWith("!");
    }

    /** Ends with an odd number of backslashes: the logical line goes on. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    List<Line> lines() {
        return lines;
    }

    /**
     * Replaces an entry's value with text that needs no escaping (an ENC(...) value), keeping the key part as it was.
     */
    void replaceValue(int index, String value) {
        Line line = lines.get(index);
        lines.set(
                index,
                new Line(
                        line.text().substring(0, line.valueStart()) + value,
                        line.key(),
                        value,
                        line.valueStart(),
                        line.lineNumber()));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(lines.get(i).text());
            if (i < lines.size() - 1 || finalSeparator) {
                out.append(lineSeparator);
            }
        }
        return out.toString();
    }
}
