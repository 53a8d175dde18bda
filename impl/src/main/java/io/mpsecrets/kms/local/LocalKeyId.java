package io.mpsecrets.kms.local;

import java.util.OptionalInt;

/**
 * Key ids of the local keyring: {@code local} (the configured keyring's newest key), {@code local:<name>} (the
 * newest key of the keyring called name) and {@code local:<name>-<version>} (one key version; what values store).
 */
record LocalKeyId(String name, OptionalInt version) {

    static final String PREFIX = "local";
    private static final int MAX_NAME = 64;
    private static final int MAX_VERSION_DIGITS = 9;

    static boolean handles(String keyId) {
        return keyId.equals(PREFIX) || keyId.startsWith(PREFIX + ":");
    }

    /** Parses a local key id; null when it is not one. {@code local} alone yields a null name. */
    static LocalKeyId parse(String keyId) {
        if (keyId.equals(PREFIX)) {
            return new LocalKeyId(null, OptionalInt.empty());
        }
        if (!keyId.startsWith(PREFIX + ":")) {
            return null;
        }
        String rest = keyId.substring(PREFIX.length() + 1);
        // <name>-<version>: the version is what follows the last dash, 1-9 digits not starting with 0.
        int dash = rest.lastIndexOf('-');
        if (dash > 0) {
            String name = rest.substring(0, dash);
            String version = rest.substring(dash + 1);
            if (isVersion(version) && validName(name)) {
                return new LocalKeyId(name, OptionalInt.of(Integer.parseInt(version)));
            }
        }
        return validName(rest) ? new LocalKeyId(rest, OptionalInt.empty()) : null;
    }

    /**
     * A keyring name: 1-64 ASCII letters, digits, dots, underscores and dashes, starting with a letter or digit; not
     * ending in {@code -<digits>}, which reads as a version. (Checked character by character, not by regular
     * expressions: this runs on every start-up, before any log line needs {@code java.util.regex}.)
     */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || !isLetterOrDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        int dash = name.lastIndexOf('-');
        return dash < 0 || !allDigits(name, dash + 1);
    }

    private static boolean isVersion(String text) {
        return !text.isEmpty() && text.length() <= MAX_VERSION_DIGITS && text.charAt(0) != '0' && allDigits(text, 0);
    }

    /** Whether {@code text} from {@code from} on is one or more ASCII digits. */
    private static boolean allDigits(String text, int from) {
        if (from >= text.length()) {
            return false;
        }
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static String of(String name, int version) {
        return PREFIX + ":" + name + "-" + version;
    }
}
