package io.mpsecrets.testkit.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpsecrets.testkit.MockDeclarations;
import io.mpsecrets.testkit.MockKey;
import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.spi.event.DeployDeployment;
import org.jboss.arquillian.container.spi.event.StartContainer;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.Manager;
import org.jboss.arquillian.core.spi.ManagerBuilder;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the Arquillian extension that act on archives, declarations and logs, without a container. */
class ArquillianExtensionTest {

    @MockKey(alias = "alias/declared")
    @MockSecret(name = "orders/db", value = "{\"password\":\"x\"}", property = "db.password", field = "password")
    @MockSecret(name = "orders/token", value = "t")
    static class Declaring {}

    @TempDir
    Path dir;

    /** The mocks this class started, and the AWS test profiles with them, end with it (as at the end of a suite). */
    @AfterAll
    static void stopTheMocks() {
        MpSecretsArquillian.stop();
    }

    private static Properties config(WebArchive war) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = war.get(MockSettingsProcessor.CONFIG).getAsset().openStream()) {
            properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        return properties;
    }

    @Test
    void aDeploymentGetsTheMocksSettingsAndDeclaredPropertiesButKeepsItsOwn() throws IOException {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "app.war")
                .addAsResource(
                        new StringAsset("mpsecrets.aws.profile=worker2\ndb.password=${aws::other#p}"),
                        "META-INF/microprofile-config.properties");
        MockSettingsProcessor.process(war, MockDeclarations.properties(Declaring.class));
        Properties config = config(war);
        MockServer server = MpSecretsArquillian.server();
        assertEquals(server.endpoint().toString(), config.getProperty("mpsecrets.aws.endpoint"));
        assertEquals(server.endpoint().toString(), config.getProperty("mpsecrets.kms.aws.endpoint"));
        assertEquals("worker2", config.getProperty("mpsecrets.aws.profile"), "the archive's own setting stays");
        assertEquals("${aws::other#p}", config.getProperty("db.password"), "the archive's own property stays");

        WebArchive bare = ShrinkWrap.create(WebArchive.class, "bare.war");
        MockSettingsProcessor.process(bare, MockDeclarations.properties(Declaring.class));
        assertEquals("${aws::orders/db#password}", config(bare).getProperty("db.password"));
        assertEquals("worker1", config(bare).getProperty("mpsecrets.aws.profile"));

        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, "lib.jar");
        MockSettingsProcessor.process(jar, Map.of());
        assertThat(jar.getContent()).isEmpty();
    }

    @Test
    void declarationsAreCreatedOnceAndNamedProperties() {
        MockServer server = MpSecretsArquillian.server();
        MockDeclarations.apply(server, Declaring.class);
        String arn = server.kms().keyArnForAlias("alias/declared").orElseThrow();
        MockDeclarations.apply(server, Declaring.class);
        assertEquals(arn, server.kms().keyArnForAlias("alias/declared").orElseThrow(), "not created twice");
        assertThat(server.secretsManager().exists("orders/token")).isTrue();
        assertThat(MockDeclarations.properties(Declaring.class))
                .containsExactly(Map.entry("db.password", "${aws::orders/db#password}"));
    }

    @Test
    void aWatchedSecretInAServersLogFailsAndACleanLogPasses() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs/sub"));
        Files.writeString(logs.resolve("messages.log"), "started\n");
        MockServices.scan(dir.resolve("logs"), Map.of(), false);
        Files.writeString(logs.resolve("trace.log"), "value=" + LeakGuard.CANARY);
        AssertionError leaked =
                assertThrows(AssertionError.class, () -> MockServices.scan(dir.resolve("logs"), Map.of(), false));
        assertThat(leaked.getMessage()).contains("trace.log");
        MockServices.scan(dir.resolve("absent"), Map.of(), false);
    }

    /** A class answers for what the server logged while it ran: what came before, or a mask it expected, is not. */
    @Test
    void onlyWhatTheServerLoggedDuringTheClassIsScannedAndExpectedMarkersPass() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path messages = logs.resolve("messages.log");
        Files.writeString(messages, "an earlier class: value=" + LeakGuard.CANARY + "\n");
        Map<Path, Long> before = MockServices.sizes(logs);
        Files.writeString(messages, "this class: key ***tokens.signing-key***\n", StandardOpenOption.APPEND);
        MockServices.scan(logs, before, true);
        AssertionError masked = assertThrows(AssertionError.class, () -> MockServices.scan(logs, before, false));
        assertThat(masked.getMessage()).contains("tokens.signing-key");
        Files.writeString(messages, "rotated: " + LeakGuard.CANARY); // shorter than before: read whole
        assertThrows(AssertionError.class, () -> MockServices.scan(logs, before, true));
    }

    /** A container starting: its adapter runs {@code start}. */
    private static EventContext<StartContainer> starting(Runnable start) {
        return new EventContext<>() {
            @Override
            public StartContainer getEvent() {
                return null;
            }

            @Override
            public void proceed() {
                start.run();
            }
        };
    }

    @Test
    void theExitHookStopsTheServersTheAdaptersStartedAndNoOtherChildOfTheTestJvm() throws Exception {
        MockServices services = new MockServices();
        Process before = null;
        Process after = null;
        Process[] servers = new Process[2];
        try {
            before = ChildProcess.start(); // the user's own helper, started before the containers
            services.startContainer(starting(() -> servers[0] = ChildProcess.start()));
            assertThrows(
                    IllegalStateException.class,
                    () -> services.startContainer(starting(() -> {
                        servers[1] = ChildProcess.start();
                        throw new IllegalStateException("the server did not start in time"); // and runs on
                    })));
            after = ChildProcess.start(); // another helper, started after them
            assertThat(ServerProcesses.running())
                    .as("the processes recorded as the containers' servers")
                    .containsExactlyInAnyOrder(servers[0].toHandle(), servers[1].toHandle());

            MockServices.stopLeftoverServers();

            assertTrue(servers[0].waitFor(60, TimeUnit.SECONDS), "a server an adapter started runs on");
            assertTrue(servers[1].waitFor(60, TimeUnit.SECONDS), "a server that failed to start runs on");
            assertTrue(before.isAlive(), "the user's helper started before the servers was stopped");
            assertTrue(after.isAlive(), "the user's helper started after the servers was stopped");
        } finally {
            ChildProcess.stop(before);
            ChildProcess.stop(after);
            ChildProcess.stop(servers[0]);
            ChildProcess.stop(servers[1]);
        }
    }

    /** A container adapter whose server process starts when its container is told to start. */
    public static final class Adapter {

        static volatile Process server;

        public void start(@Observes StartContainer event) {
            server = ChildProcess.start();
        }
    }

    @Test
    void arquillianRecordsTheProcessAnAdapterStartsForItsContainer() throws Exception {
        Manager manager = ManagerBuilder.from()
                .extension(MockServices.class)
                .extension(Adapter.class)
                .create();
        manager.start();
        try {
            manager.fire(new StartContainer(null));
            assertThat(ServerProcesses.running()).contains(Adapter.server.toHandle());
        } finally {
            manager.shutdown();
            ChildProcess.stop(Adapter.server);
        }
    }

    /** An adapter whose server process starts when it deploys, as Payara Micro's does. */
    public static final class DeployingAdapter {

        static volatile Process server;

        public void deploy(@Observes DeployDeployment event) {
            server = ChildProcess.start();
        }
    }

    @Test
    void aServerAnAdapterStartsWhenItDeploysIsRecordedToo() throws Exception {
        Manager manager = ManagerBuilder.from()
                .extension(MockServices.class)
                .extension(DeployingAdapter.class)
                .create();
        manager.start();
        try {
            manager.fire(new DeployDeployment(null, null));
            assertThat(ServerProcesses.running()).contains(DeployingAdapter.server.toHandle());
        } finally {
            manager.shutdown();
            ChildProcess.stop(DeployingAdapter.server);
        }
    }
}
