package io.mpsecrets.config;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One secret store as a config source: the fields of its listed secrets are properties. A property's value here is
 * the reference {@code ${store::id#field}}, which {@link SecretMarker} and {@link SecretResolver} turn into the
 * current plaintext when it is read, through the application's cache; so SmallRye never expands or logs a store's
 * value, and {@code getConfigSources()} dumps show references, not secrets. Names come from the start-up fetch of the
 * listed secrets only; no other secret is fetched to answer {@link #getPropertyNames()}.
 */
public final class SecretStoreConfigSource implements ConfigSource {

    private final String store;
    private final int ordinal;
    private final Map<String, String> references;

    SecretStoreConfigSource(String store, int ordinal, Map<String, String> references) {
        this.store = store;
        this.ordinal = ordinal;
        this.references = Collections.unmodifiableMap(references);
    }

    @Override
    public Set<String> getPropertyNames() {
        return references.keySet();
    }

    @Override
    public Map<String, String> getProperties() {
        return references;
    }

    @Override
    public String getValue(String propertyName) {
        return references.get(propertyName);
    }

    @Override
    public String getName() {
        return "mp-secrets " + store;
    }

    @Override
    public int getOrdinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return getName() + " (" + references.size() + " properties)";
    }
}
