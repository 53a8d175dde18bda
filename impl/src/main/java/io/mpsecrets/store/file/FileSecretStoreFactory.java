package io.mpsecrets.store.file;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code file}: a directory of mounted secret files, {@code mpsecrets.file.dir}, with
 * {@code mpsecrets.file.trim-newline} (default true). A file is one value, as Kubernetes and Docker users expect; its
 * fields stay reachable as {@code ${file::name#field}}.
 */
public final class FileSecretStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return FileSecretStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ROTATION_CHECK, Capability.BINARY, Capability.LIST);
    }

    @Override
    public SecretStore create(BackendContext context) {
        Settings settings = context.settings();
        return new FileSecretStore(
                settings.path(context.prefix() + "dir")
                        .orElseThrow(() -> new io.mpsecrets.api.exception.ConfigurationException(
                                context.prefix() + "dir is not set; it names the directory of mounted secret files")),
                settings.bool(context.prefix() + "trim-newline", true),
                settings.bytes(context.prefix() + "max-size", FileSecretStore.DEFAULT_MAX_SIZE));
    }

    /** The file store's settings, under {@code mpsecrets.file.}. */
    @Override
    public Set<String> settingNames() {
        return Set.of("dir", "trim-newline", "max-size");
    }
}
