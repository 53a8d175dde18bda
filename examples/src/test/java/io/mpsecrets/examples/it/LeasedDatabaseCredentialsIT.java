package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.examples.leased.DatabaseResource;
import io.mpsecrets.examples.leased.OrdersDatabase;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import io.mpsecrets.vault.VaultSecretStoreFactory;
import jakarta.json.JsonObject;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.tools.Server;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Database credentials that Vault issues (the mock Vault's database engine, over an H2 database served on a loopback
 * port chosen at run time) reach the orders application on Open Liberty as {@code ${vault::database/creds/orders#...}}
 * and keep working across two rotations without a restart: leases of 3 s with a max TTL of 4 s make mp-secrets issue a
 * new pair every 2 s, and the application's {@code @RotationScoped} bean logs in with each.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LeasedDatabaseCredentialsIT {

    private static final String ROLE = "orders";
    private static final Database DATABASE = Database.start();

    @Deployment(testable = false)
    static WebArchive orders() {
        MockDatabase engine = MpSecretsArquillian.server().vault().database();
        engine.passwordPrefix(LeakGuard.CANARY + "-");
        engine.connection(ROLE, DATABASE.localUrl, "sa", DATABASE.adminPassword);
        engine.role(
                ROLE,
                ROLE,
                List.of("CREATE USER {{name}} PASSWORD '{{password}}'", "GRANT SELECT ON TABLE orders TO {{name}}"),
                List.of("DROP USER {{name}}"),
                Duration.ofSeconds(3),
                Duration.ofSeconds(4));
        return AppServer.packagedWar(
                        "orders-leased",
                        Map.of(
                                "mpsecrets.app",
                                "orders",
                                "mpsecrets.rotation.grace",
                                "PT1S",
                                "orders.db.url",
                                DATABASE.remoteUrl,
                                "orders.db.user",
                                "${vault::database/creds/" + ROLE + "#username}",
                                "orders.db.password",
                                "${vault::database/creds/" + ROLE + "#password}"))
                .addClasses(OrdersDatabase.class, DatabaseResource.class)
                // Liberty does not count a scope from a library jar as bean-defining in an implicit archive
                // (docs/servers.md): the archive discovers all its classes.
                .addAsWebInfResource(
                        new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                                + " bean-discovery-mode=\"all\"/>\n"),
                        "beans.xml")
                .addAsLibraries(jarOf(VaultSecretStoreFactory.class), jarOf(org.h2.Driver.class));
    }

    @AfterAll
    static void stop() throws SQLException {
        DATABASE.close();
    }

    @Test
    void theApplicationKeepsQueryingAcrossTwoRotationsWithoutARestart(@ArquillianResource URL orders) throws Exception {
        Set<String> users = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        while (users.size() < 3) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("three database users within 12 s; saw " + users)
                    .isLessThan(Duration.ofSeconds(12));
            AppServer.Answer answer = AppServer.get(orders, "api/db");
            if (answer.status() != 200) {
                failures.add(answer.status() + " " + answer.body());
            } else {
                JsonObject body = AppServer.json(answer.body());
                assertEquals(3, body.getInt("orders"));
                users.add(body.getString("user"));
            }
            Thread.sleep(50);
        }
        assertThat(failures).as("failed queries").isEmpty();
        assertThat(users).allSatisfy(user -> assertThat(user).startsWith("V_ORDERS_"));

        // The first two users are dropped once their grace (1 s) is over; the third is the one in use.
        List<String> seen = List.copyOf(users);
        long dropped = System.nanoTime();
        while (DATABASE.exists(seen.get(0)) || DATABASE.exists(seen.get(1))) {
            assertThat(Duration.ofNanos(System.nanoTime() - dropped))
                    .as("old users dropped")
                    .isLessThan(Duration.ofSeconds(3));
            Thread.sleep(50);
        }

        AppServer.Answer status = AppServer.get(orders, "api/status");
        LeakGuard.check(status.body(), "the status endpoint");
        List<JsonObject> events =
                AppServer.json(status.body()).getJsonArray("events").getValuesAs(JsonObject.class);
        for (String property : List.of("orders.db.user", "orders.db.password")) {
            assertThat(events)
                    .filteredOn(event -> event.getString("event").equals("rotated")
                            && property.equals(event.getString("property", null)))
                    .as("rotations of " + property)
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(event -> {
                        assertEquals("vault", event.getString("backend"));
                        assertThat(event.getString("version")).startsWith("lease-");
                    });
        }
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An in-memory H2 database in this JVM, served to the application server over TCP on 127.0.0.1. */
    private static final class Database implements AutoCloseable {
        final String localUrl;
        final String remoteUrl;
        final String adminPassword = "admin-" + System.nanoTime();
        final Server server;
        final Connection admin;

        private Database(Server server, String name) throws SQLException {
            this.server = server;
            this.localUrl = "jdbc:h2:mem:" + name;
            this.remoteUrl = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/mem:" + name;
            this.admin = DriverManager.getConnection(localUrl, "sa", adminPassword);
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE TABLE orders(id INT PRIMARY KEY)");
                statement.execute("INSERT INTO orders VALUES (1), (2), (3)");
            }
        }

        static Database start() {
            System.setProperty("h2.bindAddress", "127.0.0.1");
            try {
                return new Database(Server.createTcpServer("-tcpPort", "0").start(), "orders" + System.nanoTime());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start H2", e);
            }
        }

        boolean exists(String user) throws SQLException {
            try (PreparedStatement query =
                    admin.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
                query.setString(1, user);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getInt(1) > 0;
                }
            }
        }

        @Override
        public void close() throws SQLException {
            admin.close();
            server.stop();
        }
    }
}
