package io.mpsecrets.vault;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretProvider.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretProviderFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code vault}: HashiCorp Vault's KV secrets engine (version 1 and 2) through the JDK HTTP client, configured from
 * {@code mpsecrets.vault.*} and Vault's own environment variables ({@code VAULT_ADDR}, {@code VAULT_TOKEN}, ...);
 * leased secrets (the database engine's credentials) are renewed and re-issued as their leases require.
 */
public final class VaultSecretProviderFactory implements SecretProviderFactory {

    @Override
    public String name() {
        return VaultSecretProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.FIELDS);
    }

    @Override
    public SecretProvider create(BackendContext context) {
        Settings settings = context.settings();
        return new VaultSecretProvider(
                VaultSettings.read(settings, context.environment()),
                LeaseSettings.read(settings),
                context.changes(),
                context.application());
    }
}
