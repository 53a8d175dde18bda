package io.mpsecrets.backend;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SPI's promise, kept for every backend, shipped or not: a backend fails only with a {@link SecretException}. An
 * unchecked exception that escapes one (a parser's {@code ClassCastException} on an odd answer, say) becomes an
 * {@link InvalidSecretValueException} naming the backend and the exception's type, never its message (which may
 * quote what the service sent), so that it is typed, audited and kept out of logs like every other failure.
 */
final class Guarded {

    private Guarded() {}

    static <T> T call(BackendCalls.Kind kind, String name, String operation, SecretRef ref, Supplier<T> call) {
        try {
            T answer = call.get();
            BackendCalls.record(kind, name, operation, null);
            return answer;
        } catch (SecretException e) {
            BackendCalls.record(kind, name, operation, e.reason());
            throw e;
        } catch (RuntimeException e) {
            InvalidSecretValueException typed = new InvalidSecretValueException(
                    ref,
                    "the " + (kind == BackendCalls.Kind.KMS ? "key management service" : "store") + " '" + name
                            + "' failed unexpectedly (" + e.getClass().getName()
                            + "); its answer was not what it documents");
            BackendCalls.record(kind, name, operation, typed.reason());
            throw typed;
        }
    }

    static SecretStore store(SecretStore store) {
        return store instanceof GuardedStore ? store : new GuardedStore(store);
    }

    static KeyManagementService kms(KeyManagementService kms) {
        return kms instanceof GuardedKms ? kms : new GuardedKms(kms);
    }

    private record GuardedStore(SecretStore delegate) implements SecretStore {
        private <T> T call(String operation, SecretId id, Supplier<T> call) {
            return Guarded.call(
                    BackendCalls.Kind.STORE,
                    delegate.name(),
                    operation,
                    SecretRef.secret(delegate.name(), id == null ? null : id.toString()),
                    call);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public SecretValue fetch(SecretId id) {
            return call("fetch", id, () -> delegate.fetch(id));
        }

        @Override
        public Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
            return call("fetch-all", null, () -> delegate.fetchAll(ids));
        }

        @Override
        public Optional<String> currentVersion(SecretId id) {
            return call("current-version", id, () -> delegate.currentVersion(id));
        }

        @Override
        public Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
            return call("current-versions", null, () -> delegate.currentVersions(ids));
        }

        @Override
        public List<String> list() {
            return call("list", null, delegate::list);
        }

        @Override
        public String propertyName(String secretId) {
            return call("property-name", SecretId.of(secretId), () -> delegate.propertyName(secretId));
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    private record GuardedKms(KeyManagementService delegate) implements KeyManagementService {
        private <T> T call(String operation, String keyId, Supplier<T> call) {
            return Guarded.call(
                    BackendCalls.Kind.KMS,
                    delegate.name(),
                    operation,
                    SecretRef.key(keyId).withBackend(delegate.name()),
                    call);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public GeneratedDataKey generateDataKey(String keyId, EncryptionContext context) {
            return call("generate-data-key", keyId, () -> delegate.generateDataKey(keyId, context));
        }

        @Override
        public DataKey decrypt(String keyId, byte[] wrappedKey, EncryptionContext context) {
            return call("decrypt", keyId, () -> delegate.decrypt(keyId, wrappedKey, context));
        }

        @Override
        public Optional<Instant> keyCreated(String keyId) {
            try {
                return delegate.keyCreated(keyId);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            try {
                delegate.close();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
