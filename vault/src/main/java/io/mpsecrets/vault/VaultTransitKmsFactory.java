package io.mpsecrets.vault;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;

/**
 * {@code vault-transit}: Vault's Transit engine as a KMS ({@link VaultTransitKms}); key ids
 * {@code vault-transit:<key name>}. Connects and logs in as the Vault store does ({@code mpsecrets.vault.*}, Vault's
 * environment variables), each setting overridable as {@code mpsecrets.kms.vault-transit.<setting>};
 * {@code mpsecrets.kms.vault-transit.mount} names the engine's mount ({@code transit}).
 */
public final class VaultTransitKmsFactory implements KeyManagementServiceFactory {

    @Override
    public String name() {
        return VaultTransitKms.NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return VaultTransitKms.isTransitKeyId(keyId);
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        Settings settings = context.settings();
        return new VaultTransitKms(
                VaultSettings.read(new Settings(name -> ownFirst(context, name)), context.environment()),
                settings.string(context.prefix() + "mount").orElse("transit"),
                context.events());
    }

    /**
     * A Vault setting ({@code mpsecrets.vault.<x>}) from {@code mpsecrets.kms.vault-transit.<x>} when set there (a
     * Transit engine on another Vault, or another login), else the store's; {@code endpoint} (the CLI's
     * {@code --endpoint}) stands for {@code address}.
     */
    private static java.util.Optional<String> ownFirst(BackendContext context, String name) {
        if (!name.startsWith(VaultSettings.PREFIX)) {
            return context.setting(name);
        }
        String own = context.prefix() + name.substring(VaultSettings.PREFIX.length());
        java.util.Optional<String> value = context.setting(own);
        if (value.isEmpty() && name.equals(VaultSettings.PREFIX + "address")) {
            value = context.setting(context.prefix() + "endpoint");
        }
        return value.or(() -> context.setting(name));
    }

    /** Vault's settings of its own (each falls back to the store's), the engine's mount and the CLI's endpoint. */
    @Override
    public java.util.Set<String> settingNames() {
        return names();
    }

    private static java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>(VaultSettings.NAMES);
        names.add("mount");
        names.add("endpoint");
        return java.util.Set.copyOf(names);
    }
}
