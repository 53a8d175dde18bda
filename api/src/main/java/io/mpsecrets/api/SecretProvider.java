package io.mpsecrets.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A secret store (AWS Secrets Manager, Vault, a directory of mounted files, the environment). Failures are
 * {@link io.mpsecrets.api.exception.SecretException}s naming the provider, the secret id and a
 * {@link FailureReason}, never a value.
 */
public interface SecretProvider extends AutoCloseable {

    /** The name used in configuration and references, e.g. {@code aws} in {@code ${aws::prod/db#password}}. */
    String name();

    /** The current value of a whole secret ({@link SecretId#field()} is ignored: fields are taken by the caller). */
    SecretValue fetch(SecretId id);

    /**
     * Several secrets at once, for start-up; stores with a batch call override this. The map holds every id that
     * was found; one that is missing is left out, and a store failure throws.
     */
    default Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
        Map<SecretId, SecretValue> out = new LinkedHashMap<>();
        for (SecretId id : ids) {
            try {
                out.put(id, fetch(id));
            } catch (io.mpsecrets.api.exception.SecretNotFoundException missing) {
                // left out: the caller decides whether a missing secret is an error
            }
        }
        return out;
    }

    /**
     * The secret's current version id, asked for cheaply (without fetching the value) when the store can; used to
     * poll for rotation. Empty when the store has no notion of versions.
     */
    default Optional<String> currentVersion(SecretId id) {
        SecretValue value = fetch(id);
        try {
            return value.version();
        } finally {
            value.destroy();
        }
    }

    @Override
    default void close() {
    }
}
