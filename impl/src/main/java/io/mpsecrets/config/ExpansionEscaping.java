package io.mpsecrets.config;

/**
 * How a plaintext the portable source hands out survives the MicroProfile Config implementation's own
 * {@code ${...}} expansion, which runs on every value a source returns. The specification only promises that
 * {@code \${} is not expanded; implementations differ beyond that (Payara's drops a backslash before each of
 * {@code $ { }}). So the portable source does not assume: it answers two reserved properties of its own and reads
 * them back through the implementation once. {@link #EXPRESSION_PROBE} holds an expression for {@link #TARGET}:
 * whether it comes back expanded says whether the implementation expands at all; {@link #PROBE} holds
 * {@link #ESCAPED_SAMPLE}: whether it comes back as {@link #SAMPLE} says whether the implementation undoes
 * {@link #escape}.
 */
enum ExpansionEscaping {
    /** The implementation expands values and undoes {@link #escape}: plaintexts are escaped. */
    ESCAPED,
    /** The implementation hands values out as sources give them (expansion off): plaintexts go as they are. */
    RAW,
    /**
     * Neither: a plaintext holding {@code \ $ { }} cannot be handed through unchanged, so reading one fails instead
     * of reaching the application expanded.
     */
    UNSAFE;

    /** Reserved names no config source holds (control characters), each read once per config. */
    static final String PROBE = SecretTag.START + "mpsecrets-escape-probe" + SecretTag.END;

    static final String EXPRESSION_PROBE = SecretTag.START + "mpsecrets-expression-probe" + SecretTag.END;
    static final String TARGET = SecretTag.START + "mpsecrets-expression-target" + SecretTag.END;
    static final String TARGET_VALUE = "expanded";
    static final String EXPRESSION = "${" + TARGET + "}";

    /** Every case that matters: backslashes before and away from specials, an expression, escapes, a last \. */
    static final String SAMPLE = "a\\b$c{d}e${f}g\\${h}i$${j}k\\\\$l{}\\";

    static final String ESCAPED_SAMPLE = escape(SAMPLE);

    /** What a source answers for a probe name, or null for another name. */
    static String probeAnswer(String name) {
        if (name.equals(PROBE)) {
            return ESCAPED_SAMPLE;
        }
        if (name.equals(EXPRESSION_PROBE)) {
            return EXPRESSION;
        }
        return name.equals(TARGET) ? TARGET_VALUE : null;
    }

    /**
     * The way that holds for an implementation that read {@link #EXPRESSION_PROBE} as {@code expression} and
     * {@link #PROBE} as {@code escaped} (each null where the read failed).
     */
    static ExpansionEscaping of(String expression, String escaped) {
        if (EXPRESSION.equals(expression)) {
            return RAW;
        }
        return TARGET_VALUE.equals(expression) && SAMPLE.equals(escaped) ? ESCAPED : UNSAFE;
    }

    /** Each of {@code $ { }} prefixed with a backslash; a backslash before another backslash stays as it is. */
    static String escape(String plaintext) {
        StringBuilder out = null;
        for (int i = 0; i < plaintext.length(); i++) {
            char c = plaintext.charAt(i);
            if (special(c)) {
                if (out == null) {
                    out = new StringBuilder(plaintext.length() + 8).append(plaintext, 0, i);
                }
                out.append('\\');
            }
            if (out != null) {
                out.append(c);
            }
        }
        return out == null ? plaintext : out.toString();
    }

    static boolean special(char c) {
        return c == '$' || c == '{' || c == '}';
    }

    /** Whether a plaintext would come out of the implementation changed, where no escaping is known. */
    static boolean unsafe(String plaintext) {
        for (int i = 0; i < plaintext.length(); i++) {
            char c = plaintext.charAt(i);
            if (special(c) || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
