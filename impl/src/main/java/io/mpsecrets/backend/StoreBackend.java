package io.mpsecrets.backend;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import java.util.Set;

/** A store built from its factory: the store and what its factory says it can do. */
public record StoreBackend(SecretStore store, Set<Capability> capabilities) {

    public StoreBackend {
        capabilities = Set.copyOf(capabilities);
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }
}
