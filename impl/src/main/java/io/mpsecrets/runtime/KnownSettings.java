package io.mpsecrets.runtime;

import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every {@code mpsecrets.*} setting that means something here: the core's, those every store has, and those the
 * backends on the class path declare ({@code settingNames()}; a backend that declares none owns every name under its
 * prefix). A setting that is none of them is reported at start-up with the nearest known name, so a typo
 * ({@code mpsecrets.vault.role} for {@code mpsecrets.vault.kubernetes.role}) does not pass in silence. Names are
 * compared as MicroProfile Config matches environment variables: case, dots and dashes aside
 * ({@code MPSECRETS_VAULT_ROLE} is {@code mpsecrets.vault.role}); {@code *} in a pattern stands for one name.
 */
public final class KnownSettings {

    /** The core's own settings (docs/configuration.md and docs/runbook.md). */
    static final List<String> CORE = List.of(
            "mpsecrets.app",
            "mpsecrets.kms",
            StoreSettings.SOURCES,
            "mpsecrets.cache.ttl",
            "mpsecrets.cache.max-stale",
            "mpsecrets.cache.plaintext",
            "mpsecrets.cache.data-keys",
            "mpsecrets.rotation.interval",
            CommonSettings.ROTATION_GRACE,
            "mpsecrets.rotation.warn-days",
            "mpsecrets.audit.required",
            "mpsecrets.audit.every-access",
            "mpsecrets.validate",
            "mpsecrets.validate.secret-names",
            "mpsecrets.validate.required",
            "mpsecrets.validate.placeholders",
            "mpsecrets.validate.other-environment",
            "mpsecrets.validate.not-secrets",
            "mpsecrets.validate.default-class",
            "mpsecrets.secret-class.*",
            "mpsecrets.secret-class.*.rotate-days",
            "mpsecrets.secret-class.*.min-length",
            "mpsecrets.secret-class.*.min-variety",
            MpSecretsSettings.MASK_LOGS,
            MpSecretsSettings.MASK_MIN_LENGTH,
            "mpsecrets.metrics.enabled",
            "mpsecrets.health.rotation.overdue-is-down",
            "mpsecrets.tls.*.key",
            "mpsecrets.tls.*.certificate",
            "mpsecrets.tls.*.trust",
            "mpsecrets.tls.*.key-password",
            "mpsecrets.tls.*.directory",
            "mpsecrets.tls.*.refresh",
            "mpsecrets.tls.*.expiry-warning",
            "mpsecrets.tls.*.vault-pki",
            "mpsecrets.tls.*.common-name",
            "mpsecrets.tls.*.alt-names",
            "mpsecrets.tls.*.ip-sans",
            "mpsecrets.tls.*.ttl",
            "mpsecrets.tls.*.store",
            // mpsecrets-jdbc's, read from a datasource's properties, system properties or the environment, where
            // the application's config sees them too (docs/jdbc.md)
            "mpsecrets.jdbc.user",
            "mpsecrets.jdbc.password",
            "mpsecrets.jdbc.pending-password",
            "mpsecrets.jdbc.ttl",
            "mpsecrets.jdbc.refresh-interval",
            "mpsecrets.jdbc.driver",
            "mpsecrets.jdbc.idle-close",
            // the Quarkus extension's credentials provider (docs/quarkus.md)
            "mpsecrets.credentials.*.user",
            "mpsecrets.credentials.*.password");

    /** What the core reads for every store, under {@code mpsecrets.<store>.} ({@link StoreSettings}). */
    static final List<String> EVERY_STORE =
            List.of("ttl", "max-stale", "required", "startup-timeout", "ordinal", "secrets", "secrets.*");

    /** A setting no one reads, and the known one it most likely meant. */
    public record Unknown(String name, Optional<String> nearest) {
        @Override
        public String toString() {
            return name + nearest.map(n -> " (did you mean " + n + "?)").orElse("");
        }
    }

    private final List<String> patterns;
    private final List<Pattern> matchers;

    private KnownSettings(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.matchers = patterns.stream().map(KnownSettings::matcher).toList();
    }

