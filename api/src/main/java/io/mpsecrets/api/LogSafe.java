package io.mpsecrets.api;

/**
 * Makes text from configuration or a remote service safe to put on one log line or in an exception message: every
 * character that is not visible as itself is written as {@code \}{@code uXXXX} (a character outside the Basic
 * Multilingual Plane as its two UTF-16 units). A property name with a line break cannot forge a log line, an escape
 * sequence cannot recolour a terminal, a bidirectional override cannot reorder what a reader sees, and a zero-width
 * character cannot make {@code db.pass}{@code \}{@code u200bword} read as {@code db.password}.
 *
 * <p>{@link #escape} is for free text (details, paths); {@link #token} is for a name or value that must read back as
 * exactly one thing, in {@code name=value} fields and wherever a name is printed beside other words.
 */
public final class LogSafe {

    private LogSafe() {}

    /**
     * {@code text} with every unsafe character escaped; null stays null. Escaping escaped text changes nothing.
     *
     * @param text free text from configuration or a service (a detail, a path), or null
     * @return the text with each unsafe character as {@code \}{@code uXXXX}; the same instance when nothing needed
     *         escaping
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        appendEscaped(out, text, first, false);
        return out.toString();
    }

    /**
     * {@code text} as one unambiguous token: as it is when it is not empty and made only of printable ASCII other than
     * space, {@code "}, {@code =} and {@code \} (what property names, key ids and times are made of, so they stay
     * readable: {@code db.password}); otherwise in double quotes, with {@code "} and {@code \} escaped by a
     * backslash and every unsafe character as {@code \}{@code uXXXX}. So a name cannot end its field and forge the
     * next ({@code a key=forged} prints as {@code "a key=forged"}), a name's own backslashes cannot pose as an escape,
     * and a name with anything beyond ASCII (a look-alike letter, an invisible character) is never printed the way a
     * plain ASCII name is. Null prints as {@code null}.
     *
     * @param text a name or value to print as one token, or null
     * @return the text as it is when it is plain, otherwise quoted and escaped; the four letters {@code null} for null
     */
    public static String token(String text) {
        if (text == null) {
            return "null";
        }
        if (plain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append('"');
        appendEscaped(out, text, 0, true);
        return out.append('"').toString();
    }

    /**
     * Whether {@code c} must not reach a log line as it is. A surrogate alone is unsafe; {@link #escape} and
     * {@link #token} judge a surrogate pair by the character it makes ({@link #unsafe(int)}).
     *
     * @param c one UTF-16 unit
     * @return whether it must be escaped; true for every surrogate, since one unit cannot show it is half of a pair
     */
    public static boolean unsafe(char c) {
        return unsafe((int) c);
    }

    /**
     * Whether the character {@code codePoint} must not reach a log line as it is: controls; line and paragraph
     * separators; every format character (bidirectional controls {@code U+200E}, {@code U+200F}, {@code U+202A}-{@code
     * U+202E}, {@code U+2066}-{@code U+2069}, {@code U+061C}; zero-width {@code U+200B}-{@code U+200D}, {@code
     * U+2060}-{@code U+2064}, {@code U+FEFF}; the soft hyphen; tag characters); spaces other than {@code U+0020};
     * characters that print as nothing (fillers, variation selectors, the combining grapheme joiner); a surrogate
     * that is not half of a pair; private-use and unassigned code points, whose look no one can tell.
     *
     * @param codePoint a Unicode code point
     * @return whether it must be escaped; false for the plain space {@code U+0020} and every character that shows
     *         itself
     */
    public static boolean unsafe(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED:
                return true;
            case Character.SPACE_SEPARATOR:
                return codePoint != ' ';
            default:
                return invisible(codePoint);
        }
    }

    /** Letters and marks that print as nothing. */
    private static boolean invisible(int c) {
        return c == 0x034f
                || c == 0x115f
                || c == 0x1160
                || c == 0x17b4
                || c == 0x17b5
                || (c >= 0x180b && c <= 0x180f)
                || c == 0x3164
                || (c >= 0xfe00 && c <= 0xfe0f)
                || c == 0xffa0
                || (c >= 0xe0100 && c <= 0xe01ef);
    }

    private static boolean plain(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '=' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code text} from {@code start}, unsafe characters escaped (and, quoted, {@code "} and {@code \}). */
    private static void appendEscaped(StringBuilder out, String text, int start, boolean quoted) {
        for (int i = start; i < text.length(); ) {
            int c = text.codePointAt(i);
            int length = Character.charCount(c);
            if (quoted && (c == '"' || c == '\\')) {
                out.append('\\').append((char) c);
            } else if (unsafe(c)) {
                for (int unit = i; unit < i + length; unit++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(unit)));
                }
            } else {
                out.append(text, i, i + length);
            }
            i += length;
        }
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (unsafe(c)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }
}
