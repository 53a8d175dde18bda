package io.mpsecrets.cache;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a store's listed secrets are fetched at start-up when a whole fleet may be starting at once: a policy without
 * I/O, so that the same code runs an application's start-up ({@link #run}) and the fleet simulator (which answers
 * its calls from simulated services on a virtual clock).
 *
 * <p>It asks in batches while the store can batch, and keeps what each call brought, so that a failure costs only the
 * call that failed. When a batch call is throttled it reads the remaining secrets one by one for
 * {@code batchPause} (a store's single reads have their own, usually far larger, quota: Secrets Manager allows
 * 10,000 {@code GetSecretValue} a second against 100 {@code BatchGetSecretValue}), then tries batches again. A
 * throttled or failed single read, or a transient failure of any call, waits a jittered exponential backoff before
 * the next call, so that instances started together drift apart. Denials, missing stores and other permanent
 * failures end it at once. Not thread-safe: one start-up drives it.
 */
public final class StartupFetch {

    /** The next call to make: the ids to fetch, in one batch call or (one id) a single read. */
    public record Call(List<SecretId> ids, boolean batch) {}

    /** How start-up fetches. */
    public record Policy(int batchSize, Duration batchPause, Backoff backoff) {

        /** Batches of 20 (Secrets Manager's largest), 30 s of single reads after a throttled batch, 0.1-5 s backoff. */
        public static final Policy DEFAULT =
                new Policy(20, Duration.ofSeconds(30), new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)));

        public Policy {
            if (batchSize < 1 || batchPause.isNegative()) {
                throw new IllegalArgumentException("batch size below 1 or negative pause");
            }
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
     * @param canBatch whether the store's {@link SecretProvider#fetchAll} reads many secrets in few calls
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
            batchAgainAt = now + policy.batchPause().toNanos();
            return 0;
        }
        failures++;
        return policy.backoff().nanos(failures);
    }

    public boolean done() {
        return remaining.isEmpty();
    }

    /** What was fetched so far; the caller owns the values. */
    public Map<SecretId, SecretValue> fetched() {
        return fetched;
    }

    /** The last transient failure, if any call failed. */
    public Optional<SecretException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * Fetches {@code ids} from {@code provider} within {@code timeout}, waiting with {@code sleeper} between calls.
     *
     * @throws SecretException a permanent failure at once; when time runs out, a {@code ServiceUnavailableException}
     *         with the last failure's reason, saying how many of the listed secrets were fetched
     */
    public static Map<SecretId, SecretValue> run(
            SecretProvider provider,
            Collection<SecretId> ids,
            boolean canBatch,
            Policy policy,
            Duration timeout,
            Ticker ticker,
            Sleeper sleeper) {
        StartupFetch fetch = new StartupFetch(ids, canBatch, policy);
        long deadline = ticker.nanos() + timeout.toNanos();
        try {
            for (Optional<Call> call = fetch.next(ticker.nanos());
                    call.isPresent();
                    call = fetch.next(ticker.nanos())) {
                long wait;
                try {
                    fetch.succeeded(call.get(), answer(provider, call.get()));
                    continue;
                } catch (SecretException failure) {
                    wait = fetch.failed(call.get(), failure, ticker.nanos());
                }
                if (ticker.nanos() + wait - deadline >= 0) {
                    throw timedOut(provider.name(), fetch, timeout);
                }
                sleeper.sleep(wait);
            }
            return fetch.fetched();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fetch.fetched().values().forEach(SecretValue::destroy);
            throw new ServiceUnavailableException(
                    FailureReason.UNAVAILABLE,
                    SecretRef.secret(provider.name(), null),
                    "interrupted at start-up",
                    null);
        } catch (RuntimeException e) {
            fetch.fetched().values().forEach(SecretValue::destroy);
            throw e;
        }
    }

    private static Map<SecretId, SecretValue> answer(SecretProvider provider, Call call) {
        if (call.batch()) {
            return provider.fetchAll(call.ids());
        }
        SecretId id = call.ids().get(0);
        try {
            return Map.of(id, provider.fetch(id));
        } catch (SecretNotFoundException missing) {
            return Map.of();
        }
    }

    private static SecretException timedOut(String store, StartupFetch fetch, Duration timeout) {
        FailureReason reason = fetch.lastFailure().map(SecretException::reason).orElse(FailureReason.TIMEOUT);
        return new ServiceUnavailableException(
                reason,
                SecretRef.secret(store, null),
                fetch.fetched().size() + " of " + fetch.total + " listed secrets fetched before mpsecrets."
                        + LogSafe.escape(store) + ".startup-timeout (" + timeout + "), the last call failing with "
                        + reason,
                null);
    }
}
