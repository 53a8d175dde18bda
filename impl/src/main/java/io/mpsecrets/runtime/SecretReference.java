package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretId;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code ${<store>::<secret id>}}: a value, or part of one, that is a secret in a store, e.g.
 * {@code ${aws::prod/payments#api_key}}, {@code ${vault::secret/orders#key}}, {@code ${file::db-password}}. The
 * syntax is SmallRye Config's secret-handler expression; mp-secrets resolves it itself, before expansion, so that it
 * works the same on every SmallRye version and a store's value is never expanded or logged by SmallRye.
 *
 * @param store the store's name
 * @param id the secret, with its version selector and field
 */
public record SecretReference(String store, SecretId id) {

    /**
     * The stores mp-secrets ships, in {@code mpsecrets-impl} or a backend module. A reference to one of them is
     * mp-secrets' even when its module is missing from the class path, so that it fails with a clear error instead
     * of being left to SmallRye, which would make it the text after {@code ::}. Not used to choose a backend.
     */
    public static final Set<String> SHIPPED_STORES = Set.of("aws", "ssm", "vault", "azure", "gcp", "file", "env");

    /**
     * Parses the inside of a reference, {@code store::id}; null when it names no store {@code isStore} accepts.
     *
     * @throws IllegalArgumentException when it names a store but the secret id is malformed
     */
    public static SecretReference parse(String inside, Predicate<String> isStore) {
        int separator = inside.indexOf("::");
        if (separator < 0 || !isStore.test(inside.substring(0, separator))) {
            return null;
        }
        return new SecretReference(inside.substring(0, separator), SecretId.parse(inside.substring(separator + 2)));
    }

    /** {@code ${store::id}} */
    public static String format(String store, SecretId id) {
        return "${" + store + "::" + id + "}";
    }

    @Override
    public String toString() {
        return store + "::" + id;
    }
}
