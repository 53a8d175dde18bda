package io.mpsecrets.jdbc;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store {@code memory} for the tests, registered as a third party's would be: secrets in a map the test writes,
 * fetches and closes counted, and a failure the test can make it throw.
 */
public final class MemoryStore implements SecretStoreFactory {

    static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    static final AtomicInteger FETCHES = new AtomicInteger();
    static final AtomicInteger CLOSES = new AtomicInteger();
    static volatile FailureReason failing;

    static void reset() {
        SECRETS.clear();
        FETCHES.set(0);
        CLOSES.set(0);
        failing = null;
    }

    /** {"username": user, "password": password} at {@code path}. */
    static void put(String path, String user, String password) {
        SECRETS.put(path, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<SecretStore.Capability> capabilities() {
        return Set.of();
    }

    @Override
    public SecretStore create(BackendContext context) {
        context.setting(context.prefix() + "token"); // read as a store reads its settings; unused
        return new SecretStore() {
            @Override
            public String name() {
                return "memory";
            }

            @Override
            public SecretValue fetch(SecretId id) {
                FETCHES.incrementAndGet();
                SecretRef ref = SecretRef.secret("memory", id.toString());
                FailureReason failure = failing;
                if (failure != null) {
                    SecretException e = failure == FailureReason.ACCESS_DENIED
                            ? new SecretAccessDeniedException(ref, "refused", null)
                            : new ServiceUnavailableException(failure, ref, "down", null);
                    throw e;
                }
                String key = id.stage() == null ? id.path() : id.path() + "?stage=" + id.stage();
                String value = SECRETS.get(key);
                if (value == null) {
                    throw new SecretNotFoundException(ref, "no such secret");
                }
                return SecretValue.ofUtf8(value, Integer.toHexString(value.hashCode()), null);
            }

            @Override
            public java.util.Optional<String> currentVersion(SecretId id) {
                return java.util.Optional.empty(); // counted as no fetch: the tests count fetches
            }

            @Override
            public void close() {
                CLOSES.incrementAndGet();
            }
        };
    }
}
