package io.mpsecrets.cache;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Backoff;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * How a store's listed secrets are fetched at start-up when a whole fleet may be starting at once: a policy without
 * I/O, so that the same code runs an application's start-up ({@link #run}) and the fleet simulator (which answers
 * its calls from simulated services on a virtual clock).
 *
 * <p>It asks in batches while the store can batch, and keeps what each call brought, so that a failure costs only the
 * call that failed. When a batch call is throttled it reads the remaining secrets one by one for
 * half to all of {@code batchPause} (jittered, so that instances that switched together do not come back together;
 * a store's single reads have their own, usually far larger, quota: Secrets Manager allows
 * 10,000 {@code GetSecretValue} a second against 100 {@code BatchGetSecretValue}), then tries batches again. A
 * throttled or failed single read, or a transient failure of any call, waits a jittered exponential backoff before
 * the next call, so that instances started together drift apart. Denials, missing stores and other permanent
 * failures end it at once. Not thread-safe: one start-up drives it.
 */
public final class StartupFetch {

    /** The next call to make: the ids to fetch, in one batch call or (one id) a single read. */
    public record Call(List<SecretId> ids, boolean batch) {}

    /**
     * How start-up fetches.
     *
     * @param batchSize ids per batch call
     * @param batchPause single reads after a throttled batch last from half of this to all of it
     * @param backoffBase first wait after a failed call; doubles per failure, with jitter, up to {@code backoffMax}
     * @param random the jitter's source (a seeded one makes a simulation repeatable)
     */
    public record Policy(
            int batchSize,
            Duration batchPause,
            Duration backoffBase,
            Duration backoffMax,
            Supplier<RandomGenerator> random) {

        /**
         * Batches of 20 (Secrets Manager's largest), 15-30 s of single reads after a throttled batch, 0.1-5 s
         * backoff: chosen with the fleet simulator (docs/scale.md).
         */
        public static final Policy DEFAULT = new Policy(
                20, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(5), ThreadLocalRandom::current);

        public Policy {
            if (batchSize < 1 || batchPause.isNegative()) {
                throw new IllegalArgumentException("batch size below 1 or negative pause");
            }
            new Backoff(backoffBase, backoffMax, random); // checks them
        }

        /** The wait after {@code failures} failed calls in a row. */
        long backoffNanos(int failures) {
            return new Backoff(backoffBase, backoffMax, random).nanos(failures);
        }

        /** How long single reads last after a throttled batch. */
        long pauseNanos() {
            return new Backoff(batchPause, batchPause, random).nanos(1);
        }

        /** The same policy with its jitter from {@code random}. */
        public Policy withRandom(Supplier<RandomGenerator> random) {
            return new Policy(batchSize, batchPause, backoffBase, backoffMax, random);
        }
    }

    /** Waits; {@link Thread#sleep} in an application. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final LinkedHashSet<SecretId> remaining;
    private final int total;
    private final boolean canBatch;
    private final Policy policy;
    private final Map<SecretId, SecretValue> fetched = new LinkedHashMap<>();
    private long batchAgainAt;
    private boolean batchPaused;
    private int failures;
    private SecretException lastFailure;

    /**
     * @param canBatch whether the store's {@link SecretStore#fetchAll} reads many secrets in few calls
     */
    public StartupFetch(Collection<SecretId> ids, boolean canBatch, Policy policy) {
        this.remaining = new LinkedHashSet<>(ids);
        this.total = remaining.size();
        this.canBatch = canBatch;
        this.policy = policy;
    }

    /** The next call at {@code now} (nanoseconds on the caller's clock); empty once every id was answered. */
    public Optional<Call> next(long now) {
        if (remaining.isEmpty()) {
            return Optional.empty();
        }
        boolean batch = canBatch && remaining.size() > 1 && (!batchPaused || now - batchAgainAt >= 0);
        List<SecretId> ids = new ArrayList<>();
        for (SecretId id : remaining) {
            ids.add(id);
            if (!batch || ids.size() == policy.batchSize()) {
                break;
            }
        }
        return Optional.of(new Call(List.copyOf(ids), batch));
    }

