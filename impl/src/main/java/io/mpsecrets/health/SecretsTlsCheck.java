package io.mpsecrets.health;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.tls.TlsMaterial;
import io.mpsecrets.tls.TlsMaterials;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness ({@code mp-secrets tls}): each TLS material in use, its serial and not-after; down while one is about to
 * expire ({@code mpsecrets.tls.<name>.expiry-warning}) or its last new material was refused (the previous one still
 * serves: an operator must look). Registered as the other checks are ({@link HealthRegistration}).
 */
public class SecretsTlsCheck implements HealthCheck {

    static final String NAME = "mp-secrets tls";

    @Inject
    protected Config config;

    public SecretsTlsCheck() {}

    /** For a config at hand (tests, SE). */
    public SecretsTlsCheck(Config config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        Optional<SecretsRuntime> runtime = ConfigRegistry.runtimeOf(config);
        List<TlsMaterial.State> states = runtime.flatMap(TlsMaterials::ofRuntime)
                .map(materials ->
                        materials.loaded().stream().map(TlsMaterial::state).toList())
                .orElse(List.of());
        SecretsHealth.Report report = SecretsHealth.tls(states);
        report.data().forEach(response::withData);
        return response.status(report.up()).build();
    }
}
