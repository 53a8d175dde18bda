package io.mpsecrets.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject @ConfigProperty} of ENC values from each kind of source, through CDI (Weld) and the application's
 * config as MicroProfile builds it: META-INF/microprofile-config.properties, an environment variable and a
 * system property (the latter two are set by the surefire configuration in impl/pom.xml).
 */
@EnableWeld
class ConfigPropertyInjectionTest {

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(WeldInitiator.createWeld()
                    .disableDiscovery()
                    .addExtension(new ConfigExtension())
                    .addBeanClass(Holder.class))
            .build();

    @Dependent
    static class Holder {
        @Inject
        @ConfigProperty(name = "file.db.password")
        String fromPropertiesFile;

        @Inject
        @ConfigProperty(name = "env.db.password")
        String fromEnvironment;

        @Inject
        @ConfigProperty(name = "sys.db.password")
        String fromSystemProperty;

        @Inject
        @ConfigProperty(name = "old.version")
        String underAnOlderKeyVersion;

        @Inject
        @ConfigProperty(name = "unbound.value")
        String unbound;

        @Inject
        @ConfigProperty(name = "jdbc.url")
        String expression;

        @Inject
        @ConfigProperty(name = "file.db.password")
        Supplier<String> supplier;

        @Inject
        @ConfigProperty(name = "plain.value")
        String plain;
    }

    @Inject
    Holder holder;

    @Test
    void encValuesFromEverySourceAreDecryptedOnInjection() {
        assertEquals("file-" + LeakGuard.CANARY, holder.fromPropertiesFile);
        assertEquals("env-" + LeakGuard.CANARY, holder.fromEnvironment);
        assertEquals("sys-" + LeakGuard.CANARY, holder.fromSystemProperty);
        assertEquals("v1-" + LeakGuard.CANARY, holder.underAnOlderKeyVersion);
        assertEquals("unbound-" + LeakGuard.CANARY, holder.unbound);
        assertEquals("jdbc:postgresql://db/orders?password=file-" + LeakGuard.CANARY + "&ssl=true", holder.expression);
        assertEquals("file-" + LeakGuard.CANARY, holder.supplier.get());
        assertEquals("hello", holder.plain);
    }
}
