package io.mpsecrets.validate;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.runtime.KnownSettings;
import io.mpsecrets.runtime.SecretsRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/** {@code mpsecrets.validate=fail|warn} when an application starts: its secrets checked before it takes traffic. */
public final class StartupValidation {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");

    private StartupValidation() {}

    /** The problem that must stop the application ({@code fail} and errors found); warnings are logged. */
    public static Optional<String> problem(Config config, SecretsRuntime runtime) {
        ValidationSettings settings = ValidationSettings.read(
                new Settings(name -> config.getOptionalValue(name, String.class)), config.getPropertyNames());
        List<KnownSettings.Unknown> unknown =
                KnownSettings.of(runtime.backends()).unknown(config.getPropertyNames());
        if (!unknown.isEmpty() && settings.mode() == ValidationSettings.Mode.FAIL) {
            return Optional.of("mp-secrets: unknown setting(s) (mpsecrets.validate=fail): "
                    + LogSafe.escape(unknown.stream().map(Object::toString).collect(Collectors.joining("; "))));
        }
        // Always said, whatever mpsecrets.validate: a mistyped setting is otherwise silently without effect.
        unknown.forEach(u -> LOG.warning("mp-secrets: unknown setting " + LogSafe.escape(u.toString())
                + "; it is not read by mp-secrets or any backend on the class path"));
        if (settings.mode() == ValidationSettings.Mode.OFF) {
            return Optional.empty();
        }
        List<Finding> findings = new SecretValidator(config, runtime, settings, Clock.systemUTC()).validate();
        List<Finding> errors = findings.stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR)
                .toList();
        if (settings.mode() == ValidationSettings.Mode.FAIL && !errors.isEmpty()) {
            return Optional.of("mp-secrets: " + errors.size() + " secret problem(s) (mpsecrets.validate=fail): "
                    + errors.stream().map(Finding::toString).collect(Collectors.joining("; ")));
        }
        findings.forEach(finding -> LOG.warning("mp-secrets: secret problem: " + finding));
        return Optional.empty();
    }
}
