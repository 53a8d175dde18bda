package io.mpsecrets.testkit.arquillian;

import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/**
 * mp-secrets' Arquillian extension, found through {@code META-INF/services}: the mock services start before the
 * tests, the keys and secrets a test class declares ({@code @MockKey}, {@code @MockSecret}) are created before its
 * deployment, each deployment's config gets the settings that point at the mocks (those it does not set itself),
 * {@code @ArquillianResource MockServer} is injected, and the server's logs are scanned for watched secrets after
 * each test class. In {@code arquillian.xml}:
 *
 * <pre>{@code
 * <extension qualifier="mpsecrets">
 *     <property name="serverLogs">target/liberty/wlp/usr/servers/defaultServer/logs</property>
 *     <property name="configure">true</property>   <!-- false: leave deployments' config alone -->
 * </extension>
 * }</pre>
 */
public final class MpSecretsArquillianExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(MockServices.class).service(ResourceProvider.class, MockServerProvider.class);
    }
}
