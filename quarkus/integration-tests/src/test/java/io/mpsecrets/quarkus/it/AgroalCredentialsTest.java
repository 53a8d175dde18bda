package io.mpsecrets.quarkus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Agroal logs in with mp-secrets' credentials provider ({@code quarkus.datasource.credentials-provider=mpsecrets}):
 * the user and password come from a file store's secret through the application's config, and after a rotation
 * (the database given the new user first, the store's secret rotated, the old user dropped) the pool's next
 * connection logs in as the new user with no restart. H2 in the application's JVM: Agroal and the login path are
 * what is tested, and an H2 user refuses a wrong password as PostgreSQL's role does.
 */
@QuarkusTest
@QuarkusTestResource(MockServicesResource.class)
@TestProfile(AgroalCredentialsTest.WithDatasource.class)
class AgroalCredentialsTest {

    /** The administrator's URL, which creates the database and keeps it while no one is connected. */
    static final String URL = "jdbc:h2:mem:orders-agroal;DB_CLOSE_DELAY=-1";

    /** The pool's: setting DB_CLOSE_DELAY takes admin rights, which the rotated users have not. */
    static final String POOL_URL = "jdbc:h2:mem:orders-agroal";

    /** The datasource, active, its login from mp-secrets' credentials provider. */
    public static final class WithDatasource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.active", "true",
                    "quarkus.datasource.jdbc.url", POOL_URL,
                    "quarkus.datasource.credentials-provider", "mpsecrets",
                    "quarkus.datasource.credentials-provider-name", "mpsecrets",
                    "mpsecrets.credentials.mpsecrets.user", "${file::orders-db#user}",
                    "mpsecrets.credentials.mpsecrets.password", "${file::orders-db#password}");
        }
    }

    private static final String ADMIN_PASSWORD = "admin-" + LeakGuard.CANARY;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Config config;

    @Inject
    AuditTrail audit;

    @Test
    void thePoolLogsInWithTheStoresPairAndAfterARotationWithTheNewOne() throws Exception {
        String password1 = "orders-1-" + LeakGuard.CANARY;
        String password2 = "orders-2-" + LeakGuard.CANARY;
        // The first connection creates the database, its user the administrator.
        try (Connection admin = DriverManager.getConnection(URL, "ADMIN", ADMIN_PASSWORD);
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE USER ORDERS_1 PASSWORD '" + password1 + "'");
            Files.writeString(MockServicesResource.secrets.resolve("orders-db"), MockServicesResource.ORDERS_DB_1);
            awaitUser("ORDERS_1");
            assertEquals("ORDERS_1", newLogin("ORDERS_1"), "the pool's first login, with the store's pair");

            // A dynamic role's rotation in the order that fails no login: the database knows the new user before
            // the store hands it out, and the old one is dropped once the store no longer does.
            sql.execute("CREATE USER ORDERS_2 PASSWORD '" + password2 + "'");
            Files.writeString(
                    MockServicesResource.secrets.resolve("orders-db"),
                    "{\"user\":\"ORDERS_2\",\"password\":\"" + password2 + "\"}");
            awaitUser("ORDERS_2");

            assertEquals("ORDERS_2", newLogin("ORDERS_2"), "a new login: the rotated pair");
            sql.execute("DROP USER ORDERS_1");
            assertEquals("ORDERS_2", newLogin("ORDERS_2"), "and again with the old user gone");
            assertThatThrownBy(() -> DriverManager.getConnection(URL, "ORDERS_1", password1)
                            .close())
                    .as("the old user is gone: the pool's login was the new one")
                    .isInstanceOf(SQLException.class);
        }
        assertThat(audit.events())
                .as("the pair was read through the application's config: its rotation is audited")
                .anySatisfy(e -> {
                    assertThat(e).isInstanceOf(SecretRotated.class);
                    assertThat(e.attributes().get("property"))
                            .isIn("mpsecrets.credentials.mpsecrets.user", "mpsecrets.credentials.mpsecrets.password");
                });
        assertThat(audit.events()).allSatisfy(e -> LeakGuard.assertNoLeak(e.toString()));
    }

    @Test
    void aPairTheDatabaseRefusesFailsTheConnectionWithNoValueInTheError() throws Exception {
        String wrong = "wrong-" + LeakGuard.CANARY;
        try (Connection admin = DriverManager.getConnection(URL, "ADMIN", ADMIN_PASSWORD);
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE USER IF NOT EXISTS ORDERS_3 PASSWORD 'not-" + LeakGuard.CANARY + "'");
        }
        Files.writeString(
                MockServicesResource.secrets.resolve("orders-db"),
                "{\"user\":\"ORDERS_3\",\"password\":\"" + wrong + "\"}");
        awaitUser("ORDERS_3");
        SQLException refused = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((refused == null || !"28000".equals(refused.getSQLState())) && System.nanoTime() < deadline) {
            dataSource.flush(AgroalDataSource.FlushMode.ALL); // asynchronous: a pooled connection may serve a while
            try {
                currentUser();
                Thread.sleep(50);
            } catch (SQLException e) {
                // The flush may also close a pooled connection under the query ("already closed", HY000): only
                // a new login's refusal is what this waits for.
                LeakGuard.assertNoLeak(String.valueOf(e));
                refused = e;
            }
        }
        SQLException thrown = refused;
        assertThatThrownBy(() -> {
                    if (thrown != null) {
                        throw thrown;
                    }
                })
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertEquals("28000", ((SQLException) e).getSQLState(), "refused as a login"))
                .satisfies(e -> LeakGuard.assertNoLeak(String.valueOf(e)));
    }

    /** Waits, up to 5 s, for the store's rotation to reach the application's config (a 0.1 s TTL here). */
    private void awaitUser(String user) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!user.equals(config.getValue("mpsecrets.credentials.mpsecrets.user", String.class))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(user, config.getValue("mpsecrets.credentials.mpsecrets.user", String.class));
    }

    /**
     * The user of a new physical connection: the pool is flushed (Agroal does it asynchronously, so a pooled
     * connection may still serve a query or two, or be closed by the flush while handed out) until a connection logs
     * in as {@code user}, for up to 5 s. A connection the flush closed under the query is asked again; a refused
     * login (SQLState class 28) is not.
     */
    private String newLogin(String user) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String current = null;
        while (!user.equals(current) && System.nanoTime() < deadline) {
            dataSource.flush(AgroalDataSource.FlushMode.ALL);
            try {
                current = currentUser();
            } catch (SQLException closedByTheFlush) {
                String state = closedByTheFlush.getSQLState();
                if (state != null && state.startsWith("28") || System.nanoTime() >= deadline) {
                    throw closedByTheFlush;
                }
            }
            if (!user.equals(current)) {
                Thread.sleep(50);
            }
        }
        return current;
    }

    private String currentUser() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement();
                ResultSet result = sql.executeQuery("SELECT CURRENT_USER")) {
            result.next();
            return result.getString(1);
        }
    }
}
