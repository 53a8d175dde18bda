package io.mpsecrets.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The matcher finds what a naive search finds: every occurrence, leftmost first, the longest at each position. */
class SecretMatcherTest {

    @Test
    void replacesEveryOccurrenceAndLeavesATextWithoutOneAsItIs() {
        SecretMatcher matcher = SecretMatcher.of(Map.of("hunter22", "[a]", "Sw0rdfish!", "[b]"));
        assertThat(matcher.mask("hunter22")).isEqualTo("[a]");
        assertThat(matcher.mask("x=hunter22&y=Sw0rdfish!&z=hunter22")).isEqualTo("x=[a]&y=[b]&z=[a]");
        assertThat(matcher.mask("hunter22hunter22")).isEqualTo("[a][a]");
        String clean = "nothing to see: hunter2 is shorter";
        assertThat(matcher.mask(clean)).isSameAs(clean);
        assertThat(matcher.mask("")).isEmpty();
        assertThat(SecretMatcher.EMPTY.mask(clean)).isSameAs(clean);
    }

    @Test
    void theLongestPatternAtAPositionWins() {
        SecretMatcher matcher = SecretMatcher.of(Map.of("abcdef", "[short]", "abcdefghij", "[long]"));
        assertThat(matcher.mask("..abcdefghij..abcdefxx")).isEqualTo("..[long]..[short]xx");
    }

    @Test
    void aUnionMasksAValueThatContainsAnotherMatchersValueWhole() {
        SecretMatcher inner = SecretMatcher.of(Map.of("canary-value", "[inner]"));
        SecretMatcher outer = SecretMatcher.of(Map.of("pw-canary-value-x", "[outer]"));
        // One after the other would leave "pw-" and "-x" of the outer value: the union does not.
        assertThat(outer.mask(inner.mask("a pw-canary-value-x"))).isEqualTo("a pw-[inner]-x");
        assertThat(SecretMatcher.union(inner, outer).mask("a pw-canary-value-x and canary-value"))
                .isEqualTo("a [outer] and [inner]");
    }

    @Test
    void anEmptyPatternIsRefused() {
        assertThatThrownBy(() -> SecretMatcher.of(Map.of("", "[x]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itsStringFormNamesNoPattern() {
        assertThat(SecretMatcher.of(Map.of("hunter22", "[a]")).toString())
                .doesNotContain("hunter22")
                .contains("1 patterns");
    }

    /** Random patterns over a small alphabet (so that they overlap and share windows) against a naive search. */
    @Test
    void agreesWithANaiveSearchOnRandomTexts() {
        Random random = new Random(20261205);
        for (int round = 0; round < 300; round++) {
            Map<String, String> patterns = new LinkedHashMap<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                patterns.put(random(random, "abcd", 3 + random.nextInt(8)), "[" + i + "]");
            }
            SecretMatcher matcher = SecretMatcher.of(patterns);
            for (int t = 0; t < 20; t++) {
                String text = random(random, "abcde", random.nextInt(200));
                assertThat(matcher.mask(text)).as(text).isEqualTo(naive(patterns, text));
            }
        }
    }

    @Test
    void findsEachOfAThousandRandomSecretsInALongText() {
        Random random = new Random(7);
        Map<String, String> patterns = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String secret = random(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 20);
            patterns.put(secret, "[" + i + "]");
            text.append("line ").append(i).append(": ").append(secret).append('\n');
            expected.append("line ").append(i).append(": [").append(i).append("]\n");
        }
        assertThat(SecretMatcher.of(patterns).mask(text.toString())).isEqualTo(expected.toString());
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String naive(Map<String, String> patterns, String text) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            String best = null;
            for (String pattern : patterns.keySet()) {
                if (text.startsWith(pattern, at) && (best == null || pattern.length() > best.length())) {
                    best = pattern;
                }
            }
            if (best == null) {
                out.append(text.charAt(at++));
            } else {
                out.append(patterns.get(best));
                at += best.length();
            }
        }
        return out.toString();
    }
}
