package io.mpsecrets.kms.local;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key ids of the local keyring: {@code local} (the configured keyring's newest key), {@code local:<name>} (the
 * newest key of the keyring called name) and {@code local:<name>-<version>} (one key version; what values store).
 */
record LocalKeyId(String name, OptionalInt version) {

    static final String PREFIX = "local";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VERSIONED = Pattern.compile("(.+)-([1-9][0-9]{0,8})");
    private static final Pattern ENDS_IN_NUMBER = Pattern.compile(".*-[0-9]+");

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
        Matcher versioned = VERSIONED.matcher(rest);
        if (versioned.matches() && validName(versioned.group(1))) {
            return new LocalKeyId(versioned.group(1), OptionalInt.of(Integer.parseInt(versioned.group(2))));
        }
        return validName(rest) ? new LocalKeyId(rest, OptionalInt.empty()) : null;
    }

    /**
     * A keyring name: letters, digits, dot, underscore, dash; not ending in {@code -<digits>}, which reads as a
     * version.
     */
    static boolean validName(String name) {
        return name != null
                && NAME.matcher(name).matches()
                && !ENDS_IN_NUMBER.matcher(name).matches();
    }

    static String of(String name, int version) {
        return PREFIX + ":" + name + "-" + version;
    }
}
