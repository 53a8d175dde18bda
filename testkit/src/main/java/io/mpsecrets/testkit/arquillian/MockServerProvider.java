package io.mpsecrets.testkit.arquillian;

import io.mpsecrets.testkit.MockServer;
import java.lang.annotation.Annotation;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/** {@code @ArquillianResource MockServer}: the test run's mock services. */
public final class MockServerProvider implements ResourceProvider {

    @Override
    public boolean canProvide(Class<?> type) {
        return type == MockServer.class;
    }

    @Override
    public Object lookup(ArquillianResource resource, Annotation... qualifiers) {
        return MpSecretsArquillian.server();
    }
}
