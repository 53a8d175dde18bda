package io.mpsecrets.api.backend;

/**
 * Bounds on JSON read from outside (a store's answer, a secret's value, a keyring file) checked before it is parsed:
 * a JSON-P parser builds nested objects recursively, so 100,000 nested brackets would end in a StackOverflowError.
 */
public final class JsonLimits {

    /** Deeper than any secret, keyring or service answer mp-secrets reads. */
    public static final int MAX_DEPTH = 64;

    private JsonLimits() {}

    /**
     * Whether {@code json} nests objects and arrays at most {@link #MAX_DEPTH} deep (strings are skipped). One pass, no
     * recursion and no allocation, so it is safe on any input.
     *
     * @param json the text, in UTF-8 or any other encoding that keeps ASCII as it is
     * @return true when no bracket is deeper than {@link #MAX_DEPTH}, brackets inside strings not counted; it does not
     *         check that the text is well formed, which the parser does
     */
    public static boolean shallow(byte[] json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return true;
    }
}
