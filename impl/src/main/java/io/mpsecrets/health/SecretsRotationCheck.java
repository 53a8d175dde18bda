package io.mpsecrets.health;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.validate.SecretValidator;
import io.mpsecrets.validate.ValidationSettings;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness ({@code mp-secrets rotation}): the secrets due or overdue for rotation, by the classes of
 * docs/runbook.md ({@link SecretsHealth#rotation}). The answer is kept a minute: ages change by the day, and a
 * probe every few seconds need not look again. Registered like {@link SecretsReadinessCheck}.
 */
public class SecretsRotationCheck implements HealthCheck {

    static final String NAME = "mp-secrets rotation";
    private static final Duration KEEP = Duration.ofMinutes(1);

    @Inject
    protected Config config;

    private Clock clock = Clock.systemUTC();
    private volatile HealthCheckResponse last;
    private volatile Instant lastAt = Instant.MIN;

    public SecretsRotationCheck() {}

    /** For a config and clock at hand (tests, SE). */
    public SecretsRotationCheck(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        HealthCheckResponse kept = last;
        if (kept != null && now.isBefore(lastAt.plus(KEEP))) {
            return kept;
        }
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        Optional<SecretsRuntime> runtime = ConfigRegistry.runtimeOf(config);
        if (runtime.isEmpty()) {
            return response.up().build();
        }
        Settings settings = new Settings(name -> config.getOptionalValue(name, String.class));
        SecretsHealth.Report report = SecretsHealth.rotation(
                new SecretValidator(
                                config,
                                runtime.get(),
                                ValidationSettings.read(settings, config.getPropertyNames()),
                                clock)
                        .rotation(),
                settings.bool("mpsecrets.health.rotation.overdue-is-down", false));
        report.data().forEach(response::withData);
        HealthCheckResponse answer = response.status(report.up()).build();
        last = answer;
        lastAt = now;
        return answer;
    }
}
