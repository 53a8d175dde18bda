package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.event.SecretFetched;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cache.SecretCache;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns what the store cache does (fetches, rotations, failures) into audit events naming the properties that read a
 * secret.
 */
final class CacheAuditing implements SecretCache.Listener {

    private final Auditor auditor;
    private final Function<SecretCache.Key, Set<String>> readers;

    CacheAuditing(Auditor auditor, Function<SecretCache.Key, Set<String>> readers) {
        this.auditor = auditor;
        this.readers = readers;
    }

    @Override
    public void fetched(SecretCache.Key key, SecretValue value, String property) {
        auditor.emitForAccess(new SecretFetched(
                Instant.now(),
                new SecretRef(
                        property,
                        key.store(),
                        key.id().toString(),
                        null,
                        value.version().orElse(null)),
                auditor.workerContext()));
    }

    @Override
    public void rotated(SecretCache.Key key, String previousVersion, String newVersion) {
        Set<String> properties = readers.apply(key);
        for (String property : properties.isEmpty() ? Collections.<String>singleton(null) : properties) {
            auditor.emit(new SecretRotated(
                    Instant.now(),
                    new SecretRef(property, key.store(), key.id().toString(), null, newVersion),
                    previousVersion,
                    auditor.workerContext()));
        }
    }

    @Override
    public void failed(SecretCache.Key key, SecretException failure, boolean servedStale, String property) {
        SecretRef ref = new SecretRef(property, key.store(), key.id().toString(), null, null);
        auditor.failed(
                failure.ref().property() == null && property != null ? failure.withRef(ref) : failure, servedStale);
    }

    /**
     * A rotation check failed. After a transient failure the cached value stays in service (audited as served
     * stale); after a refusal it does not (the watcher made it stale): audited as a failure.
     */
    void checkFailed(SecretCache.Key key, SecretException failure) {
        auditor.failed(
                failure.withRef(new SecretRef(null, key.store(), key.id().toString(), null, null)),
                failure.reason().transientFailure());
    }
}
