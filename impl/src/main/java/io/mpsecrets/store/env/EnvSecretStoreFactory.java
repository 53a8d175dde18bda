package io.mpsecrets.store.env;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.Set;

/** {@code env}: the process environment; a JSON variable's fields become properties when it is listed. */
public final class EnvSecretStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return EnvSecretStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.FIELDS);
    }

    @Override
    public SecretStore create(BackendContext context) {
        return new EnvSecretStore(context.environment());
    }

    /** None of its own: only those every store has. */
    @Override
    public Set<String> settingNames() {
        return Set.of();
    }
}