    /** The call answered: what it found is kept, what it did not find is left out (the caller decides). */
    public void succeeded(Call call, Map<SecretId, SecretValue> values) {
        values.forEach((id, value) -> {
            if (remaining.remove(id)) {
                fetched.put(id, value);
            } else {
                value.destroy();
            }
        });
        call.ids().forEach(remaining::remove);
        failures = 0;
        if (call.batch()) {
            batchPaused = false;
        }
    }

    /**
     * The call failed: how long to wait before the next one, in nanoseconds (0: go on at once, with single reads).
     *
     * @throws SecretException {@code failure} itself when it is not transient (a denial, say)
     */
    public long failed(Call call, SecretException failure, long now) {
        if (!failure.reason().transientFailure()) {
            throw failure;
        }
        lastFailure = failure;
        if (call.batch() && failure.reason() == FailureReason.THROTTLED) {
            batchPaused = true;
            batchAgainAt = now + policy.pauseNanos();
            return 0;
        }
        failures++;
        return policy.backoffNanos(failures);
    }

    /** What was fetched so far; the caller owns the values. */
    public Map<SecretId, SecretValue> fetched() {
        return fetched;
    }

    /** The last transient failure, if any call failed. */
    private Optional<SecretException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Fetches {@code ids} from {@code store}, waiting with {@code sleeper} between calls, for as long as the store
     * answers a call at least every {@code timeout}. A throttling error is an answer: a fleet restart that the store
     * throttles goes on, each instance waiting its turn (failing and restarting would only add calls); a store that
     * does not answer, or answers with errors, fails the start-up within {@code timeout}.
     *
     * @param progressed told each time the store answered (with values, or throttling)
     * @throws SecretException a permanent failure at once; when the store stops answering, a
     *         {@code ServiceUnavailableException} with the last failure's reason, saying how many of the listed
     *         secrets were fetched
     */
    public static Map<SecretId, SecretValue> run(
            SecretStore store,
            Collection<SecretId> ids,
            boolean canBatch,
            Policy policy,
            Duration timeout,
            Ticker ticker,
            Sleeper sleeper,
            Runnable progressed) {
        StartupFetch fetch = new StartupFetch(ids, canBatch, policy);
        long deadline = ticker.nanos() + timeout.toNanos();
        try {
            for (Optional<Call> call = fetch.next(ticker.nanos());
                    call.isPresent();
                    call = fetch.next(ticker.nanos())) {
                long wait;
                try {
                    fetch.succeeded(call.get(), answer(store, call.get()));
                    deadline = ticker.nanos() + timeout.toNanos();
                    progressed.run();
                    continue;
                } catch (SecretException failure) {
                    wait = fetch.failed(call.get(), failure, ticker.nanos());
                    if (failure.reason() == FailureReason.THROTTLED) {
                        // A store that throttles answers: the fleet is being served, this instance waits its turn.
                        deadline = ticker.nanos() + timeout.toNanos();
                        progressed.run();
                    }
                }
                if (ticker.nanos() + wait - deadline >= 0) {
                    throw timedOut(store.name(), fetch, timeout);
                }
                sleeper.sleep(wait);
            }
            return fetch.fetched();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fetch.fetched().values().forEach(SecretValue::destroy);
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE, SecretRef.secret(store.name(), null), "interrupted at start-up", null);
        } catch (RuntimeException e) {
            fetch.fetched().values().forEach(SecretValue::destroy);
            throw e;
        }
    }

    private static Map<SecretId, SecretValue> answer(SecretStore store, Call call) {
        if (call.batch()) {
            return store.fetchAll(call.ids());
        }
        SecretId id = call.ids().get(0);
        try {
            return Map.of(id, store.fetch(id));
        } catch (SecretNotFoundException missing) {
            return Map.of();
        }
    }

    private static SecretException timedOut(String store, StartupFetch fetch, Duration timeout) {
        FailureReason reason = fetch.lastFailure().map(SecretException::reason).orElse(FailureReason.TIMEOUT);
        return new ServiceUnavailableException(
                reason,
                SecretRef.secret(store, null),
                "no call answered within mpsecrets." + LogSafe.escape(store) + ".startup-timeout (" + timeout + "); "
                        + fetch.fetched().size() + " of " + fetch.total
                        + " listed secrets fetched, the last call failing with " + reason,
                null);
    }
}
