package io.mpsecrets.backend;

import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.api.spi.SecretChanges;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A {@link BackendContext} over a settings lookup. */
public record BackendSettings(
        String name,
        String prefix,
        Function<String, Optional<String>> lookup,
        Map<String, String> environment,
        String application,
        SecretChanges changes,
        BackendEvents events)
        implements BackendContext {

    public BackendSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(events, "events");
    }

    public BackendSettings(
            String name,
            String prefix,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application) {
        this(name, prefix, lookup, environment, application, SecretChanges.NONE, BackendEvents.NONE);
    }

    /** A store's context: settings under {@code mpsecrets.<name>.}. */
    public static BackendSettings store(
            String name,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application) {
        return new BackendSettings(name, CommonSettings.storePrefix(name), lookup, environment, application);
    }

    /** A store's context whose changes go to {@code changes} (the runtime's). */
    public static BackendSettings store(
            String name,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application,
            SecretChanges changes) {
        return new BackendSettings(
                name, CommonSettings.storePrefix(name), lookup, environment, application, changes, BackendEvents.NONE);
    }

    /** A KMS's context: settings under {@code mpsecrets.kms.<name>.}. */
    public static BackendSettings kms(
            String name,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application) {
        return new BackendSettings(name, CommonSettings.kmsPrefix(name), lookup, environment, application);
    }

    /** A KMS's context whose failovers go to {@code events} (the runtime's auditor). */
    public static BackendSettings kms(
            String name,
            Function<String, Optional<String>> lookup,
            Map<String, String> environment,
            String application,
            BackendEvents events) {
        return new BackendSettings(
                name, CommonSettings.kmsPrefix(name), lookup, environment, application, SecretChanges.NONE, events);
    }

    @Override
    public Optional<String> setting(String name) {
        return lookup.apply(name).map(String::trim).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "BackendSettings[" + name + ", " + prefix + "*]";
    }
}
