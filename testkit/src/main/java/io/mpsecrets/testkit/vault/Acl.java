package io.mpsecrets.testkit.vault;

import io.mpsecrets.testkit.vault.VaultPolicy.PathRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A token's policies as Vault applies them (its {@code vault/acl.go}): the rules for one path from all the policies
 * are merged (their capabilities joined, {@code deny} overriding all), and a request is decided by one rule only, the
 * most specific that matches, not by any rule that grants. An exact path wins; otherwise, among the prefix globs
 * ({@code secret/data/orders/*}) and the paths with {@code +} segments that match, the one whose first wildcard comes
 * latest, then one without a trailing glob, then fewer {@code +} segments, then the longer, then the lexically greater.
 * So {@code path "secret/*" { capabilities = ["read"] }} beside {@code path "secret/data/orders/*" { capabilities =
 * ["deny"] }} lets a token read anything under {@code secret/} but the orders.
 */
final class Acl {

    private final boolean root;
    private final Map<String, Set<String>> exact = new HashMap<>();
    private final Map<String, Set<String>> prefix = new HashMap<>(); // keyed without the trailing *
    private final Map<String, Set<String>> segments = new HashMap<>(); // keyed with it, if any

    private Acl(boolean root) {
        this.root = root;
    }

    static Acl of(List<String> policyNames, Map<String, VaultPolicy> policies) {
        Acl acl = new Acl(policyNames.contains("root"));
        for (String name : policyNames) {
            VaultPolicy policy = policies.get(name);
            if (policy == null) {
                continue; // Vault ignores a token's policy that no longer exists
            }
            for (PathRule rule : policy.rules()) {
                String path = rule.path();
                if (path.contains("+")) {
                    merge(acl.segments, path, rule.capabilities());
                } else if (path.endsWith("*")) {
                    merge(acl.prefix, path.substring(0, path.length() - 1), rule.capabilities());
                } else {
                    merge(acl.exact, path, rule.capabilities());
                }
            }
        }
        return acl;
    }

    private static void merge(Map<String, Set<String>> rules, String path, Set<String> capabilities) {
        Set<String> existing = rules.get(path);
        if (existing == null) {
            rules.put(path, new HashSet<>(capabilities));
        } else if (existing.contains("deny")) {
            // deny stays deny
        } else if (capabilities.contains("deny")) {
            existing.clear();
            existing.add("deny");
        } else {
            existing.addAll(capabilities);
        }
    }

    /** Whether a request on {@code path} needing {@code capability} is allowed. */
    boolean allows(String path, String capability) {
        if (root) {
            return true;
        }
        Set<String> capabilities = exact.get(path);
        if (capabilities == null && capability.equals("list") && path.endsWith("/")) {
            capabilities = exact.get(path.substring(0, path.length() - 1));
        }
        if (capabilities == null) {
            capabilities = nonExact(path);
        }
        return capabilities != null && !capabilities.contains("deny") && capabilities.contains(capability);
    }

    /** A glob or {@code +} rule that matches: Vault's most specific; null when none does. */
    private Set<String> nonExact(String path) {
        List<Candidate> candidates = new ArrayList<>();
        String longest = null;
        for (String start : prefix.keySet()) {
            if (path.startsWith(start) && (longest == null || start.length() > longest.length())) {
                longest = start;
            }
        }
        if (longest != null) {
            candidates.add(new Candidate(longest.length(), true, 0, longest, prefix.get(longest)));
        }
        String[] have = path.split("/", -1);
        for (Map.Entry<String, Set<String>> rule : segments.entrySet()) {
            Candidate candidate = match(rule.getKey(), rule.getValue(), have);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return candidates.stream()
                .max(Comparator.comparingInt(Candidate::firstWildcard)
                        .thenComparing(c -> !c.glob())
                        .thenComparing(
                                Comparator.comparingInt(Candidate::plusSegments).reversed())
                        .thenComparingInt(c -> c.path().length())
                        .thenComparing(Candidate::path))
                .map(Candidate::capabilities)
                .orElse(null);
    }

    private static Candidate match(String pattern, Set<String> capabilities, String[] have) {
        boolean glob = pattern.endsWith("*");
        String path = glob ? pattern.substring(0, pattern.length() - 1) : pattern;
        String[] want = path.split("/", -1);
        if (have.length < want.length || (!glob && have.length != want.length)) {
            return null;
        }
        int plus = 0;
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("+")) {
                plus++;
            } else if (glob && i == want.length - 1) {
                if (!have[i].startsWith(want[i])) {
                    return null;
                }
            } else if (!have[i].equals(want[i])) {
                return null;
            }
        }
        return new Candidate(pattern.indexOf('+'), glob, plus, path, capabilities);
    }

    /** Vault's {@code wcPathDescr}: what its priority order compares. */
    private record Candidate(
            int firstWildcard, boolean glob, int plusSegments, String path, Set<String> capabilities) {}
}
