package io.mpsecrets.testkit.vault;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An ACL policy in Vault's policy language, as far as tests use it: {@code path "<glob>" { capabilities = [...] }}
 * blocks and {@code #} comments. Anything else Vault's language has ({@code //} and {@code /* *\/} comments,
 * {@code allowed_parameters}, {@code policy = "read"}, the JSON form) is refused with Vault's 400 ({@code failed to
 * parse policy: ...}) naming the line and column, rather than half-understood: a test that relied on a refused rule
 * would pass or fail for the wrong reason. Capabilities are Vault's; a path's leading {@code /} is dropped, as Vault
 * does. Matching is {@link Acl}'s.
 */
final class VaultPolicy {

    /** The capabilities Vault's parser accepts. */
    static final Set<String> CAPABILITIES =
            Set.of("create", "read", "update", "patch", "delete", "list", "sudo", "deny", "subscribe", "recover");

    /** Bounds on what one policy may hold. */
    static final int MAX_TEXT = 1 << 20;

    static final int MAX_PATHS = 10_000;

    /** One path block: a path (a trailing {@code *} is a prefix glob, a {@code +} segment matches one segment). */
    record PathRule(String path, Set<String> capabilities) {
        PathRule {
            capabilities = Set.copyOf(capabilities);
        }
    }

    private final String name;
    private final String text;
    private final List<PathRule> rules;

    private VaultPolicy(String name, String text, List<PathRule> rules) {
        this.name = name;
        this.text = text;
        this.rules = List.copyOf(rules);
    }

    /** Parses {@code text}; a text outside the subset is Vault's 400 with where and what. */
    static VaultPolicy parse(String name, String text) throws VaultError {
        if (text.length() > MAX_TEXT) {
            throw new VaultError(400, "failed to parse policy: longer than " + MAX_TEXT + " characters");
        }
        return new VaultPolicy(name, text, new Parser(text).policy());
    }

    /** A policy made through the Java API: its text is written out so that {@code sys/policies/acl} shows it. */
    static VaultPolicy of(String name, List<PathRule> rules) {
        StringBuilder text = new StringBuilder();
        for (PathRule rule : rules) {
            List<String> capabilities = new ArrayList<>(rule.capabilities());
            capabilities.sort(null);
            text.append("path ").append(quote(rule.path())).append(" {\n  capabilities = [");
            for (int i = 0; i < capabilities.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(quote(capabilities.get(i)));
            }
            text.append("]\n}\n");
        }
        return new VaultPolicy(name, text.toString(), rules);
    }

    /** This policy with one more path block (the Java API adds a rule at a time). */
    VaultPolicy with(PathRule rule) {
        List<PathRule> more = new ArrayList<>(rules);
        more.add(rule);
        return of(name, more);
    }

    String name() {
        return name;
    }

    String text() {
        return text;
    }

    List<PathRule> rules() {
        return rules;
    }

