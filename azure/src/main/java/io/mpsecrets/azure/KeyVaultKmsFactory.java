package io.mpsecrets.azure;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import java.util.Optional;
import java.util.Set;

/**
 * {@code azure-keyvault}: Key Vault and Managed HSM keys as a KMS ({@link KeyVaultKms}); key ids
 * {@code azure-keyvault:https://<vault>/keys/<name>[/<version>]}. Logs in as the {@code azure} store does
 * ({@code mpsecrets.azure.*}, the {@code AZURE_*} environment variables), each setting overridable as
 * {@code mpsecrets.kms.azure-keyvault.<setting>}.
 */
public final class KeyVaultKmsFactory implements KeyManagementServiceFactory {

    @Override
    public String name() {
        return KeyVaultKms.NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return KeyVaultKms.isKeyId(keyId);
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        Settings own = new Settings(name -> ownFirst(context, name));
        return new KeyVaultKms(AzureSettings.read(AzureSettings.PREFIX, own, context.environment()));
    }

    /**
     * A setting of the store ({@code mpsecrets.azure.<x>}) from {@code mpsecrets.kms.azure-keyvault.<x>} when set
     * there (keys in another tenant, another identity), else the store's.
     */
    private static Optional<String> ownFirst(BackendContext context, String name) {
        if (!name.startsWith(AzureSettings.PREFIX)) {
            return context.setting(name);
        }
        return context.setting(context.prefix() + name.substring(AzureSettings.PREFIX.length()))
                .or(() -> context.setting(name));
    }

    /** The store's settings, each of its own. */
    @Override
    public Set<String> settingNames() {
        return AzureSettings.NAMES;
    }
}
