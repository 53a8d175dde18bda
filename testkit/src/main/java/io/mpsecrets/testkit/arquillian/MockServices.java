package io.mpsecrets.testkit.arquillian;

import io.mpsecrets.testkit.MockDeclarations;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.container.spi.client.deployment.DeploymentDescription;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.test.spi.TestClass;
import org.jboss.arquillian.test.spi.event.suite.AfterClass;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;
import org.jboss.arquillian.test.spi.event.suite.BeforeClass;

/** The extension's lifecycle on the client side: mocks up before a class deploys, logs scanned after it. */
public final class MockServices {

    @Inject
    private Instance<ArquillianDescriptor> descriptor;

    @Inject
    private Instance<TestClass> testClass;

    /** Before the class's deployments are generated and deployed (a higher precedence runs first). */
    public void beforeClass(@Observes(precedence = 100) BeforeClass event) {
        MockDeclarations.apply(
                MpSecretsArquillian.server(), event.getTestClass().getJavaClass());
    }

    /**
     * Each deployment, testable or not (an archive processor would see testable ones only), gets the mocks'
     * settings it does not set itself.
     */
    public void beforeDeploy(@Observes BeforeDeploy event) {
        if (TestkitSettings.of(descriptor.get()).configure()) {
            DeploymentDescription deployment = event.getDeployment();
            if (deployment.isArchiveDeployment()) {
                TestClass current = testClass.get();
                MockSettingsProcessor.process(
                        deployment.getArchive(),
                        current == null ? Map.of() : MockDeclarations.properties(current.getJavaClass()));
            }
        }
    }

    /** A watched secret in any of the server's log files fails the class. */
    public void afterClass(@Observes AfterClass event) {
        TestkitSettings.of(descriptor.get()).serverLogs().ifPresent(MockServices::scan);
    }

    public void afterSuite(@Observes AfterSuite event) {
        MpSecretsArquillian.stop();
    }

    static void scan(Path logs) {
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (var files = Files.walk(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                LeakGuard.check(Files.readString(file, StandardCharsets.ISO_8859_1), "server log " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan the server's logs in " + logs, e);
        }
    }
}
