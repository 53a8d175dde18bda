package io.mpsecrets.api.spi;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.exception.SecretException;

/**
 * Where a store reports what happens to its secrets between reads, when the store itself moves them on: a leased
 * credential re-issued before its lease runs out, a lease an operator revoked, a renewal Vault refused. Stores whose
 * secrets change only when someone writes them need nothing of this: rotation polling finds their changes. The
 * runtime answers {@link #changed} by fetching the secret again and reporting the rotation to every property that
 * read it. Both methods may be called from the store's own threads; neither throws.
 */
public interface SecretChanges {

    /** For a store built without a runtime (tools, tests): changes go nowhere. */
    SecretChanges NONE = new SecretChanges() {
        @Override
        public void changed(SecretId id) {}

        @Override
        public void failed(SecretId id, SecretException failure) {}
    };

    /**
     * {@code id}'s current value is another one now: fetch it again and report the rotation. The runtime fetches on the
     * calling thread, through this store's {@link io.mpsecrets.api.SecretStore#fetch}, before it returns: call it
     * holding no lock that a fetch needs. A secret no property has read yet is left for its first read.
     *
     * @param id the secret as the store was asked for it; a field in it is ignored
     */
    void changed(SecretId id);

    /**
     * Keeping {@code id} current failed; the value in service stays in service. Returns quickly.
     *
     * @param id the secret as the store was asked for it; a field in it is ignored
     * @param failure why, audited as a failed check of that secret
     */
    void failed(SecretId id, SecretException failure);
}
