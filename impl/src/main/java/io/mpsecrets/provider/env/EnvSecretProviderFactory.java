package io.mpsecrets.provider.env;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretProvider.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretProviderFactory;
import java.util.EnumSet;
import java.util.Set;

/** {@code env}: the process environment; a JSON variable's fields become properties when it is listed. */
public final class EnvSecretProviderFactory implements SecretProviderFactory {

    @Override
    public String name() {
        return EnvSecretProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.FIELDS);
    }

    @Override
    public SecretProvider create(BackendContext context) {
        return new EnvSecretProvider(context.environment());
    }
}
