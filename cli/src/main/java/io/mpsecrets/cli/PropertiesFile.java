package io.mpsecrets.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@code .properties} file as lines, so that values can be replaced while comments, blank lines, order,
 * spacing, line endings and every other entry stay byte for byte. The file is read exactly as {@link Properties}
 * reads it (its line reader is followed step by step: line endings {@code \r\n}, {@code \n} or a lone {@code \r},
 * continuations, comments, the white space it skips), so that an entry's value is replaced where Properties finds
 * it; keys and values are decoded by Properties itself. Each physical line keeps its own ending.
 */
final class PropertiesFile {

    /**
     * One entry (a logical line, continuations included) or one other physical line (comment, blank): its text, its
     * ending, and for an entry its key, value, where the value starts in the text and whether a separator must be
     * written before a new value.
     */
    record Line(
            String text,
            String key,
            String value,
            int valueStart,
            int lineNumber,
            String ending,
            boolean needsSeparator) {
        boolean isEntry() {
            return key != null;
        }
    }

    /** A physical line: its text is {@code content[start, end)}, its ending {@code content[end, next)}. */
    private record Physical(int start, int end, int next) {}

    /** A logical line as Properties' line reader makes it: the characters it keeps and where each came from. */
    private record Logical(int firstLine, int lastLine, String chars, int[] offsets, int limitOffset) {}

    private final List<Line> lines;

    private PropertiesFile(List<Line> lines) {
        this.lines = lines;
    }

