package io.mpsecrets.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The generations of one material: one volatile reference to an immutable list, the current generation first and
 * the two before it after. A swap replaces the list at once; a handshake reads it once per call. The older
 * generations are kept so that a handshake that chose an alias just before a swap still finds that alias's key and
 * chain (the JDK asks for the alias, then for its key, then for its chain, in separate calls).
 */
final class Snapshots {

    private static final int KEPT = 3;

    private volatile List<TlsSnapshot> generations = List.of();

    /** The generation in service; empty before the first swap. */
    Optional<TlsSnapshot> current() {
        List<TlsSnapshot> now = generations;
        return now.isEmpty() ? Optional.empty() : Optional.of(now.get(0));
    }

    /** The generation in service, or an exception for a handshake that comes before any material. */
    TlsSnapshot require() {
        List<TlsSnapshot> now = generations;
        if (now.isEmpty()) {
            throw new IllegalStateException("no TLS material in service");
        }
        return now.get(0);
    }

    /** The generation whose key manager has this alias, among those kept. */
    Optional<TlsSnapshot> byAlias(String alias) {
        for (TlsSnapshot snapshot : generations) {
            if (snapshot.alias().equals(alias)) {
                return Optional.of(snapshot);
            }
        }
        return Optional.empty();
    }

    /** Puts {@code next} in service; returns the one it replaced, if any. */
    synchronized Optional<TlsSnapshot> swap(TlsSnapshot next) {
        List<TlsSnapshot> updated = new ArrayList<>(KEPT);
        updated.add(next);
        for (TlsSnapshot older : generations) {
            if (updated.size() < KEPT) {
                updated.add(older);
            }
        }
        Optional<TlsSnapshot> previous = current();
        generations = List.copyOf(updated);
        return previous;
    }

    synchronized void clear() {
        generations = List.of();
    }
}
