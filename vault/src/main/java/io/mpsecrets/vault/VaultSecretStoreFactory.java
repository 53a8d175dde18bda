package io.mpsecrets.vault;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code vault}: HashiCorp Vault's KV secrets engine (version 1 and 2) through the JDK HTTP client, configured from
 * {@code mpsecrets.vault.*} and Vault's own environment variables ({@code VAULT_ADDR}, {@code VAULT_TOKEN}, ...);
 * leased secrets (the database engine's credentials) are renewed and re-issued as their leases require.
 */
public final class VaultSecretStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return VaultSecretStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.FIELDS);
    }

    @Override
    public SecretStore create(BackendContext context) {
        Settings settings = context.settings();
        return new VaultSecretStore(
                VaultSettings.read(settings, context.environment()),
                LeaseSettings.read(settings),
                context.changes(),
                context.events(),
                context.application());
    }

    /** Vault's settings, under {@code mpsecrets.vault.}. */
    @Override
    public java.util.Set<String> settingNames() {
        return VaultSettings.NAMES;
    }
}