    /**
     * Reads a file as UTF-8 (what MicroProfile Config reads microprofile-config.properties as).
     *
     * @throws NotUtf8Exception naming the line of the first byte that is not UTF-8 (a Latin-1 file); never the byte,
     *     which may be part of a plaintext
     */
    static PropertiesFile read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // One UTF-8 byte never makes more than one char, so the output cannot overflow.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new NotUtf8Exception(file, lineOf(bytes, in.position()));
        }
        return parse(out.flip().toString());
    }

    /** The line (from 1) that byte {@code offset} is on, lines ending as Properties ends them. */
    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    /** A file that is not UTF-8: which line its first bad byte is on. */
    static final class NotUtf8Exception extends CharacterCodingException {
        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final int line;

        NotUtf8Exception(Path file, int line) {
            this.file = file;
            this.line = line;
        }

        Path file() {
            return file;
        }

        int line() {
            return line;
        }

        @Override
        public String getMessage() {
            return file + " line " + line + " is not UTF-8";
        }
    }

    static PropertiesFile parse(String content) {
        List<Physical> physical = physicalLines(content);
        List<Line> lines = new ArrayList<>();
        int next = 0;
        for (Logical logical : logicalLines(content, physical)) {
            for (; next < logical.firstLine(); next++) {
                lines.add(other(content, physical.get(next), next));
            }
            lines.add(entry(content, physical, logical));
            next = logical.lastLine() + 1;
        }
        for (; next < physical.size(); next++) {
            lines.add(other(content, physical.get(next), next));
        }
        return new PropertiesFile(lines);
    }

    private static Line other(String content, Physical line, int index) {
        return new Line(
                content.substring(line.start(), line.end()),
                null,
                null,
                -1,
                index + 1,
                content.substring(line.end(), line.next()),
                false);
    }

    /** The file's physical lines, ended as {@link Properties} ends them: {@code \r\n}, {@code \n} or {@code \r}. */
    private static List<Physical> physicalLines(String content) {
        List<Physical> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < content.length()) {
            char c = content.charAt(i);
            if (c == '\n' || c == '\r') {
                int next = c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                out.add(new Physical(start, i, next));
                start = next;
                i = next;
            } else {
                i++;
            }
        }
        if (start < content.length()) {
            out.add(new Physical(start, content.length(), content.length()));
        }
        return out;
    }

    /**
     * The logical lines, as {@code Properties.LineReader} makes them: leading white space of every physical line is
     * skipped; while nothing is kept yet, a line starting with {@code #} or {@code !} is a comment and a blank line is
     * nothing; a line ending in an odd number of backslashes goes on in the next one (the backslash dropped). A
     * logical line spans the physical lines from the one holding its first kept character to the one that ends it.
     */
    private static List<Logical> logicalLines(String content, List<Physical> physical) {
        List<Logical> out = new ArrayList<>();
        StringBuilder chars = new StringBuilder();
        int[] offsets = new int[16];
        int firstLine = -1;
        boolean precedingBackslash = false;
        for (int index = 0; index < physical.size(); index++) {
            Physical line = physical.get(index);
            int i = line.start();
            while (i < line.end() && isWhitespace(content.charAt(i))) {
                i++;
            }
            if (chars.length() == 0 && i < line.end() && (content.charAt(i) == '#' || content.charAt(i) == '!')) {
                continue;
            }
            for (; i < line.end(); i++) {
                char c = content.charAt(i);
                if (chars.length() == 0) {
                    firstLine = index;
                }
                if (chars.length() == offsets.length) {
                    offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
                }
                offsets[chars.length()] = i;
                chars.append(c);
                precedingBackslash = c == '\\' && !precedingBackslash;
            }
            if (chars.length() == 0) {
                continue;
            }
            boolean lastOfFile =
                    line.next() == line.end() || index == physical.size() - 1 && line.next() == content.length();
            int limitOffset = offsets[chars.length() - 1] + 1;
            if (precedingBackslash) {
                limitOffset = offsets[chars.length() - 1];
                chars.setLength(chars.length() - 1);
                precedingBackslash = false;
                if (!lastOfFile) {
                    continue; // goes on in the next physical line
                }
            }
            // At the end of the file even a line left empty by its continuation is one: Properties reads it as the
            // empty key with an empty value.
            out.add(new Logical(
                    firstLine,
                    index,
                    chars.toString(),
                    java.util.Arrays.copyOf(offsets, chars.length()),
                    chars.length() > 0 ? offsets[chars.length() - 1] + 1 : limitOffset));
            chars.setLength(0);
            if (lastOfFile) {
                break;
            }
        }
        return out;
    }

    /** An entry: key and value decoded by Properties; where the value starts found as {@code Properties.load0} does. */
    private static Line entry(String content, List<Physical> physical, Logical logical) {
        int start = physical.get(logical.firstLine()).start();
        Physical last = physical.get(logical.lastLine());
        String text = content.substring(start, last.end());
        String ending = content.substring(last.end(), last.next());
        Properties one = new Properties();
        try {
            one.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return new Line(text, null, null, -1, logical.firstLine() + 1, ending, false);
        }
        if (one.size() != 1) {
            return new Line(text, null, null, -1, logical.firstLine() + 1, ending, false);
        }
        String chars = logical.chars();
        int limit = chars.length();
        int keyLength = 0;
        int valueStart = limit;
        boolean hasSeparator = false;
        boolean precedingBackslash = false;
        while (keyLength < limit) {
            char c = chars.charAt(keyLength);
            if ((c == '=' || c == ':') && !precedingBackslash) {
                valueStart = keyLength + 1;
                hasSeparator = true;
                break;
            } else if (isWhitespace(c) && !precedingBackslash) {
                valueStart = keyLength + 1;
                break;
            }
            precedingBackslash = c == '\\' && !precedingBackslash;
            keyLength++;
        }
        while (valueStart < limit) {
            char c = chars.charAt(valueStart);
            if (!isWhitespace(c)) {
                if (!hasSeparator && (c == '=' || c == ':')) {
                    hasSeparator = true;
                } else {
                    break;
                }
            }
            valueStart++;
        }
        int valueOffset = valueStart < limit ? logical.offsets()[valueStart] : logical.limitOffset();
        Map.Entry<Object, Object> entry = one.entrySet().iterator().next();
        return new Line(
                text,
                (String) entry.getKey(),
                (String) entry.getValue(),
                valueOffset - start,
                logical.firstLine() + 1,
                ending,
                keyLength == limit);
    }

    /** Only the white space {@link Properties} skips: space, tab, form feed. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    List<Line> lines() {
        return lines;
    }

    /**
     * Replaces an entry's value with text that needs no escaping (an ENC(...) value), keeping everything before the
     * value as it was. A key written alone gets a separator.
     */
    void replaceValue(int index, String value) {
        Line line = lines.get(index);
        String head = line.text().substring(0, line.valueStart()) + (line.needsSeparator() ? "=" : "");
        lines.set(
                index,
                new Line(head + value, line.key(), value, head.length(), line.lineNumber(), line.ending(), false));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            out.append(line.text()).append(line.ending());
        }
        return out.toString();
    }
}
