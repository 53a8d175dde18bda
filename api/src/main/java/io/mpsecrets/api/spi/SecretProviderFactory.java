package io.mpsecrets.api.spi;

import io.mpsecrets.api.SecretProvider;
import java.util.Set;

/**
 * Makes a {@link SecretProvider} (a secret store) of one kind, found by {@link java.util.ServiceLoader}. A store is
 * used only where the configuration names it: in {@code mpsecrets.sources}, or in a reference
 * {@code ${<name>::<secret id>}} in a value. Implementations are registered in
 * {@code META-INF/services/io.mpsecrets.api.spi.SecretProviderFactory}, have a public no-argument constructor, and
 * keep no state of their own.
 */
public interface SecretProviderFactory {

    /** The store's name in configuration and references, e.g. {@code vault} in {@code ${vault::secret/orders#key}}. */
    String name();

    /** What the store can do; callers decide by these, never by the store's name. */
    Set<SecretProvider.Capability> capabilities();

    /**
     * Builds the provider from its settings. Opens no connection it does not need yet.
     *
     * @throws io.mpsecrets.api.exception.ConfigurationException when a setting is missing or wrong, naming it
     */
    SecretProvider create(BackendContext context);
}
