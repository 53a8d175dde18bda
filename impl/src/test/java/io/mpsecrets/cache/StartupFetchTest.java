package io.mpsecrets.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The start-up fetch policy, driven on a virtual clock against a store whose answers each test scripts. */
class StartupFetchTest {

    private static final StartupFetch.Policy POLICY = new StartupFetch.Policy(
            20, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(8), ThreadLocalRandom::current);

    private long now;
    private int progress;
    private final List<Long> waits = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();

    /** A store of {@code n} secrets named s0..s(n-1); {@code answer} decides each call's failure (null: answers). */
    private final class ScriptedStore implements SecretStore {
        private final BiFunction<String, Integer, FailureReason> answer;

        ScriptedStore(BiFunction<String, Integer, FailureReason> answer) {
            this.answer = answer;
        }

        @Override
        public String name() {
            return "toy";
        }

        private void call(String operation, SecretId id) {
            calls.add(operation);
            FailureReason failure = answer.apply(operation, calls.size());
            if (failure == FailureReason.ACCESS_DENIED) {
                throw new SecretAccessDeniedException(SecretRef.secret("toy", id.path()), "denied", null);
            }
            if (failure != null) {
                throw new ServiceUnavailableException(failure, SecretRef.secret("toy", id.path()), "down", null);
            }
        }

        @Override
        public SecretValue fetch(SecretId id) {
            call("single", id);
            if (id.path().equals("missing")) {
                throw new SecretNotFoundException(SecretRef.secret("toy", "missing"), "no such secret");
            }
            return SecretValue.ofUtf8(id.path() + "-" + LeakGuard.CANARY, "v1", null);
        }

