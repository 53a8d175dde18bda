package io.mpsecrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;

/** A ciphertext copied to another property in microprofile-config.properties fails the deployment, naming it. */
class CopiedValueInjectionTest {

    @Dependent
    static class Holder {
        @Inject
        @ConfigProperty(name = "copied.password")
        String copied;
    }

    @Test
    void deploymentFailsNamingThePropertyAndKey() {
        Weld weld = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addBeanClass(Holder.class);
        Throwable failure =
                assertThrows(Throwable.class, () -> weld.initialize().close());
        LeakGuard.assertNoLeak(failure);
        String printed = stackTrace(failure);
        assertThat(printed).contains("property=copied.password", "key=local:test-2", "NOT_AUTHENTIC");
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
