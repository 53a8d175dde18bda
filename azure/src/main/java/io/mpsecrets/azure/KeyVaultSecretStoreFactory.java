package io.mpsecrets.azure;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code azure}: Azure Key Vault's secrets through the JDK HTTP client, configured from {@code mpsecrets.azure.*} and
 * the {@code AZURE_*} environment variables Azure's SDKs read (docs/azure.md).
 */
public final class KeyVaultSecretStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return KeyVaultSecretStore.NAME;
    }

    /** {@code list}: batched checks by Get Secrets (the default); {@code get}: one Get Secret a secret. */
    static final String ROTATION_CHECK = "rotation-check";

    /**
     * Versions, rotation checks (batched by listing the vault) and listing; a secret is one property, its JSON fields
     * reached by {@code #field}.
     */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.BATCH_VERSIONS, Capability.LIST);
    }

    /** Without {@code BATCH_VERSIONS} when {@code rotation-check=get}. */
    @Override
    public Set<Capability> capabilities(BackendContext context) {
        Set<Capability> all = EnumSet.copyOf(capabilities());
        if (!lists(context)) {
            all.remove(Capability.BATCH_VERSIONS);
        }
        return all;
    }

    @Override
    public SecretStore create(BackendContext context) {
        return new KeyVaultSecretStore(
                AzureSettings.read(context.prefix(), context.settings(), context.environment()),
                lists(context),
                Clock.systemUTC());
    }

    private static boolean lists(BackendContext context) {
        String check =
                context.settings().string(context.prefix() + ROTATION_CHECK).orElse("list");
        if (!"list".equals(check) && !"get".equals(check)) {
            throw new ConfigurationException(context.prefix() + ROTATION_CHECK + " must be list or get");
        }
        return "list".equals(check);
    }

    /** The connection's settings and {@code rotation-check}. */
    @Override
    public Set<String> settingNames() {
        Set<String> names = new TreeSet<>(AzureSettings.NAMES);
        names.add(ROTATION_CHECK);
        return Set.copyOf(names);
    }
}
