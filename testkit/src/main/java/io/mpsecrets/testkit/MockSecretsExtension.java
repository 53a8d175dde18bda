package io.mpsecrets.testkit;

import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.LinkedHashMap;
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
        Class<?> testClass = context.getRequiredTestClass();
        SystemSettings settings = SystemSettings.claim(context); // refused while another class holds them
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(SystemSettings.class, settings);
        try {
            store.put(TestProfiles.Installed.class, TestProfiles.open());
            servers.beforeAll(context);
            MockServer server = MockServerExtension.server(context);
            MockDeclarations.apply(server, testClass);
            Map<String, String> wanted = new LinkedHashMap<>(MockSettings.of(server));
            wanted.putAll(MockDeclarations.properties(testClass));
            settings.set(wanted);
            releaseConfig();
        } catch (RuntimeException | Error e) {
            // undone here, not only in afterAll (which Jupiter also calls): the next class must not find them held
            undo(context);
            throw e;
        }
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
    public void afterAll(ExtensionContext context) {
        undo(context);
    }

    /**
     * Puts the system properties back before the mock stops (no moment with a stopped mock's endpoint set), then
     * stops it. A class that was refused holds nothing: another class's settings and config are left alone.
     */
    private void undo(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        SystemSettings settings = store.remove(SystemSettings.class, SystemSettings.class);
        if (settings == null) {
            return;
        }
        try {
            settings.release();
            TestProfiles.Installed profiles = store.remove(TestProfiles.Installed.class, TestProfiles.Installed.class);
            if (profiles != null) {
                profiles.close();
            }
            releaseConfig();
        } finally {
            servers.afterAll(context);
        }
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
