package io.mpsecrets.mask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every one of many strings in a text in one pass and replaces each by its marker: a multi-pattern Rabin-Karp
 * over a window as long as the shortest pattern. At each position of the text the window's rolling hash is tested
 * against a bit filter of the patterns' window hashes (one load and one bit test, what almost every position costs),
 * and only on a hit are the patterns with that window compared. Chosen over Aho-Corasick because its memory is a few
 * words per pattern, not a transition per character of every pattern, and because a log line that matches nothing,
 * the common case, costs a multiply and a bit test per character. Where several patterns match at one position the
 * longest wins; the scan goes on after it. Immutable: a new matcher is built when the patterns change.
 */
final class SecretMatcher {

    /** A string to find and the marker that replaces it. */
    record Pattern(String text, String marker) {}

    static final SecretMatcher EMPTY = new SecretMatcher(Map.of());

    private static final long BASE = 0x100000001b3L;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** Text to find, its marker: kept to build a {@link #union} of matchers. */
    private final Map<String, String> markers;

    private final int window;
    private final long power;
    private final int filterBits;
    private final long[] filter;
    private final int tableBits;
    private final long[] tableHashes;
    /** Per table slot, the patterns whose window has that hash, longest first; null for an empty slot. */
    private final Pattern[][] tablePatterns;

    private SecretMatcher(Map<String, String> markers) {
        this.markers = Map.copyOf(markers);
        List<Pattern> patterns = new ArrayList<>();
        markers.forEach((text, marker) -> patterns.add(new Pattern(text, marker)));
        int shortest = Integer.MAX_VALUE;
        for (Pattern pattern : patterns) {
            shortest = Math.min(shortest, pattern.text().length());
        }
        this.window = patterns.isEmpty() ? 0 : shortest;
        this.power = power(window);
        // About 16 filter bits per pattern: a text position passes the filter by chance about once in 16 / patterns.
        this.filterBits = Math.max(10, bitsFor(patterns.size() * 16L));
        this.filter = new long[Math.max(1, (1 << filterBits) >>> 6)];
        this.tableBits = Math.max(4, bitsFor(patterns.size() * 2L));
        this.tableHashes = new long[1 << tableBits];
        this.tablePatterns = new Pattern[1 << tableBits][];
        Map<Long, List<Pattern>> byHash = new LinkedHashMap<>();
        for (Pattern pattern : patterns) {
            long hash = hash(pattern.text(), 0, window);
            byHash.computeIfAbsent(hash, h -> new ArrayList<>()).add(pattern);
        }
        byHash.forEach((hash, same) -> {
            int bit = slot(hash, filterBits);
            filter[bit >>> 6] |= 1L << bit;
            same.sort(Comparator.comparingInt((Pattern q) -> q.text().length()).reversed());
            int slot = slot(hash, tableBits);
            while (tablePatterns[slot] != null) {
                slot = (slot + 1) & ((1 << tableBits) - 1);
            }
            tableHashes[slot] = hash;
            tablePatterns[slot] = same.toArray(Pattern[]::new);
        });
    }

    /** A matcher for {@code markers} (text to find, its marker); texts must not be empty. */
    static SecretMatcher of(Map<String, String> markers) {
        for (String text : markers.keySet()) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("an empty pattern would match everywhere");
            }
        }
        return markers.isEmpty() ? EMPTY : new SecretMatcher(markers);
    }

    /**
     * One matcher finding what each of {@code matchers} finds, the longest at each position whichever it belongs to:
     * masking with one after the other would let a value that contains another's partly through.
     */
    static SecretMatcher union(SecretMatcher... matchers) {
        Map<String, String> all = new LinkedHashMap<>();
        for (SecretMatcher matcher : matchers) {
            matcher.markers.forEach(all::putIfAbsent);
        }
        return of(all);
    }

    /** How many patterns this matcher finds. */
    int size() {
        return markers.size();
    }

    /** {@code text} with every pattern replaced by its marker; {@code text} itself when none occurs. */
    String mask(String text) {
        int n = text.length();
        if (window == 0 || n < window) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int at = 0;
        long hash = hash(text, 0, window);
        while (true) {
            int bit = slot(hash, filterBits);
            if ((filter[bit >>> 6] & (1L << bit)) != 0) {
                Pattern found = find(hash, text, at);
                if (found != null) {
                    if (out == null) {
                        out = new StringBuilder(n + 32);
                    }
                    out.append(text, copied, at).append(found.marker());
                    at += found.text().length();
                    copied = at;
                    if (at + window > n) {
                        break;
                    }
                    hash = hash(text, at, at + window);
                    continue;
                }
            }
            if (at + window >= n) {
                break;
            }
            hash = roll(hash, text.charAt(at), text.charAt(at + window), power);
            at++;
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    private Pattern find(long hash, String text, int at) {
        int mask = (1 << tableBits) - 1;
        for (int slot = slot(hash, tableBits); tablePatterns[slot] != null; slot = (slot + 1) & mask) {
            if (tableHashes[slot] == hash) {
                for (Pattern pattern : tablePatterns[slot]) {
                    if (text.startsWith(pattern.text(), at)) {
                        return pattern;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** The rolling hash of {@code text} from {@code from} to {@code to}: what windows are compared by. */
    static long hash(String text, int from, int to) {
        long hash = 0;
        for (int i = from; i < to; i++) {
            hash = hash * BASE + text.charAt(i);
        }
        return hash;
    }

    /** What {@link #roll} takes out with the character that leaves a window of {@code window} characters. */
    static long power(int window) {
        long power = 1;
        for (int i = 1; i < window; i++) {
            power *= BASE;
        }
        return power;
    }

    /** The hash of the window one character on: {@code out} leaves it, {@code in} enters. */
    static long roll(long hash, char out, char in, long power) {
        return (hash - out * power) * BASE + in;
    }

    private static int slot(long hash, int bits) {
        return (int) ((hash * MIX) >>> (64 - bits));
    }

    private static int bitsFor(long count) {
        return 64 - Long.numberOfLeadingZeros(Math.max(1, count - 1));
    }

    @Override
    public String toString() {
        // Never the patterns: they are secrets.
        return "SecretMatcher[" + size() + " patterns, window " + window + "]";
    }
}
