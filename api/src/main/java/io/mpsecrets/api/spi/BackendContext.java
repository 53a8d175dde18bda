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

    /**
     * The backend's name, as configuration names it.
     *
     * @return the name of the factory being asked, e.g. {@code vault} or {@code aws}
     */
    String name();

    /**
     * Where the backend's own settings start: {@code mpsecrets.<store>.} or {@code mpsecrets.kms.<kms>.}.
     *
     * @return the prefix, ending in a dot; a setting's full name is this and the name relative to it
     */
    String prefix();

    /**
     * A setting by its full name, e.g. {@code mpsecrets.vault.address}; empty when unset or blank.
     *
     * @param name the setting's full name, prefix included; shared settings outside the prefix (such as
     *        {@link io.mpsecrets.api.backend.CommonSettings#ROTATION_GRACE}) are read the same way
     * @return the value; empty when the setting is unset or blank
     * @throws io.mpsecrets.api.exception.ConfigurationException when the setting cannot be read as a setting
     */
    Optional<String> setting(String name);

    /**
     * The same settings, typed: durations, sizes, booleans, lists, each with the same parsing and errors.
     *
     * @return typed reads over {@link #setting}, errors naming the setting and never quoting its value
     */
    default Settings settings() {
        return new Settings(this::setting);
    }

    /**
     * The process environment (a map standing in for it in tests), for backends that honour a service's own variables.
     *
     * @return the variables by name, to read and not to change; a backend that reads them here rather than from
     *         {@link System#getenv()} can be tested with variables of the test's choosing
     */
    Map<String, String> environment();

    /**
     * The application (worker) name, {@code mpsecrets.app}.
     *
     * @return the name, {@code default} unless set; a KMS binds data keys to it as encryption context
     */
    String application();

    /**
     * Where a store reports changes it makes itself (leases re-issued or lost); {@link SecretChanges#NONE} by default.
     *
     * @return the runtime's receiver, never null; a KMS has no use for it
     */
    default SecretChanges changes() {
        return SecretChanges.NONE;
    }

    /**
     * Where a backend reports a failover; {@link BackendEvents#NONE} by default.
     *
     * @return the runtime's receiver, never null
     */
    default BackendEvents events() {
        return BackendEvents.NONE;
    }
}
