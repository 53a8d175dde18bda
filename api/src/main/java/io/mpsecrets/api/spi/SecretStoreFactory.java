package io.mpsecrets.api.spi;

import io.mpsecrets.api.SecretStore;
import java.util.Set;

/**
 * Makes a {@link SecretStore} (a secret store) of one kind, found by {@link java.util.ServiceLoader}. A store is
 * used only where the configuration names it: in {@code mpsecrets.sources}, or in a reference
 * {@code ${<name>::<secret id>}} in a value. Implementations are registered in
 * {@code META-INF/services/io.mpsecrets.api.spi.SecretStoreFactory}, have a public no-argument constructor, and
 * keep no state of their own.
 */
public interface SecretStoreFactory {

    /**
     * The store's name in configuration and references, e.g. {@code vault} in {@code ${vault::secret/orders#key}}.
     *
     * @return the name, whose settings are under {@code mpsecrets.<name>.}; two store factories with one name are
     *         refused when configuration uses it
     */
    String name();

    /**
     * What the store can do; callers decide by these, never by the store's name.
     *
     * @return the capabilities of every store this factory makes; none is required
     */
    Set<SecretStore.Capability> capabilities();

    /**
     * What the store built with {@code context}'s settings can do: {@link #capabilities()} less what a setting turns
     * off (a batched check the worker has no permission for, say).
     *
     * @param context the store's settings, as {@link #create} gets them
     * @return a subset of {@link #capabilities()}; all of them by default
     */
    default Set<SecretStore.Capability> capabilities(BackendContext context) {
        return capabilities();
    }

    /**
     * Builds the store from its settings. Opens no connection it does not need yet.
     *
     * @param context its name, settings, environment and the application's name, and where to report changes
     * @return a new store, which the runtime closes when the application stops
     * @throws io.mpsecrets.api.exception.ConfigurationException when a setting is missing or wrong, naming it
     */
    SecretStore create(BackendContext context);

    /**
     * The settings this backend reads, relative to its prefix ({@code address}, {@code kubernetes.role};
     * {@code *} stands for one name, as in {@code endpoint.*}), so that a mistyped one is reported when the
     * application starts, with the nearest known name. The default, {@link io.mpsecrets.api.backend.CommonSettings#ANY}
     * alone, declares nothing: every name under the prefix is taken as the backend's.
     *
     * @return names relative to {@link BackendContext#prefix()}, with {@code *} for one name
     */
    default java.util.Set<String> settingNames() {
        return java.util.Set.of(io.mpsecrets.api.backend.CommonSettings.ANY);
    }
}
