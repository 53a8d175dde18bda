package io.mpsecrets.cdi;

import io.mpsecrets.config.SecretsRuntime;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * mp-secrets in a CDI container: bridges audit events to CDI events (with the events emitted while the application
 * deployed), names the module in worker contexts, and at shutdown closes the application's secrets runtime: the
 * rotation watcher stops, cached values are zeroed and plaintexts dropped. Registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 */
public class MpSecretsExtension implements Extension {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.cdi");

    private SecretsRuntime runtime;
    private CdiAuditSink sink;

    void afterDeploymentValidation(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        Optional<SecretsRuntime> found = runtimeOf(ConfigProvider.getConfig(Thread.currentThread().getContextClassLoader()));
        if (found.isEmpty()) {
            LOG.warning("mp-secrets: the application's config has no mp-secrets interceptors; audit events are not bridged to CDI");
            return;
        }
        runtime = found.get();
        moduleName().ifPresent(runtime::module);
        sink = new CdiAuditSink(beanManager);
        runtime.audit().attach(sink);
    }

    void beforeShutdown(@Observes BeforeShutdown event) {
        if (runtime != null) {
            runtime.audit().detach(sink);
            runtime.close();
            runtime = null;
        }
    }

    /** The runtime of a config: its resolver answers {@link SecretsRuntime#LOOKUP}. */
    public static Optional<SecretsRuntime> runtimeOf(Config config) {
        ConfigValue id = config.getConfigValue(SecretsRuntime.LOOKUP);
        return id == null ? Optional.empty() : SecretsRuntime.find(id.getValue());
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
