package io.mpsecrets.testkit;

import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** What {@link MockSecrets} does; see there. */
public final class MockSecretsExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MockSecretsExtension.class);
    private final MockServerExtension servers = new MockServerExtension();

    @Override
    public void beforeAll(ExtensionContext context) {
        servers.beforeAll(context);
        MockServer server = MockServerExtension.server(context);
        TestProfiles.install();
        MockDeclarations.apply(server, context.getRequiredTestClass());
        Map<String, String> previous = new HashMap<>();
        Map<String, String> settings = new java.util.LinkedHashMap<>(MockSettings.of(server));
        settings.putAll(MockDeclarations.properties(context.getRequiredTestClass()));
        settings.forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
        context.getStore(NAMESPACE).put("previous", previous);
        releaseConfig();
    }

    /**
     * The thread's MicroProfile Config, if one was built, is released so that the next one is built with these
     * system properties (a config keeps the system properties it was built with).
     */
    private static void releaseConfig() {
        try {
            org.eclipse.microprofile.config.spi.ConfigProviderResolver resolver =
                    org.eclipse.microprofile.config.spi.ConfigProviderResolver.instance();
            resolver.releaseConfig(resolver.getConfig());
        } catch (RuntimeException | LinkageError e) {
            // no MicroProfile Config on the class path, or none to release
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Map<String, String> previous = context.getStore(NAMESPACE).remove("previous", Map.class);
        if (previous != null) {
            previous.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
        releaseConfig();
        servers.afterAll(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return servers.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return servers.resolveParameter(parameter, context);
    }
}
