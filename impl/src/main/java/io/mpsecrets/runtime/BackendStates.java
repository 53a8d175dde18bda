package io.mpsecrets.runtime;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretFetched;
import io.mpsecrets.api.event.SecretRotated;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the application last saw of each store and KMS it uses, learnt from its own audit events: up, serving stale
 * values, down, or denied, with since when. Health checks read it; nothing here calls a backend, so a probe costs
 * no quota; the rotation watcher's checks keep a store's state fresh while nothing reads. Each state is an immutable
 * record replaced whole in a concurrent map, so readers never see half an update.
 */
public final class BackendStates {

    public enum Kind {
        STORE,
        KMS;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Status {
        /** Declared (a KMS in {@code mpsecrets.kms}) and not used yet. */
        UNUSED,
        UP,
        /** Failing, with the last good values served instead (stale-if-error). */
        STALE,
        DOWN,
        DENIED
    }

    /**
     * One backend's state.
     *
     * @param reason why it is not up, null when it is
     * @param since when it entered this status
     * @param lastOk when it last answered well, null if never
     */
    public record State(Kind kind, String name, Status status, FailureReason reason, Instant since, Instant lastOk) {

        /** {@code store.aws}, {@code kms.local}. */
        public String key() {
            return kind.label() + "." + name;
        }
    }

    /** The failures that say a backend cannot serve: what health is about. */
    private static final Set<FailureReason> BACKEND_FAILURES = EnumSet.of(
            FailureReason.UNAVAILABLE,
            FailureReason.TIMEOUT,
            FailureReason.THROTTLED,
            FailureReason.ACCESS_DENIED,
            FailureReason.KEY_DISABLED);

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private final Function<String, Optional<String>> kmsOfKey;

    /** @param kmsOfKey the name of the KMS a key id belongs to */
    BackendStates(Function<String, Optional<String>> kmsOfKey) {
        this.kmsOfKey = kmsOfKey;
    }

    /** A backend the application is set up to use, before any use. */
    void declare(Kind kind, String name) {
        states.putIfAbsent(kind.label() + "." + name, new State(kind, name, Status.UNUSED, null, Instant.now(), null));
    }

    /** Learns from one audit event. */
    void observe(SecretEvent event) {
        if (event instanceof SecretFetched || event instanceof SecretRotated) {
            storeOf(event.ref()).ifPresent(store -> ok(Kind.STORE, store, event.time()));
        } else if (event instanceof SecretDecrypted) {
            kmsOf(event.ref()).ifPresent(kms -> ok(Kind.KMS, kms, event.time()));
        } else if (event instanceof SecretAccessDenied) {
            failed(event.ref(), Status.DENIED, FailureReason.ACCESS_DENIED, event.time());
        } else if (event instanceof SecretFailure failure) {
            failed(failure.ref(), failure.servedStale() ? Status.STALE : Status.DOWN, failure.reason(), event.time());
        }
    }

    /** A store answered (a rotation check that found nothing new: no event, but news for health). */
    void reachable(String store) {
        ok(Kind.STORE, store, Instant.now());
    }

    private void ok(Kind kind, String name, Instant time) {
        states.compute(
                kind.label() + "." + name,
                (key, last) -> new State(
                        kind,
                        name,
                        Status.UP,
                        null,
                        last != null && last.status() == Status.UP ? last.since() : time,
                        time));
    }

    private void failed(SecretRef ref, Status status, FailureReason reason, Instant time) {
        if (!BACKEND_FAILURES.contains(reason)) {
            // The answer was there: a missing secret, a bad value, a wrong key, the application's shutdown.
            return;
        }
        Optional<String> store = storeOf(ref);
        Kind kind = store.isPresent() ? Kind.STORE : Kind.KMS;
        Optional<String> name = store.or(() -> kmsOf(ref));
        name.ifPresent(backend -> states.compute(kind.label() + "." + backend, (key, last) -> {
            if (status == Status.STALE
                    && last != null
                    && (last.status() == Status.DOWN || last.status() == Status.DENIED)) {
                // Reads already fail; a background check that fails too changes nothing. Only an answer clears it.
                return last;
            }
            return new State(
                    kind,
                    backend,
                    status,
                    reason,
                    last != null && last.status() == status ? last.since() : time,
                    last == null ? null : last.lastOk());
        }));
    }

    private static Optional<String> storeOf(SecretRef ref) {
        return Optional.ofNullable(ref.backend());
    }

    private Optional<String> kmsOf(SecretRef ref) {
        return ref.keyId() == null ? Optional.empty() : kmsOfKey.apply(ref.keyId());
    }

    /** Every backend's state, stores first, by name. */
    public List<State> states() {
        return states.values().stream()
                .sorted(Comparator.comparing(State::kind).thenComparing(State::name))
                .toList();
    }
}
