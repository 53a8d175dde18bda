package org.example.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "service" behind the toy store: secrets in memory, by namespace and name, every put a new version
 * ({@code v1}, {@code v2}, ...). A backend written outside mp-secrets, against its api jar only.
 */
public final class ToySecrets {

    private static final Map<String, Map<String, List<String>>> NAMESPACES = new ConcurrentHashMap<>();
    private static volatile boolean down;

    private ToySecrets() {}

    /** Stores {@code text} as the next version of {@code name}; returns its version id. */
    public static synchronized String put(String namespace, String name, String text) {
        List<String> versions = NAMESPACES
                .computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new ArrayList<>());
        versions.add(text);
        return "v" + versions.size();
    }

    /** Makes the service fail (or work again). */
    public static void down(boolean isDown) {
        down = isDown;
    }

    static boolean isDown() {
        return down;
    }

    static synchronized List<String> versions(String namespace, String name) {
        List<String> versions = NAMESPACES.getOrDefault(namespace, Map.of()).get(name);
        return versions == null ? null : List.copyOf(versions);
    }

    static synchronized List<String> names(String namespace) {
        return List.copyOf(NAMESPACES.getOrDefault(namespace, Map.of()).keySet());
    }
}
