package io.mpsecrets.kms.local;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code local}: the keyring file {@code mpsecrets.kms.local.keyring} (default {@code ~/.mpsecrets/keyring.json}),
 * read on first use. Key ids {@code local} and {@code local:...}.
 */
public final class LocalKeyringKmsFactory implements KeyManagementServiceFactory {

    public static final String NAME = "local";
    public static final String KEYRING = "mpsecrets.kms.local.keyring";

    /** {@code ~/.mpsecrets/keyring.json}: where {@code mpsecrets keygen} puts a keyring by default. */
    public static Path defaultKeyring() {
        return Path.of(System.getProperty("user.home"), ".mpsecrets", "keyring.json");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return LocalKeyId.handles(keyId);
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        return LocalKeyringKms.open(context.settings().path(KEYRING).orElseGet(LocalKeyringKmsFactory::defaultKeyring));
    }

    /** {@code mpsecrets.kms.local.keyring}. */
    @Override
    public Set<String> settingNames() {
        return Set.of("keyring");
    }
}
