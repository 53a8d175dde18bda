package io.mpsecrets.api;

import io.mpsecrets.api.exception.SecretNotFoundException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret store (AWS Secrets Manager, Vault, a directory of mounted files, the environment). Built by its
 * {@link io.mpsecrets.api.spi.SecretStoreFactory}, which also says what the store can do
 * ({@link Capability}). Every method fails with a {@link io.mpsecrets.api.exception.SecretException} naming the
 * store, the secret id and a {@link FailureReason}, never a value; implementations must not let any other
 * exception escape, and must bound what they read from the store (size and time).
 *
 * <p>One instance serves the whole application, so its methods are called from several threads at once (an
 * application thread reads one secret while the rotation thread checks another): an implementation is thread-safe.
 */
public interface SecretStore extends AutoCloseable {

    /** What a store can do, declared by its factory so that callers never test a store's name. */
    enum Capability {
        /** Reads a pinned version: {@code ?version=<id>} (and, where the store has them, {@code ?stage=<label>}). */
        VERSIONS,
        /**
         * The store's secrets change while the application runs and {@link #currentVersion} tells a new version apart
         * (cheaply where the store can), so rotation is polled; without it secrets are refreshed at their TTL only.
         */
        ROTATION_CHECK,
        /** Holds binary values byte for byte. */
        BINARY,
        /** {@link #fetchAll} reads many secrets in few calls. */
        BATCH,
        /**
         * {@link #currentVersions} tells many secrets' current versions in few calls (Secrets Manager's
         * {@code ListSecrets}), so that one periodic batched check keeps the cache fresh and sees rotations, instead of
         * one {@link #currentVersion} per secret per TTL. Implies {@link #ROTATION_CHECK}.
         */
        BATCH_VERSIONS,
        /** {@link #list} names the store's secrets, so a store listed without secrets serves them all. */
        LIST,
        /** A listed JSON secret's fields become properties; otherwise a secret is one property, whole. */
        FIELDS
    }

    /**
     * The name used in configuration and references, e.g. {@code aws} in {@code ${aws::prod/db#password}}.
     *
     * @return the name of the factory that built it ({@link io.mpsecrets.api.spi.SecretStoreFactory#name()})
     */
    String name();

    /**
     * The current value of a whole secret ({@link SecretId#field()} is ignored: fields are taken by the caller), or
     * the version the id pins.
     *
     * @param id the secret, and the version or stage if it pins one
     * @return the value, with the store's version id and creation time where the store has them; a new instance that
     *         the caller owns and destroys
     * @throws SecretNotFoundException when the store has no such secret or version
     * @throws io.mpsecrets.api.exception.SecretAccessDeniedException when the store refuses this worker
     * @throws io.mpsecrets.api.exception.ServiceUnavailableException when the store is down, throttling or slow
     * @throws io.mpsecrets.api.exception.InvalidSecretValueException when the store's answer is unusable
     */
    SecretValue fetch(SecretId id);

    /**
     * Several secrets at once, for start-up; stores with a batch call override this. The map holds every id that
     * was found; one that is missing is left out, and any other failure is thrown as {@link #fetch} throws it.
     *
     * @param ids the secrets to read, as {@link #fetch} takes them
     * @return the values found, keyed by the id that was asked for; the caller owns and destroys them
     */
    default Map<SecretId, SecretValue> fetchAll(Collection<SecretId> ids) {
        Map<SecretId, SecretValue> out = new LinkedHashMap<>();
        for (SecretId id : ids) {
            try {
                out.put(id, fetch(id));
            } catch (SecretNotFoundException missing) {
                // left out: the caller decides whether a missing secret is an error
            }
        }
        return out;
    }

    /**
     * The secret's current version id, asked for cheaply (without fetching the value) when the store can; used to
     * poll for rotation. Empty when the store has no notion of versions. Throws as {@link #fetch} does.
     *
     * @param id the secret, as {@link #fetch} takes it
     * @return the version id a fetch would return now; the default fetches the value, reads its version and
     *         destroys it
     */
    default Optional<String> currentVersion(SecretId id) {
        SecretValue value = fetch(id);
        try {
            return value.version();
        } finally {
            value.destroy();
        }
    }

    /**
     * The current versions of many secrets in few calls, for a store with {@link Capability#BATCH_VERSIONS}. The
     * answer may lag behind the store (a listing that is eventually consistent): a caller confirms a changed version
     * with {@link #currentVersion} before acting on it. An id the answer does not name is not known to the batch (not
     * listed yet, beyond the answer's bounds, a name the listing cannot filter for): it is neither missing nor
     * unchanged, and the caller asks for it with {@link #currentVersion}. Throws as {@link #fetch} does when the batch
     * call fails; nothing is then known of any id.
     *
     * @param ids whole secrets, as {@link #fetch} takes them
     * @return the version each named id's stage ({@code AWSCURRENT} or the id's own) is on, for the ids the answer
     *         named; the default names none
     */
    default Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
        return Map.of();
    }

    /**
     * The ids of the store's secrets, for a store with {@link Capability#LIST}. Called at start-up, when a store is a
     * config source without secrets listed. An implementation bounds a long listing as it bounds any other answer.
     *
     * @return the secrets' paths, each taken whole as {@link SecretId#of} takes it
     * @throws UnsupportedOperationException when the store cannot list
     */
    default List<String> list() {
        throw new UnsupportedOperationException(name() + " cannot list its secrets");
    }

    /**
     * The property a secret becomes when the store serves it as a config source without a prefix
     * ({@code mpsecrets.sources}); the secret id itself unless the store has a naming rule of its own (Parameter Store:
     * the path below the listed prefix, dots for slashes).
     *
     * @param secretId a secret's path, as {@link #list} gives it or the configuration lists it
     * @return the property's name
     */
    default String propertyName(String secretId) {
        return secretId;
    }

    @Override
    default void close() {}
}
