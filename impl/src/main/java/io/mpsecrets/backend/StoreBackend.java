package io.mpsecrets.backend;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretProvider.Capability;
import java.util.Set;

/** A store built from its factory: the provider and what its factory says it can do. */
public record StoreBackend(SecretProvider provider, Set<Capability> capabilities) {

    public StoreBackend {
        capabilities = Set.copyOf(capabilities);
    }

    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }
}
