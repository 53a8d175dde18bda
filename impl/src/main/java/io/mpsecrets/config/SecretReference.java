package io.mpsecrets.config;

import io.mpsecrets.api.SecretId;
import java.util.Set;

/**
 * {@code ${<store>::<secret id>}}: a value, or part of one, that is a secret in a store, e.g.
 * {@code ${aws::prod/payments#api_key}}, {@code ${vault::secret/orders#key}}, {@code ${file::db-password}}. The
 * syntax is SmallRye Config's secret-handler expression; mp-secrets resolves it itself, before expansion, so that it
 * works the same on every SmallRye version and a store's value is never expanded or logged by SmallRye.
 */
record SecretReference(String store, SecretId id) {

    static final Set<String> STORES = StoreSettings.STORES;

    /** Parses the inside of a reference, {@code store::id}; null when it does not name one of our stores. */
    static SecretReference parse(String inside) {
        int separator = inside.indexOf("::");
        if (separator < 0 || !STORES.contains(inside.substring(0, separator))) {
            return null;
        }
        return new SecretReference(inside.substring(0, separator), SecretId.parse(inside.substring(separator + 2)));
    }

    static String format(String store, SecretId id) {
        return "${" + store + "::" + id + "}";
    }
}