        @Override
        public Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
            call("batch", ids.iterator().next());
            Map<SecretId, SecretValue> out = new LinkedHashMap<>();
            for (SecretId id : ids) {
                if (!id.path().equals("missing")) {
                    out.put(id, SecretValue.ofUtf8(id.path() + "-" + LeakGuard.CANARY, "v1", null));
                }
            }
            return out;
        }
    }

    private static List<SecretId> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> SecretId.of("s" + i)).toList();
    }

    private Map<SecretId, SecretValue> run(SecretStore store, List<SecretId> ids, boolean batch, Duration timeout) {
        return StartupFetch.run(
                store,
                ids,
                batch,
                POLICY,
                timeout,
                () -> now,
                nanos -> {
                    waits.add(nanos);
                    now += nanos;
                },
                () -> progress++);
    }

    @Test
    void fiftySecretsInBatchesOfTwentyTakeThreeCalls() {
        Map<SecretId, SecretValue> fetched =
                run(new ScriptedStore((op, n) -> null), ids(50), true, Duration.ofSeconds(10));
        assertEquals(50, fetched.size());
        assertEquals(List.of("batch", "batch", "batch"), calls);
        assertThat(waits).isEmpty();
        assertEquals("s49-" + LeakGuard.CANARY, fetched.get(SecretId.of("s49")).asString());
    }

    @Test
    void aStoreWithoutBatchesIsReadOneByOne() {
        assertEquals(
                3,
                run(new ScriptedStore((op, n) -> null), ids(3), false, Duration.ofSeconds(10))
                        .size());
        assertEquals(List.of("single", "single", "single"), calls);
    }

    @Test
    void aThrottledBatchSwitchesToSingleReadsAtOnceKeepsWhatItHadAndBatchesAgainAfterThePause() {
        // The second call (the second batch) is throttled; single reads answer.
        StartupFetch fetch = new StartupFetch(ids(45), true, POLICY);
        ScriptedStore store = new ScriptedStore((op, n) -> n == 2 ? FailureReason.THROTTLED : null);
        StartupFetch.Call first = fetch.next(now).orElseThrow();
        assertThat(first.batch()).isTrue();
        fetch.succeeded(first, store.fetchAll(first.ids()));
        StartupFetch.Call second = fetch.next(now).orElseThrow();
        SecretException throttled = assertThrows(SecretException.class, () -> store.fetchAll(second.ids()));
        assertEquals(0, fetch.failed(second, throttled, now), "no wait: single reads have their own quota");
        assertEquals(20, fetch.fetched().size(), "the first batch's values are kept");

        StartupFetch.Call single = fetch.next(now).orElseThrow();
        assertThat(single.batch()).isFalse();
        assertEquals(List.of(SecretId.of("s20")), single.ids());
        fetch.succeeded(
                single, Map.of(single.ids().get(0), store.fetch(single.ids().get(0))));

        now += Duration.ofSeconds(14).toNanos();
        assertThat(fetch.next(now).orElseThrow().batch())
                .as("single reads for at least half the pause")
                .isFalse();
        now += Duration.ofSeconds(16).toNanos();
        StartupFetch.Call again = fetch.next(now).orElseThrow();
        assertThat(again.batch()).as("batches again once the pause is over").isTrue();
        assertEquals(20, again.ids().size());
        assertEquals(SecretId.of("s21"), again.ids().get(0));
    }

    @Test
    void throttledSingleReadsBackOffExponentiallyWithJitterAndResetOnSuccess() {
        // Calls 1-3 fail, then everything answers.
        Map<SecretId, SecretValue> fetched = run(
                new ScriptedStore((op, n) -> n <= 3 ? FailureReason.THROTTLED : null),
                ids(2),
                false,
                Duration.ofMinutes(1));
        assertEquals(2, fetched.size());
        assertEquals(3, waits.size());
        // Equal jitter: the nth wait lies in [w/2, w] for w = 1 s, 2 s, 4 s.
        for (int i = 0; i < 3; i++) {
            long w = Duration.ofSeconds(1L << i).toNanos();
            assertThat(waits.get(i)).isBetween(w / 2, w);
        }
    }

    @Test
    void aMissingSecretIsLeftOutForTheCallerAndADenialEndsAtOnce() {
        List<SecretId> ids = List.of(SecretId.of("a"), SecretId.of("missing"));
        assertThat(run(new ScriptedStore((op, n) -> null), ids, false, Duration.ofSeconds(1))
                        .keySet())
                .containsExactly(SecretId.of("a"));
        calls.clear();
        assertThrows(
                SecretAccessDeniedException.class,
                () -> run(
                        new ScriptedStore((op, n) -> FailureReason.ACCESS_DENIED),
                        ids(40),
                        true,
                        Duration.ofMinutes(1)));
        assertEquals(1, calls.size());
        assertThat(waits).isEmpty();
    }

    @Test
    void aStoreThatStaysDownFailsWhenTheNextWaitWouldPassTheTimeoutSayingHowFarItGot() {
        // The first batch answers, everything after is unavailable.
        SecretException e = assertThrows(
                ServiceUnavailableException.class,
                () -> run(
                        new ScriptedStore((op, n) -> n == 1 ? null : FailureReason.UNAVAILABLE),
                        ids(30),
                        true,
                        Duration.ofSeconds(10)));
        assertEquals(FailureReason.UNAVAILABLE, e.reason());
        assertThat(e.getMessage()).contains("20 of 30 listed secrets", "mpsecrets.toy.startup-timeout", "PT10S");
        assertThat(now).isLessThanOrEqualTo(Duration.ofSeconds(10).toNanos());
        assertEquals(1, progress);
        LeakGuard.check(e.getMessage(), "the start-up failure");
    }

    @Test
    void aThrottledStartUpIsNotCutOffByTheTimeout() {
        // Every other call is throttled: 40 single reads take far longer than the 3 s timeout.
        Map<SecretId, SecretValue> fetched = run(
                new ScriptedStore((op, n) -> n % 2 == 0 ? FailureReason.THROTTLED : null),
                ids(40),
                false,
                Duration.ofSeconds(3));
        assertEquals(40, fetched.size());
        assertThat(now).isGreaterThan(Duration.ofSeconds(3).toNanos());
        assertEquals(79, progress, "40 answers and 39 throttling errors");
    }
}
