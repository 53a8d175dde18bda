package io.mpsecrets.testkit.arquillian;

import io.mpsecrets.testkit.MockDeclarations;
import io.mpsecrets.testkit.leak.ExpectsMaskedLogs;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.config.descriptor.api.ArquillianDescriptor;
import org.jboss.arquillian.container.spi.client.deployment.DeploymentDescription;
import org.jboss.arquillian.container.spi.event.DeployDeployment;
import org.jboss.arquillian.container.spi.event.StartContainer;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
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

    /** Each server log file's size when the current class started. */
    private Map<Path, Long> logSizes = Map.of();

    /** Before the class's deployments are generated and deployed (a higher precedence runs first). */
    public void beforeClass(@Observes(precedence = 100) BeforeClass event) {
        MockDeclarations.apply(
                MpSecretsArquillian.server(), event.getTestClass().getJavaClass());
        logSizes = TestkitSettings.of(descriptor.get())
                .serverLogs()
                .map(MockServices::sizes)
                .orElse(Map.of());
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

    /**
     * A watched secret in what the server logged while the class ran fails the class: each log file from where it
     * ended when the class started (a new or shorter one, rotated meanwhile, whole), so that a class answers for its
     * own output and a class that logs masked values on purpose ({@link ExpectsMaskedLogs}) does not fail the next.
     */
    public void afterClass(@Observes AfterClass event) {
        boolean maskedExpected = event.getTestClass().isAnnotationPresent(ExpectsMaskedLogs.class);
        TestkitSettings.of(descriptor.get()).serverLogs().ifPresent(logs -> scan(logs, logSizes, maskedExpected));
    }

    public void afterSuite(@Observes AfterSuite event) {
        MpSecretsArquillian.stop();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(MockServices::stopLeftoverServers, "mpsecrets-leftover-servers"));
    }

    /**
     * Around each container's start: the processes its adapter starts are recorded, the only ones the exit hook
     * stops.
     */
    public void startContainer(@Observes EventContext<StartContainer> start) {
        ServerProcesses.recordWhile(start::proceed);
    }

    /**
     * Around each deployment too: Payara Micro's adapter starts its server process when it deploys (the archive is an
     * argument of the process), not when the container starts.
     */
    public void deploy(@Observes EventContext<DeployDeployment> deploy) {
        ServerProcesses.recordWhile(deploy::proceed);
    }

    /**
     * At the test JVM's exit, after the adapters stopped their containers: a server process an adapter started and did
     * not stop is stopped (Payara Micro's adapter signals its process and does not wait; the servers outlived the
     * build), so that a test run leaves no server behind. Other children of the test JVM are left alone.
     */
    static void stopLeftoverServers() {
        ServerProcesses.stopLeftovers();
    }

    /** The size of each file under {@code logs}. */
    static Map<Path, Long> sizes(Path logs) {
        Map<Path, Long> sizes = new HashMap<>();
        for (Path file : files(logs)) {
            try {
                sizes.put(file, Files.size(file));
            } catch (IOException gone) {
                // rotated away while we looked: a new file at the end of the class is scanned whole
            }
        }
        return sizes;
    }

    static void scan(Path logs, Map<Path, Long> from, boolean maskedExpected) {
        for (Path file : files(logs)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                // A running server rotates its logs and drops its lock files: what is gone holds nothing to scan.
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the server's log " + file, e);
            }
            long start = from.getOrDefault(file, 0L);
            int offset = start > bytes.length ? 0 : (int) start;
            String text = new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
            LeakGuard.check(text, "server log " + file, maskedExpected);
        }
    }

    private static List<Path> files(Path logs) {
        if (!Files.isDirectory(logs)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(logs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // gone while we looked: a rotated log, a dropped lock
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan the server's logs in " + logs, e);
        }
        return found;
    }
}
