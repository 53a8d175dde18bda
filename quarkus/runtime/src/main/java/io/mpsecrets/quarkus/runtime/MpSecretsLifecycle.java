package io.mpsecrets.quarkus.runtime;

import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.cdi.ApplicationSecrets;
import io.mpsecrets.cdi.ContainerTelemetry;
import io.mpsecrets.cdi.RotationContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What mp-secrets' portable CDI extension does elsewhere, for ArC, which runs no portable extensions: when the
 * application starts, its secrets are found (or the start fails closed where the config holds values only
 * mp-secrets can read and it is not installed), audit events go to {@code @Observes SecretEvent} observers, metrics to
 * the application's {@code OpenTelemetry} (quarkus-opentelemetry), and {@code mpsecrets.validate} runs; when it stops,
 * the secrets are closed. Registered by the deployment's build step.
 */
@Singleton
public class MpSecretsLifecycle {

    @Inject
    Config config;

    @Inject
    Event<SecretEvent> events;

    @Inject
    BeanManager beanManager;

    @ConfigProperty(name = "quarkus.application.name")
    Optional<String> applicationName;

    private ApplicationSecrets secrets;

    /** Before the application's own start-up observers, so that they find their secrets checked. */
    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        // A restart in this class loader (dev mode, tests with resources of their own) gets a live scope again.
        RotationContext scope = ArcRotationContext.started();
        secrets = new ApplicationSecrets(config);
        List<String> problems = secrets.start(
                secretEvent -> {
                    scope.observe(secretEvent);
                    events.fire(secretEvent);
                    return true;
                },
                () -> applicationName,
                () -> ContainerTelemetry.of(beanManager));
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
        secrets.runtime().ifPresent(runtime -> scope.grace(runtime.settings().rotationGrace()));
    }

    void stop(@Observes ShutdownEvent event) {
        ArcRotationContext.scope().shutdown();
        if (secrets != null) {
            secrets.stop();
        }
    }
}
