package io.mpsecrets.azure;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code azure}: Azure Key Vault's secrets through the JDK HTTP client, configured from {@code mpsecrets.azure.*} and
 * the {@code AZURE_*} environment variables Azure's SDKs read (docs/azure.md).
 */
public final class KeyVaultSecretStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return KeyVaultSecretStore.NAME;
    }

    /** Versions, rotation checks and listing; a secret is one property, its JSON fields reached by {@code #field}. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.LIST);
    }

    @Override
    public SecretStore create(BackendContext context) {
        return new KeyVaultSecretStore(AzureSettings.read(context.prefix(), context.settings(), context.environment()));
    }

    @Override
    public Set<String> settingNames() {
        return AzureSettings.NAMES;
    }
}
