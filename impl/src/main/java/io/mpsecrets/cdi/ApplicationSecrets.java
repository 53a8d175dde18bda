package io.mpsecrets.cdi;

import io.mpsecrets.api.AuditSink;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.config.RawValues;
import io.mpsecrets.metrics.MetricsInstaller;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.validate.StartupValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * One application's secrets from start to stop, as every container integration needs them (the portable CDI
 * extension, the Quarkus extension): find the config's runtime, fail closed where there is none but the config
 * holds values that need one, attach the container's audit sink, validate, and close at shutdown. The caller turns
 * the problems {@link #start} returns into a failed deployment, in its container's way.
 */
public final class ApplicationSecrets {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");

    private final Config config;
    private SecretsRuntime runtime;
    private AuditSink sink;
    private Optional<AutoCloseable> metrics = Optional.empty();

    public ApplicationSecrets(Config config) {
        this.config = config;
    }

    /**
     * Starts the application's secrets: every string returned is a problem that must stop the application; none
     * means it may start.
     *
     * @param sink receives every audit event, those emitted while the application deployed first
     * @param module names the application's module when events ask for it
     */
    public List<String> start(AuditSink sink, Supplier<Optional<String>> module) {
        return start(sink, module, Optional::empty);
    }

    /**
     * As {@link #start(AuditSink, Supplier)}, with the container's OpenTelemetry (an
     * {@code io.opentelemetry.api.OpenTelemetry}) for metrics, if it has one.
     */
    public synchronized List<String> start(
            AuditSink sink, Supplier<Optional<String>> module, Supplier<Optional<Object>> telemetry) {
        List<String> problems = new ArrayList<>();
        Optional<SecretsRuntime> found;
        try {
            found = ConfigRegistry.runtimeOf(config);
        } catch (RuntimeException e) {
            // The portable source builds its runtime when first asked; settings it cannot use stop the application.
            problems.add("mp-secrets cannot start: "
                    + (e instanceof SecretException
                            ? e.getMessage()
                            : e.getClass().getName()));
            return problems;
        }
        if (found.isEmpty()) {
            failClosed().ifPresent(problems::add);
            return problems;
        }
        runtime = found.get();
        module.get().ifPresent(runtime.auditor()::module);
        runtime.auditor().moduleLookup(module);
        this.sink = sink;
        runtime.auditor().attach(sink);
        metrics = MetricsInstaller.install(runtime, name -> config.getOptionalValue(name, String.class), telemetry);
        StartupValidation.problem(config, runtime).ifPresent(problems::add);
        return problems;
    }

    /** The runtime, once {@link #start} found it. */
    public synchronized Optional<SecretsRuntime> runtime() {
        return Optional.ofNullable(runtime);
    }

    /** Stops the rotation watcher, zeroes cached values and drops plaintexts. */
    public synchronized void stop() {
        metrics.ifPresent(handle -> {
            try {
                handle.close();
            } catch (Exception e) {
                // closing anyway
            }
        });
        metrics = Optional.empty();
        if (runtime != null) {
            runtime.auditor().detach(sink);
            runtime.close();
            runtime = null;
        }
    }

    /**
     * Without mp-secrets' interceptors or portable source an {@code ENC(...)} value would reach the application as
     * its ciphertext text and a store reference as whatever the implementation makes of it: the application stops
     * instead, naming the properties.
     */
    private Optional<String> failClosed() {
        SortedSet<String> unreadable = RawValues.needingMpSecrets(config);
        if (unreadable.isEmpty()) {
            LOG.fine(
                    "mp-secrets: the application's config has no mp-secrets interceptors and no value that needs them");
            return Optional.empty();
        }
        return Optional.of("mp-secrets: the application's MicroProfile Config ("
                + config.getClass().getName()
                + ") does not run mp-secrets' interceptors, so these properties would be handed to the application "
                + "undecrypted or unresolved: " + String.join(", ", unreadable)
                + ". Run on a SmallRye Config based server, or see docs/servers.md");
    }
}
