package io.mpsecrets.kms.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Key ids read as {@link LocalKeyId}'s documentation says, checked against regular expressions of its grammar. */
class LocalKeyIdTest {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern VERSIONED = Pattern.compile("(.+)-([1-9][0-9]{0,8})");
    private static final Pattern ENDS_IN_NUMBER = Pattern.compile(".*-[0-9]+");

    @Test
    void namesAndVersionsReadAsTheGrammarSays() {
        List<String> ids = new ArrayList<>(List.of(
                "startup-1",
                "startup",
                "app-keys-12",
                "a",
                "a-0",
                "a-01",
                "a-1234567890",
                "a-123456789",
                "-1",
                "a--1",
                "a-",
                ".a-1",
                "a.b_c-d-7",
                "x".repeat(64) + "-3",
                "x".repeat(65) + "-3",
                "x".repeat(64),
                "x".repeat(65),
                "ä-1",
                "a b-1",
                "a-1-2",
                "a-b",
                "9-9",
                ""));
        Random random = new Random(7);
        String alphabet = "ab9Z0-._:ä ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            ids.add(id.toString());
        }
        for (String rest : ids) {
            assertEquals(byRegex(rest), LocalKeyId.parse("local:" + rest), rest);
            assertEquals(validByRegex(rest), LocalKeyId.validName(rest), rest);
        }
    }

    private static LocalKeyId byRegex(String rest) {
        Matcher versioned = VERSIONED.matcher(rest);
        if (versioned.matches() && validByRegex(versioned.group(1))) {
            return new LocalKeyId(versioned.group(1), OptionalInt.of(Integer.parseInt(versioned.group(2))));
        }
        return validByRegex(rest) ? new LocalKeyId(rest, OptionalInt.empty()) : null;
    }

    private static boolean validByRegex(String name) {
        return NAME.matcher(name).matches() && !ENDS_IN_NUMBER.matcher(name).matches();
    }
}