    /** A capability name the Java API was given, checked as Vault's parser checks it. */
    static String capability(String capability) {
        if (!CAPABILITIES.contains(capability)) {
            throw new IllegalArgumentException(
                    "not a Vault capability: " + capability + " (Vault's: " + CAPABILITIES + ")");
        }
        return capability;
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A path or capability as an error names it: quoted, and cut short (the text may be long). */
    private static String shown(String value) {
        return quote(value.length() > 80 ? value.substring(0, 80) + "..." : value);
    }

    /** A strict reader of the subset; positions are 1-based lines and columns. */
    private static final class Parser {
        private static final String SUBSET =
                "the mock Vault takes path blocks with a capabilities list, and # comments, only";

        private final String s;
        private int at;
        private int line = 1;
        private int column = 1;

        Parser(String s) {
            this.s = s;
        }

        List<PathRule> policy() throws VaultError {
            List<PathRule> rules = new ArrayList<>();
            while (true) {
                space();
                if (at == s.length()) {
                    return rules;
                }
                int wordLine = line;
                int wordColumn = column;
                String word = word();
                if (!word.equals("path")) {
                    throw refusal(wordLine, wordColumn, "unsupported key \"" + word + "\" (" + SUBSET + ")");
                }
                space();
                String path = string();
                space();
                expect('{');
                Set<String> capabilities = null;
                while (true) {
                    space();
                    if (peek() == '}') {
                        advance();
                        break;
                    }
                    int keyLine = line;
                    int keyColumn = column;
                    String key = word();
                    if (!key.equals("capabilities")) {
                        throw refusal(
                                keyLine,
                                keyColumn,
                                "unsupported key \"" + key + "\" in path " + shown(path) + " (" + SUBSET + ")");
                    }
                    if (capabilities != null) {
                        throw refusal(keyLine, keyColumn, "path " + shown(path) + " has capabilities twice");
                    }
                    space();
                    expect('=');
                    space();
                    capabilities = list(path);
                }
                if (capabilities == null) {
                    throw refusal(line, column, "path " + shown(path) + " has no capabilities");
                }
                if (rules.size() == MAX_PATHS) {
                    throw refusal(line, column, "more than " + MAX_PATHS + " paths");
                }
                rules.add(new PathRule(path.startsWith("/") ? path.substring(1) : path, capabilities));
            }
        }

        private Set<String> list(String path) throws VaultError {
            expect('[');
            Set<String> capabilities = new LinkedHashSet<>();
            space();
            if (peek() == ']') {
                advance();
                return capabilities;
            }
            while (true) {
                space();
                int capabilityLine = line;
                int capabilityColumn = column;
                String capability = string();
                if (!CAPABILITIES.contains(capability)) {
                    // Vault's own wording for this one
                    throw refusal(
                            capabilityLine,
                            capabilityColumn,
                            "path " + shown(path) + ": invalid capability " + shown(capability));
                }
                capabilities.add(capability);
                space();
                if (peek() == ',') {
                    advance();
                    space();
                    if (peek() == ']') {
                        advance();
                        return capabilities;
                    }
                } else if (peek() == ']') {
                    advance();
                    return capabilities;
                } else {
                    throw unexpected("',' or ']'");
                }
            }
        }

        /** Spaces, line ends and {@code #} comments. */
        private void space() {
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c == '#') {
                    while (at < s.length() && s.charAt(at) != '\n') {
                        advance();
                    }
                } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    advance();
                } else {
                    return;
                }
            }
        }

        private String word() throws VaultError {
            int start = at;
            while (at < s.length()
                    && at - start < 64
                    && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_' || s.charAt(at) == '-')) {
                advance();
            }
            if (at == start) {
                throw unexpected("a key");
            }
            return s.substring(start, at);
        }

        private String string() throws VaultError {
            int startLine = line;
            int startColumn = column;
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at == s.length()) {
                    throw refusal(startLine, startColumn, "unterminated string");
                }
                char c = s.charAt(at);
                if (c == '"') {
                    advance();
                    return out.toString();
                }
                if (c == '\n') {
                    throw refusal(startLine, startColumn, "line end in a string");
                }
                if (c == '\\') {
                    advance();
                    char escaped = at < s.length() ? s.charAt(at) : '\0';
                    switch (escaped) {
                        case '"', '\\' -> out.append(escaped);
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        default -> throw refusal(line, column, "unsupported escape in a string");
                    }
                    advance();
                    continue;
                }
                out.append(c);
                advance();
            }
        }

        private void expect(char wanted) throws VaultError {
            if (peek() != wanted) {
                throw unexpected("'" + wanted + "'");
            }
            advance();
        }

        private char peek() {
            return at < s.length() ? s.charAt(at) : '\0';
        }

        private void advance() {
            if (s.charAt(at) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            at++;
        }

        private VaultError unexpected(String wanted) {
            String found = at == s.length() ? "the end" : describe(s.charAt(at));
            return refusal(line, column, "expected " + wanted + ", found " + found + " (" + SUBSET + ")");
        }

        private static String describe(char c) {
            return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
        }

        private static VaultError refusal(int line, int column, String what) {
            return new VaultError(400, "failed to parse policy: line " + line + ", column " + column + ": " + what);
        }
    }
}