    /** The settings of the core and of every backend {@code backends} found. */
    public static KnownSettings of(Backends backends) {
        List<String> patterns = new ArrayList<>(CORE);
        backends.storeSettingNames().forEach((store, names) -> {
            String prefix = CommonSettings.storePrefix(store);
            EVERY_STORE.forEach(name -> patterns.add(prefix + name));
            names.forEach(name -> patterns.add(prefix + name));
        });
        backends.kmsSettingNames().forEach((kms, names) -> {
            String prefix = CommonSettings.kmsPrefix(kms);
            names.forEach(name -> patterns.add(prefix + name));
        });
        return new KnownSettings(patterns);
    }

    /** Every known pattern, as written ({@code *} for a name, {@code **} for any names). */
    public List<String> patterns() {
        return patterns;
    }

    /** Whether {@code name} (in any spelling, with or without a {@code %profile.} prefix) is a known setting. */
    public boolean known(String name) {
        String normalised = normalise(withoutProfile(name));
        return matchers.stream().anyMatch(m -> m.matcher(normalised).matches());
    }

    /** The names among {@code names} that are mp-secrets settings no one reads, sorted, each with a suggestion. */
    public List<Unknown> unknown(Iterable<String> names) {
        Set<String> seen = new TreeSet<>();
        for (String name : names) {
            if (normalise(withoutProfile(name)).startsWith("MPSECRETS_") && !known(name)) {
                seen.add(name);
            }
        }
        return seen.stream().map(name -> new Unknown(name, nearest(name))).toList();
    }

    /**
     * The known setting {@code name} most likely meant: those that end with the same name under the same backend
     * (`vault.role` for `vault.kubernetes.role`; where several do, as the roles of Vault's login methods, up to
     * {@value #MAX_SUGGESTIONS} of them, fewest edits away first: "a, b or c"), else the one fewest edits away, if it
     * is close.
     */
    Optional<String> nearest(String name) {
        String typed = normalise(withoutProfile(name));
        String last = typed.substring(typed.lastIndexOf('_') + 1);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        TreeMap<String, Integer> sameEnds = new TreeMap<>();
        for (String pattern : patterns) {
            if (pattern.contains("*")) {
                continue;
            }
            String candidate = normalise(pattern);
            int distance = distance(typed, candidate);
            boolean sameEnd = candidate.endsWith("_" + last) && sharedHead(typed, candidate) >= 2;
            if (sameEnd) {
                sameEnds.put(pattern, distance);
            }
            int score = sameEnd ? distance - 1000 : distance;
            if (score < bestScore) {
                bestScore = score;
                best = pattern;
            }
        }
        if (sameEnds.size() > 1) {
            List<String> suggestions = sameEnds.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(MAX_SUGGESTIONS)
                    .map(Map.Entry::getKey)
                    .toList();
            return Optional.of(String.join(", ", suggestions.subList(0, suggestions.size() - 1)) + " or "
                    + suggestions.get(suggestions.size() - 1));
        }
        boolean close = bestScore < 0 || bestScore <= Math.max(2, typed.length() / 4);
        return close ? Optional.ofNullable(best) : Optional.empty();
    }

    /** How many names a suggestion lists at most. */
    private static final int MAX_SUGGESTIONS = 5;

    /** How many leading segments two normalised names share. */
    private static int sharedHead(String a, String b) {
        String[] as = a.split("_");
        String[] bs = b.split("_");
        int n = 0;
        while (n < as.length && n < bs.length && as[n].equals(bs[n])) {
            n++;
        }
        return n;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String withoutProfile(String name) {
        int dot = name.indexOf('.');
        return name.startsWith("%") && dot > 1 ? name.substring(dot + 1) : name;
    }

    /** As MicroProfile Config matches an environment variable: upper case, other than letters and digits {@code _}. */
    static String normalise(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9*]", "_");
    }

    private static Pattern matcher(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : normalise(pattern).split("(?=\\*)|(?<=\\*)")) {
            regex.append(part.equals("*") ? "[A-Z0-9_]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString().replace("[A-Z0-9_]+[A-Z0-9_]+", "[A-Z0-9_]+"));
    }
}
