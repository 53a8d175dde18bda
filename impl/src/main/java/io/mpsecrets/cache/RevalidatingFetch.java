package io.mpsecrets.cache;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * The fetch behind a cache miss or an expired TTL. Where the store tells versions cheaply and the cached value's
 * version is still the current one, that value is kept, fresh again, without reading it from the store: a
 * conditional read, as with an ETag. For Secrets Manager a TTL refresh then costs a {@code DescribeSecret} (quota
 * 40,000 a second) instead of a {@code GetSecretValue} (10,000), and no value crosses the network.
 */
public final class RevalidatingFetch {

    private RevalidatingFetch() {}

    /**
     * The value for {@code key}: the cached one when {@code cheapVersions} and the store's current version is the
     * cached one's, else the store's. A cached value with an expiry (a lease) is always read from the store again:
     * the version does not tell that its expiry moved (a renewal), and a copy would carry the old one.
     *
     * @throws io.mpsecrets.api.exception.SecretException as the store throws it
     */
    public static SecretValue fetch(SecretCache cache, SecretCache.Key key, SecretStore store, boolean cheapVersions) {
        SecretId id = key.id();
        if (cheapVersions && !id.pinned()) {
            Optional<CachedSecret> cached =
                    cache.peek(key).filter(secret -> secret.value().expiresAt().isEmpty());
            Optional<String> version = cached.flatMap(CachedSecret::version);
            if (version.isPresent() && version.equals(store.currentVersion(id))) {
                SecretValue kept = cached.get().value();
                byte[] bytes = kept.bytes();
                try {
                    return SecretValue.of(bytes, version.get(), kept.created().orElse(null));
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }
        return store.fetch(id);
    }
}
