package io.mpsecrets.gcp;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code gcp}: Google Cloud Secret Manager ({@link SecretManagerStore}) over its REST API and the JDK's HTTP client,
 * with Application Default Credentials, configured from {@code mpsecrets.gcp.*} and Google's environment variables
 * (docs/gcp.md).
 */
public final class SecretManagerStoreFactory implements SecretStoreFactory {

    /** Label keys and values as Secret Manager takes them (lowercase letters, digits, {@code _} and {@code -}). */
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

    @Override
    public String name() {
        return SecretManagerStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.BINARY, Capability.LIST, Capability.FIELDS);
    }

    @Override
    public SecretStore create(BackendContext context) {
        Settings settings = context.settings();
        String p = context.prefix();
        GcpSettings connection = GcpSettings.read(p, settings, context.environment());
        // access by default: a metadata read spends the read quota (600 a minute per project), which a fleet of 60
        // instances x 50 secrets fills at a 5-minute TTL; the access quota is 150 times larger, and Secret Manager
        // has no call that tells many secrets' versions at once (docs/scale.md, the fleet simulator).
        String rotationCheck = settings.string(p + "rotation-check").orElse("access");
        if (!rotationCheck.equals("metadata") && !rotationCheck.equals("access")) {
            throw new ConfigurationException(p + "rotation-check must be metadata or access");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : settings.list(p + "labels")) {
            int equals = label.indexOf('=');
            String key = equals < 0 ? label : label.substring(0, equals).trim();
            String value = equals < 0 ? "" : label.substring(equals + 1).trim();
            if (equals < 0
                    || !LABEL_KEY.matcher(key).matches()
                    || !LABEL_VALUE.matcher(value).matches()) {
                throw new ConfigurationException(p + "labels is a list of key=value (lowercase letters, digits, _ and"
                        + " -; a key starts with a letter), e.g. app=orders,env=prod");
            }
            labels.put(key, value);
        }
        SecretManagerStore.Options options = new SecretManagerStore.Options(
                settings.url(p + "endpoint").map(GcpSettings::withoutSlash),
                settings.string(p + "location").map(location -> {
                    if (!SecretName.LOCATION.matcher(location).matches()) {
                        throw new ConfigurationException(p + "location is not a Google Cloud location");
                    }
                    return location;
                }),
                java.util.Collections.unmodifiableMap(labels),
                settings.intBetween(p + "max-secrets", 1, 100_000, 1000),
                rotationCheck.equals("access"));
        GcpHttp http = new GcpHttp(connection);
        return new SecretManagerStore(
                connection, options, http, GoogleCredentials.applicationDefault(connection, http, System::nanoTime));
    }

    /** The connection's settings and the store's, under {@code mpsecrets.gcp.}. */
    @Override
    public Set<String> settingNames() {
        Set<String> names = new TreeSet<>(GcpSettings.CONNECTION);
        names.addAll(Set.of("endpoint", "location", "labels", "max-secrets", "rotation-check"));
        return Set.copyOf(names);
    }
}
