package io.mpsecrets.validate;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Values that are somebody's reminder to put a secret there, not a secret. */
public final class Placeholders {

    private static final Set<String> WORDS = Set.of(
            "changeme",
            "change-me",
            "change_me",
            "changeit",
            "password",
            "passw0rd",
            "secret",
            "example",
            "todo",
            "tbd",
            "fixme",
            "default",
            "admin",
            "root",
            "test",
            "dummy",
            "placeholder",
            "null",
            "none",
            "empty",
            "123456",
            "12345678",
            "123456789",
            "qwerty",
            "letmein",
            "s3cr3t");
    private static final Pattern PATTERNS = Pattern.compile(
            "your[-_ .].*|x{3,}|<.*>|\\$\\{.*}|.*example.*|todo.*|fixme.*|change.?me.*|(.)\\1{2,}|.*placeholder.*");

    private Placeholders() {}

    public static boolean isPlaceholder(String value, Set<String> extra) {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        return WORDS.contains(normalized)
                || extra.contains(normalized)
                || PATTERNS.matcher(normalized).matches();
    }
}
