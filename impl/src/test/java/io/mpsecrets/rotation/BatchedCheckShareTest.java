package io.mpsecrets.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.cache.CachePolicy;
import io.mpsecrets.cache.SecretCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A batched store whose batch call is throttled is asked it in fewer rounds, the others checking each secret by
 * itself (issue 33: 50,000 instances ask {@code ListSecrets} 185 times a second against a quota of 100); answered
 * calls win the rounds back. Worked out by hand, round by round.
 */
class BatchedCheckShareTest {

    /** Two secrets, both at version v1; the batch throttles while {@link #throttling}. */
    private static final class Store implements SecretStore {
        boolean throttling = true;
        final List<Integer> batchRounds = new ArrayList<>();
        int round;
        int singleChecks;

        @Override
        public String name() {
            return "listing";
        }

        @Override
        public SecretValue fetch(SecretId id) {
            return SecretValue.ofUtf8("value", "v1", null);
        }

        @Override
        public Optional<String> currentVersion(SecretId id) {
            singleChecks++;
            return Optional.of("v1");
        }

        @Override
        public Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
            batchRounds.add(round);
            if (throttling) {
                throw new ServiceUnavailableException(
                        FailureReason.THROTTLED, SecretRef.secret(name(), "listing"), "Rate exceeded", null);
            }
            Map<SecretId, String> out = new java.util.HashMap<>();
            ids.forEach(id -> out.put(id, "v1"));
            return out;
        }
    }

    private final Store store = new Store();
    private final SecretCache cache = new SecretCache(System::nanoTime, new SecretCache.Listener() {
        @Override
        public void fetched(SecretCache.Key key, SecretValue value, String property) {}

        @Override
        public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {}
    });
    private final RotationWatcher watcher = RotationWatcher.manual(
            cache,
            new RotationWatcher.Stores() {
                @Override
                public Optional<SecretStore> store(String name) {
                    return Optional.of(store);
                }

                @Override
                public CachePolicy policy(String name) {
                    return CachePolicy.DEFAULT;
                }

                @Override
                public void checkFailed(SecretCache.Key key, SecretException failure) {}

                @Override
                public boolean batched(String name) {
                    return true;
                }
            },
            Duration.ofMinutes(5));

    private void rounds(int count) {
        for (int i = 0; i < count; i++) {
            store.round++;
            watcher.poll();
        }
    }

    @Test
    void aThrottledBatchIsAskedInHalfAsManyRoundsEachTimeDownToOneInSixteen() {
        cache.putAll(
                "listing",
                Map.of(
                        SecretId.of("a"),
                        SecretValue.ofUtf8("x", "v1", null),
                        SecretId.of("b"),
                        SecretValue.ofUtf8("y", "v1", null)),
                CachePolicy.DEFAULT);
        // Share 1, then 1/2, 1/4, 1/8, 1/16 (the floor): the batch is asked in rounds 1, 3, 7, 15, 31, 47.
        rounds(50);
        assertEquals(List.of(1, 3, 7, 15, 31, 47), store.batchRounds);
        // Every round checked both secrets by themselves (the batch never answered): 2 a round.
        assertEquals(100, store.singleChecks);

        // Answered again: each answer adds 1/32 to the share (1/16 + 1/32 = 3/32 after round 63's call ...), so
        // the rounds that ask come back closer and closer; after 30 answers the share is 1 again and every round
        // asks, the one secret a round asked by itself only.
        store.throttling = false;
        store.batchRounds.clear();
        rounds(400);
        List<Integer> last = store.batchRounds.subList(store.batchRounds.size() - 20, store.batchRounds.size());
        assertEquals(java.util.stream.IntStream.rangeClosed(431, 450).boxed().toList(), last);
        int before = store.singleChecks;
        rounds(10);
        assertEquals(10, store.singleChecks - before, "one secret a round asked by itself, the other vouched for");
    }
}
