package io.mpsecrets.gcp;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code gcp-kms}: Google Cloud KMS as a KMS ({@link CloudKms}); key ids
 * {@code gcp-kms:projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>}. Its settings are under
 * {@code mpsecrets.kms.gcp-kms.}: {@code endpoint} (Cloud KMS's address; the CLI's {@code --endpoint}) and the
 * connection's (credentials, timeout, ...), each of which falls back to the {@code gcp} store's
 * ({@code mpsecrets.gcp.<setting>}), so an application that uses both sets its credentials once.
 */
public final class CloudKmsFactory implements KeyManagementServiceFactory {

    @Override
    public String name() {
        return CloudKms.NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return CloudKms.isKeyId(keyId);
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        String own = context.prefix();
        Settings settings = new Settings(name -> ownFirst(context, name));
        GcpSettings connection = GcpSettings.read(own, settings, context.environment());
        URI endpoint = GcpSettings.withoutSlash(
                context.settings().url(own + "endpoint").orElse(URI.create(CloudKms.DEFAULT_ENDPOINT)));
        GcpHttp http = new GcpHttp(connection);
        return new CloudKms(
                connection, endpoint, http, GoogleCredentials.applicationDefault(connection, http, System::nanoTime));
    }

    /**
     * {@code mpsecrets.kms.gcp-kms.<x>} when set, else the store's {@code mpsecrets.gcp.<x>}: the connection's settings
     * are the same for both backends unless the KMS says otherwise.
     */
    private static Optional<String> ownFirst(BackendContext context, String name) {
        Optional<String> value = context.setting(name);
        if (value.isEmpty() && name.startsWith(context.prefix())) {
            return context.setting(
                    GcpSettings.PREFIX + name.substring(context.prefix().length()));
        }
        return value;
    }

    /** The connection's settings and the endpoint, under {@code mpsecrets.kms.gcp-kms.}. */
    @Override
    public Set<String> settingNames() {
        Set<String> names = new TreeSet<>(GcpSettings.CONNECTION);
        names.add("endpoint");
        names.remove("project");
        return Set.copyOf(names);
    }
}
