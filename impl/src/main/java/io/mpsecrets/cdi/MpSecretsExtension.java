package io.mpsecrets.cdi;

import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.config.RawValues;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.settings.Settings;
import io.mpsecrets.validate.Finding;
import io.mpsecrets.validate.SecretValidator;
import io.mpsecrets.validate.ValidationSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * mp-secrets in a CDI container: bridges audit events to CDI events (with the events emitted while the application
 * deployed), names the module in worker contexts, warns of injection points that convert a secret, validates the
 * application's secrets at start-up, fails the deployment where mp-secrets' interceptors do not run, and at shutdown
 * closes the application's secrets runtime: the rotation watcher stops, cached values are zeroed and plaintexts
 * dropped. Registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 */
public class MpSecretsExtension implements Extension {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");

    private SecretsRuntime runtime;
    private CdiAuditSink sink;
    private final ConvertedSecrets converted = new ConvertedSecrets();

    void injectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        converted.observe(event.getInjectionPoint());
    }

    void afterDeploymentValidation(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        Config config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        Optional<SecretsRuntime> found;
        try {
            found = ConfigRegistry.runtimeOf(config);
        } catch (RuntimeException e) {
            // The portable source builds its runtime when first asked; settings it cannot use stop the deployment.
            event.addDeploymentProblem(new DeploymentException("mp-secrets cannot start: "
                    + (e instanceof SecretException
                            ? e.getMessage()
                            : e.getClass().getName())));
            return;
        }
        if (found.isEmpty()) {
            failClosed(config, event);
            return;
        }
        runtime = found.get();
        moduleName().ifPresent(runtime.auditor()::module);
        runtime.auditor().moduleLookup(MpSecretsExtension::moduleName);
        sink = new CdiAuditSink(beanManager);
        runtime.auditor().attach(sink);
        converted.warn(config, runtime);
        validate(config, event);
    }

    /**
     * Without mp-secrets' interceptors (a MicroProfile Config that is not SmallRye, or one built without discovered
     * interceptors) an {@code ENC(...)} value would reach the application as its ciphertext text and a store
     * reference as whatever the implementation makes of it: the deployment fails instead, naming the properties.
     */
    private static void failClosed(Config config, AfterDeploymentValidation event) {
        java.util.SortedSet<String> unreadable = RawValues.needingMpSecrets(config);
        if (unreadable.isEmpty()) {
            LOG.fine(
                    "mp-secrets: the application's config has no mp-secrets interceptors and no value that needs them");
            return;
        }
        event.addDeploymentProblem(new DeploymentException("mp-secrets: the application's MicroProfile Config ("
                + config.getClass().getName()
                + ") does not run mp-secrets' interceptors, so these properties would be handed "
                + "to the application undecrypted or unresolved: " + String.join(", ", unreadable)
                + ". Run on a SmallRye Config based server, or see docs/servers.md"));
    }

    /** {@code mpsecrets.validate=fail|warn}: checks the application's secrets before it takes traffic. */
    private void validate(Config config, AfterDeploymentValidation event) {
        ValidationSettings settings = ValidationSettings.read(
                new Settings(name -> config.getOptionalValue(name, String.class)), config.getPropertyNames());
        if (settings.mode() == ValidationSettings.Mode.OFF) {
            return;
        }
        List<Finding> findings = new SecretValidator(config, runtime, settings, Clock.systemUTC()).validate();
        List<Finding> errors = findings.stream()
                .filter(f -> f.severity() == Finding.Severity.ERROR)
                .toList();
        if (settings.mode() == ValidationSettings.Mode.FAIL && !errors.isEmpty()) {
            event.addDeploymentProblem(new DeploymentException(
                    "mp-secrets: " + errors.size() + " secret problem(s) " + "(mpsecrets.validate=fail): "
                            + errors.stream().map(Finding::toString).collect(Collectors.joining("; "))));
            return;
        }
        findings.forEach(finding -> LOG.warning("mp-secrets: secret problem: " + finding));
    }

    /**
     * Names the module once the application has started: an application server may not answer
     * {@code java:module/ModuleName} while the container deploys, and in a web module the event's payload is the
     * {@code ServletContext}, whose name or context path names it. Where neither answers (Payara), events look the
     * module up on the application's threads ({@link io.mpsecrets.runtime.Auditor#moduleLookup}).
     */
    void applicationStarted(@Observes @Initialized(ApplicationScoped.class) Object payload) {
        if (runtime == null || runtime.auditor().workerContext().module() != null) {
            return;
        }
        moduleName().or(() -> servletContextName(payload)).ifPresent(runtime.auditor()::module);
    }

    private static Optional<String> servletContextName(Object payload) {
        if (payload == null) {
            return Optional.empty();
        }
        for (String method : new String[] {"getServletContextName", "getContextPath"}) {
            try {
                Object name = payload.getClass().getMethod(method).invoke(payload);
                if (name instanceof String text && !text.isBlank()) {
                    return Optional.of(text.startsWith("/") ? text.substring(1) : text);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not a servlet context after all
            }
        }
        return Optional.empty();
    }

    void beforeShutdown(@Observes BeforeShutdown event) {
        if (runtime != null) {
            runtime.auditor().detach(sink);
            runtime.close();
            runtime = null;
        }
    }

    /** {@code java:module/ModuleName} in an application server; none in Java SE. */
    private static Optional<String> moduleName() {
        try {
            return Optional.ofNullable((String) new InitialContext().lookup("java:module/ModuleName"));
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
