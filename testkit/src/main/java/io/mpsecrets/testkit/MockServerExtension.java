package io.mpsecrets.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link MockServer} on a free loopback port per test class and injects it as a constructor, test or
 * lifecycle-method parameter: {@code @ExtendWith(MockServerExtension.class)} or {@link WithMockServer}.
 */
public final class MockServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MockServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        MockServer server = context.getStore(NAMESPACE).remove(MockServer.class, MockServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    static MockServer server(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent()
                        && context.getParent().isPresent()
                        && context.getTestMethod().isPresent()
                ? context.getParent().get()
                : context;
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(MockServer.class, k -> MockServer.start(), MockServer.class);
    }
}
