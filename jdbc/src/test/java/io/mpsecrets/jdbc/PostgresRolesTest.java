package io.mpsecrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mock Vault's database engine over a real PostgreSQL: dynamic roles are real roles ({@code CREATE ROLE ... LOGIN
 * PASSWORD ... VALID UNTIL ...}) that PostgreSQL refuses once revoked, a static role's password is set with {@code
 * ALTER ROLE}, and the driver logs in with what Vault issues through {@code jdbc:mpsecrets:postgresql:...}.
 */
class PostgresRolesTest {

    private static Postgres postgres;
    private static MockServer server;
    private static MockDatabase engine;

    @BeforeAll
    static void start() throws SQLException {
        postgres = Postgres.start();
        postgres.execute(
                "CREATE TABLE orders (id INT PRIMARY KEY)",
                "INSERT INTO orders VALUES (1), (2), (3)",
                "CREATE ROLE orders_static LOGIN",
                "GRANT SELECT ON orders TO orders_static");
        server = MockServer.start();
        engine = server.vault().database();
        engine.passwordPrefix(LeakGuard.CANARY + "-");
        engine.connection("pg", postgres.admin());
        engine.postgresRole(
                "orders",
                "pg",
                List.of("GRANT SELECT ON orders TO \"{{name}}\""),
                Duration.ofMinutes(5),
                Duration.ofMinutes(10));
        engine.postgresStaticRole("orders-static", "pg", "orders_static", Duration.ofHours(1));
    }

    @AfterAll
    static void stop() throws IOException {
        MpSecretsDriver.closeAll();
        server.close();
        postgres.close();
    }

    @AfterEach
    void forget() {
        MpSecretsDriver.closeAll(); // revokes the leases the driver's Vault store took
    }

    private Properties vault(String path) {
        Properties p = new Properties();
        p.setProperty("user", "${vault::" + path + "#username}");
        p.setProperty("password", "${vault::" + path + "#password}");
        p.setProperty("mpsecrets.vault.address", server.endpoint().toString());
        p.setProperty("mpsecrets.vault.token", server.vault().rootToken());
        return p;
    }

    private String url() {
        return "jdbc:mpsecrets:" + postgres.url().substring("jdbc:".length());
    }

    private static String currentUserAndOrders(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_user, count(*) FROM orders")) {
            r.next();
            assertThat(r.getInt(2)).isEqualTo(3);
            return r.getString(1);
        }
    }

    @Test
    void aDynamicRoleIsARealRoleThatLogsInUntilItIsRevoked() throws SQLException {
        String user;
        try (Connection c = DriverManager.getConnection(url(), vault("database/creds/orders"))) {
            user = currentUserAndOrders(c);
        }
        assertThat(user).startsWith("V_ORDERS_");
        assertThat(postgres.roleExists(user)).isTrue();
        String lease = engine.leases("orders").get(0);
        assertThat(engine.username(lease)).isEqualTo(user);

        engine.revoke(lease); // as an operator's vault lease revoke: the role is dropped
        assertThat(postgres.roleExists(user)).isFalse();
        // The driver's credentials are the revoked lease's: PostgreSQL refuses them (28P01), the driver fetches again
        // (Vault's store still holds the revoked lease until its renewal finds it gone), and the refusal stands.
        assertThatThrownBy(() -> DriverManager.getConnection(url(), vault("database/creds/orders")))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                .satisfies(LeakGuard::assertNoLeak);
    }

    @Test
    void closingTheDriversStoresRevokesTheLeaseAndDropsTheRole() throws SQLException {
        String user;
        try (Connection c = DriverManager.getConnection(url(), vault("database/creds/orders"))) {
            user = currentUserAndOrders(c);
        }
        MpSecretsDriver.closeAll();
        assertThat(postgres.roleExists(user)).isFalse();
    }

    @Test
    void aStaticRolesPasswordIsSetWithAlterRoleAndTheOldOneIsRefused() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), vault("database/static-creds/orders-static"))) {
            assertThat(currentUserAndOrders(c)).isEqualTo("orders_static");
        }
        long before = engine.rotations("orders-static");
        engine.rotateRole("orders-static"); // the database changes first; the driver still holds the old password
        assertThat(engine.rotations("orders-static")).isEqualTo(before + 1);
        try (Connection c = DriverManager.getConnection(url(), vault("database/static-creds/orders-static"))) {
            assertThat(currentUserAndOrders(c)).isEqualTo("orders_static");
        }
        assertThat(MpSecretsDriver.counts().refusals()).isEqualTo(1);
        assertThat(MpSecretsDriver.counts().retries()).isEqualTo(1);
        assertThat(MpSecretsDriver.counts().refusedAfterRetry()).isZero();
    }
}
