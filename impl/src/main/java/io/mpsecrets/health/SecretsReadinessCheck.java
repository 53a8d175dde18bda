package io.mpsecrets.health;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness ({@code mp-secrets}): each store and KMS the application uses, up, stale, down or denied, as the
 * application last saw it ({@link SecretsHealth#backends}). It calls no backend: a probe costs no quota. Registered
 * as a {@code @Readiness} bean by mp-secrets' CDI extension (or the Quarkus extension) where the server has the
 * MicroProfile Health API; it carries no bean annotations itself, so that a server without the API never loads it.
 */
public class SecretsReadinessCheck implements HealthCheck {

    static final String NAME = "mp-secrets";

    @Inject
    protected Config config;

    public SecretsReadinessCheck() {}

    /** For a config at hand (tests, SE). */
    public SecretsReadinessCheck(Config config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        Optional<SecretsRuntime> runtime = ConfigRegistry.runtimeOf(config);
        if (runtime.isEmpty()) {
            return response.up().withData("secrets", "none").build();
        }
        SecretsHealth.Report report = SecretsHealth.backends(
                runtime.get(), new Settings(name -> config.getOptionalValue(name, String.class)));
        report.data().forEach(response::withData);
        return response.status(report.up()).build();
    }
}
