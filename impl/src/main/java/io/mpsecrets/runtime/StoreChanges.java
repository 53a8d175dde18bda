package io.mpsecrets.runtime;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.api.spi.SecretChanges;
import io.mpsecrets.backend.BackendSettings;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** One store's {@link SecretChanges}, handed to {@link StoreSecrets} with the store's name. */
final class StoreChanges implements SecretChanges {

    interface Failed {
        void accept(String store, SecretId id, SecretException failure);
    }

    private final String store;
    private final BiConsumer<String, SecretId> changed;
    private final Failed failed;

    private StoreChanges(String store, BiConsumer<String, SecretId> changed, Failed failed) {
        this.store = store;
        this.changed = changed;
        this.failed = failed;
    }

    /** A store's context whose changes reach {@code changed} and {@code failed}, and whose events {@code events}. */
    static BackendSettings context(
            String store,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application,
            BiConsumer<String, SecretId> changed,
            Failed failed,
            BackendEvents events) {
        return new BackendSettings(
                store,
                CommonSettings.storePrefix(store),
                lookup,
                environment,
                application,
                new StoreChanges(store, changed, failed),
                events);
    }

    @Override
    public void changed(SecretId id) {
        changed.accept(store, id);
    }

    @Override
    public void failed(SecretId id, SecretException failure) {
        failed.accept(store, id, failure);
    }
}
