package io.mpsecrets.api;

/**
 * Makes text from configuration or a remote service safe to put on one log line or in an exception message: every
 * control character, line and paragraph separator ({@code U+0085}, {@code U+2028}, {@code U+2029}) and
 * bidirectional formatting character (which reorders what a reader sees) is written as {@code \}{@code uXXXX}. A
 * property name with a line break cannot forge a log line, and an escape sequence cannot recolour a terminal.
 */
public final class LogSafe {

    private LogSafe() {}

    /** {@code text} with every unsafe character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code c} must not reach a log line as it is. */
    public static boolean unsafe(char c) {
        return Character.isISOControl(c)
                || c == '\u2028'
                || c == '\u2029'
                || c == '\u200e'
                || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
