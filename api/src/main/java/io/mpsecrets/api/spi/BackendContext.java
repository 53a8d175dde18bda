package io.mpsecrets.api.spi;

import io.mpsecrets.api.backend.Settings;
import java.util.Map;
import java.util.Optional;

/**
 * What a backend factory is given to build its backend: the name it was enabled under, its settings and the
 * environment. Settings are read through the application's config (any source: properties file, environment
 * variables, system properties); a backend reads its own under {@link #prefix()}, e.g. {@code mpsecrets.vault.}
 * for the {@code vault} store or {@code mpsecrets.kms.aws.} for the {@code aws} KMS.
 */
public interface BackendContext {

    /** The backend's name, as configuration names it. */
    String name();

    /** Where the backend's own settings start: {@code mpsecrets.<store>.} or {@code mpsecrets.kms.<kms>.}. */
    String prefix();

    /**
     * A setting by its full name, e.g. {@code mpsecrets.vault.address}; empty when unset or blank.
     *
     * @throws io.mpsecrets.api.exception.ConfigurationException when the setting cannot be read as a setting
     */
    Optional<String> setting(String name);

    /** The same settings, typed: durations, sizes, booleans, lists, each with the same parsing and errors. */
    default Settings settings() {
        return new Settings(this::setting);
    }

    /**
     * The process environment (a map standing in for it in tests), for backends that honour a service's own variables.
     */
    Map<String, String> environment();

    /** The application (worker) name, {@code mpsecrets.app}. */
    String application();

    /**
     * Where a store reports changes it makes itself (leases re-issued or lost); {@link SecretChanges#NONE} by default.
     */
    default SecretChanges changes() {
        return SecretChanges.NONE;
    }

    /** Where a backend reports a failover; {@link BackendEvents#NONE} by default. */
    default BackendEvents events() {
        return BackendEvents.NONE;
    }
}
