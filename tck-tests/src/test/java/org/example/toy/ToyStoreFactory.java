package org.example.toy;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code toy}: registered in this module's test {@code META-INF/services}, as a third party's jar would register it.
 */
public final class ToyStoreFactory implements SecretStoreFactory {

    public static final String NAME = "toy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.LIST, Capability.FIELDS);
    }

    @Override
    public SecretStore create(BackendContext context) {
        // The api's backend kit reads typed settings with the same parsing and errors as mp-secrets' own.
        Settings settings = context.settings();
        return new ToyStore(
                settings.string(context.prefix() + "namespace").orElse("default"),
                settings.bytes(context.prefix() + "max-size", ToyStore.DEFAULT_MAX_SIZE),
                context.prefix() + "max-size");
    }
}
