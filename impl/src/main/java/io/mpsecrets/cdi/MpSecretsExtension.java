package io.mpsecrets.cdi;

import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.tls.MpSecretsTls;
import io.mpsecrets.tls.TlsMaterial;
import io.mpsecrets.tls.TlsMaterials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
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

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("io.mpsecrets.cdi");

    private ApplicationSecrets secrets;
    private final ConvertedSecrets converted = new ConvertedSecrets();
    private final RotationContext rotationScope = new RotationContext();

    /** The TLS materials injection points name with {@link Tls}, beside those the config sets. */
    private final Set<String> tlsNames = ConcurrentHashMap.newKeySet();

    /**
     * The context of {@link RotationScoped} beans, and for each TLS material its {@code SSLContext}, key manager, trust
     * manager and {@code TlsMaterial} with the {@link Tls} qualifier: one object each for the application's lifetime,
     * following the material's rotations.
     */
    void afterBeanDiscovery(@Observes AfterBeanDiscovery event) {
        event.addContext(rotationScope);
        Config config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        Set<String> names = new TreeSet<>(tlsNames);
        names.addAll(TlsMaterials.configuredNames(config));
        for (String name : names) {
            tlsBean(event, name, SSLContext.class, material -> material.sslContext());
            tlsBean(event, name, X509ExtendedKeyManager.class, material -> material.keyManager());
            tlsBean(event, name, X509ExtendedTrustManager.class, material -> material.trustManager());
            tlsBean(event, name, TlsMaterial.class, material -> material);
        }
    }

    private static <T> void tlsBean(
            AfterBeanDiscovery event, String name, Class<T> type, Function<TlsMaterial, T> part) {
        event.<T>addBean()
                .types(type, Object.class)
                .qualifiers(Tls.Literal.of(name), Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .createWith(context -> part.apply(MpSecretsTls.material(
                        ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader()), name)));
    }

    /**
     * Health checks where the server has the MicroProfile Health API. Reached by name, so that the extension itself
     * loads where the API is absent.
     */
    void beforeBeanDiscovery(@Observes BeforeBeanDiscovery event) {
        ClassLoader loader = MpSecretsExtension.class.getClassLoader();
        try {
            Class<?> health = Class.forName("io.mpsecrets.health.HealthRegistration", true, loader);
            if ((Boolean) health.getMethod("available", ClassLoader.class).invoke(null, loader)) {
                health.getMethod("register", BeforeBeanDiscovery.class).invoke(null, event);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.fine("mp-secrets: no health checks: " + e.getClass().getName());
        }
    }

    void injectionPoint(@Observes ProcessInjectionPoint<?, ?> event) {
        converted.observe(event.getInjectionPoint());
        event.getInjectionPoint().getQualifiers().stream()
                .filter(Tls.class::isInstance)
                .map(q -> ((Tls) q).value())
                .forEach(tlsNames::add);
    }

    void afterDeploymentValidation(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        Config config = ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader());
        secrets = new ApplicationSecrets(config);
        List<String> problems = new ArrayList<>(secrets.start(
                new CdiAuditSink(beanManager),
                MpSecretsExtension::moduleName,
                () -> ContainerTelemetry.of(beanManager)));
        secrets.runtime().ifPresent(runtime -> {
            converted.warn(config, runtime);
            rotationScope.grace(runtime.settings().rotationGrace());
            runtime.auditor().observe(rotationScope::observe);
            // Fail closed: an application does not start without the TLS material its config names.
            for (String name : TlsMaterials.configuredNames(config)) {
                try {
                    MpSecretsTls.material(config, name);
                } catch (SecretException e) {
                    problems.add("mp-secrets cannot start: " + e.getMessage());
                }
            }
        });
        if (!problems.isEmpty()) {
            // The application will not start, and a container need not fire BeforeShutdown for it (Weld SE does
            // not): its runtime, with the values validation read and the log mask they started, closes now.
            rotationScope.shutdown();
            secrets.stop();
            problems.forEach(problem -> event.addDeploymentProblem(new DeploymentException(problem)));
        }
    }

    /**
     * Names the module once the application has started: an application server may not answer
     * {@code java:module/ModuleName} while the container deploys, and in a web module the event's payload is the
     * {@code ServletContext}, whose name or context path names it. Where neither answers (Payara), events look the
     * module up on the application's threads ({@link io.mpsecrets.runtime.Auditor#moduleLookup}).
     */
    void applicationStarted(@Observes @Initialized(ApplicationScoped.class) Object payload) {
        Optional<SecretsRuntime> runtime = secrets == null ? Optional.empty() : secrets.runtime();
        if (runtime.isEmpty() || runtime.get().auditor().workerContext().module() != null) {
            return;
        }
        moduleName()
                .or(() -> servletContextName(payload))
                .ifPresent(runtime.get().auditor()::module);
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
        rotationScope.shutdown();
        if (secrets != null) {
            secrets.stop();
        }
    }

    /** MicroProfile Telemetry's {@code OpenTelemetry} bean, where the container has one. */
    /** {@code java:module/ModuleName} in an application server; none in Java SE. */
    private static Optional<String> moduleName() {
        try {
            return Optional.ofNullable((String) new InitialContext().lookup("java:module/ModuleName"));
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
