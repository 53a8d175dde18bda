package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.MockDatabase;
import io.smallrye.config.SmallRyeConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dynamic database credentials: the mock Vault's database engine creates and drops real users in an H2 database in
 * this JVM, so these tests log in with what mp-secrets serves. Leases here last seconds (Vault's TTLs are whole
 * seconds), so each test takes a few.
 */
@WithMockServer
class VaultDatabaseTest {

    private final MockServer server;
    private final AuditRecorder audit = new AuditRecorder();
    private final MpConfigs configs = new MpConfigs();
    private final String role = "orders" + System.nanoTime();
    /** The admin connection, open for the whole test, keeps the in-memory database. */
    private final String url = "jdbc:h2:mem:" + role;

    private Connection admin;

    VaultDatabaseTest(MockServer server) {
        this.server = server;
    }

    @BeforeEach
    void database() throws SQLException {
        admin = DriverManager.getConnection(url, "sa", "sa-" + role);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE orders(id INT PRIMARY KEY)");
            statement.execute("INSERT INTO orders VALUES (1), (2), (3)");
        }
        MockDatabase engine = server.vault().database();
        engine.connection(role, url, "sa", "sa-" + role);
        engine.passwordPrefix("p-" + LeakGuard.CANARY + "-");
        server.vault().counter().reset();
    }

    @AfterEach
    void stop() throws SQLException {
        configs.close();
        audit.close();
        server.vault().faults().reset();
        admin.close();
    }

    private void role(Duration ttl, Duration maxTtl) {
        server.vault()
                .database()
                .role(
                        role,
                        role,
                        List.of(
                                "CREATE USER {{name}} PASSWORD '{{password}}'",
                                "GRANT SELECT ON TABLE orders TO {{name}}"),
                        List.of("DROP USER {{name}}"),
                        ttl,
                        maxTtl);
    }

    private SmallRyeConfig config(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(extra);
        all.put("mpsecrets.vault.address", server.endpoint().toString());
        all.put("mpsecrets.vault.token", "root");
        all.put("mpsecrets.app", "orders");
        all.put("db.user", "${vault::database/creds/" + role + "#username}");
        all.put("db.password", "${vault::database/creds/" + role + "#password}");
        return configs.build(all);
    }

    private record Login(String user, String password) {
        static Login of(SmallRyeConfig config) {
            return new Login(config.getValue("db.user", String.class), config.getValue("db.password", String.class));
        }

        int orders(String url) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as(what).isNegative();
            Thread.sleep(20);
        }
    }

    private boolean refused(Login login) {
        try {
            login.orders(url);
            return false;
        } catch (SQLException e) {
            assertThat(e.getMessage()).doesNotContain(login.password());
            return true;
        }
    }

    @Test
    void bothFieldsComeFromOneLeaseAndLogIn() throws Exception {
        role(Duration.ofMinutes(5), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());

        Login login = Login.of(config);
        assertEquals(3, login.orders(url));
        assertEquals(1, server.vault().database().issued(role), "one credential pair for both fields");
        List<String> leases = server.vault().database().leases(role);
        assertThat(leases).hasSize(1);
        assertEquals(login.user(), server.vault().database().username(leases.get(0)));
        // The version the audit names is a handle of the lease, never its id.
        assertThat(audit.lines()).noneMatch(line -> line.contains(leases.get(0)));
        assertThat(configs.runtime(0)
                        .stores()
                        .peek("vault", io.mpsecrets.api.SecretId.of("database/creds/" + role))
                        .orElseThrow()
                        .version())
                .hasValue(VaultLeases.handle(leases.get(0)));
    }

    @Test
    void aLeaseIsRenewedBeforeItExpiresAndTheCredentialKeepsWorking() throws Exception {
        role(Duration.ofSeconds(2), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of("mpsecrets.rotation.interval", "PT0.2S"));
        Login login = Login.of(config);

        await(() -> server.vault().database().renewed(role) >= 2, Duration.ofSeconds(5), "two renewals");
        Thread.sleep(800); // past the lease's first expiry (2 s) had it not been renewed
        assertEquals(3, login.orders(url));
        assertEquals(login, Login.of(config));
        assertEquals(1, server.vault().database().issued(role));
        assertThat(audit.events("rotated")).isEmpty();
    }

    @Test
    void atMaxTtlANewPairReplacesBothPropertiesAndTheOldUserIsDroppedAfterTheGrace() throws Exception {
        // Renewed at 2.7 s, Vault grants 3 s of the 4 asked (max TTL 6 s): a new pair is issued then, ahead of expiry.
        // The old lease would live until 5.7 s; it is revoked after the 1.5 s grace, at 4.2 s, by mp-secrets.
        role(Duration.ofSeconds(4), Duration.ofSeconds(6));
        SmallRyeConfig config = config(Map.of("mpsecrets.rotation.grace", "PT1.5S"));
        Login first = Login.of(config);
        assertEquals(3, first.orders(url));

        await(() -> !Login.of(config).user().equals(first.user()), Duration.ofSeconds(5), "a new user");
        Login second = Login.of(config);
        assertThat(second.password()).isNotEqualTo(first.password());
        assertEquals(3, second.orders(url));
        assertEquals(3, first.orders(url), "the old user serves connections under way during the grace");
        List<String> rotated = audit.awaitEvents("rotated", 2, Duration.ofSeconds(2));
        assertThat(rotated)
                .anySatisfy(line -> assertThat(line).contains("property=db.user", "version=lease-", "previous=lease-"))
                .anySatisfy(line -> assertThat(line).contains("property=db.password", "version=lease-"));

        // Within 2.5 s of the new pair: before the old lease's own expiry (3 s after it), so mp-secrets revoked it.
        await(() -> refused(first), Duration.ofMillis(2500), "the old user dropped after the grace");
        assertThat(server.vault().calls("lease:revoke")).isEqualTo(1);
        assertEquals(3, second.orders(url));
        assertEquals(2, server.vault().database().issued(role));
    }

    @Test
    void aLeaseRevokedByAnOperatorIsReportedAndReplaced() throws Exception {
        role(Duration.ofSeconds(2), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());
        Login first = Login.of(config);
        assertThat(server.vault()
                        .database()
                        .revoke(server.vault().database().leases(role).get(0)))
                .isTrue();
        assertThat(refused(first)).isTrue();

        await(() -> !Login.of(config).user().equals(first.user()), Duration.ofSeconds(4), "a new user");
        assertEquals(3, Login.of(config).orders(url));
        assertThat(audit.awaitEvents("failure", 1, Duration.ofSeconds(1)))
                .anySatisfy(line -> assertThat(line).contains("secret=database/creds/" + role, "reason=NOT_FOUND"));
        assertThat(audit.awaitEvents("rotated", 2, Duration.ofSeconds(1))).hasSize(2);
    }

    @Test
    void aRenewalThatFailsIsReportedAndTriedAgainWhileTheLeaseLives() throws Exception {
        role(Duration.ofSeconds(3), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());
        Login login = Login.of(config);
        // The first renewal (at 2 s) fails: its three attempts all answer 500.
        server.vault().faults().only("lease:renew").failNext(3);

        await(() -> server.vault().database().renewed(role) >= 1, Duration.ofSeconds(4), "a renewal after the failure");
        assertThat(audit.events("failure")).singleElement().asString().contains("provider=vault", "reason=UNAVAILABLE");
        assertEquals(login, Login.of(config));
        assertEquals(3, login.orders(url));
        assertEquals(1, server.vault().database().issued(role));
    }

    @Test
    void shutdownRevokesTheLeases() throws Exception {
        role(Duration.ofMinutes(5), Duration.ofMinutes(10));
        Login login = Login.of(config(Map.of()));
        configs.close();
        assertThat(server.vault().database().leases(role)).isEmpty();
        assertThat(refused(login)).isTrue();
    }

    @Test
    void aSettingKeepsTheLeasesAtShutdown() throws Exception {
        role(Duration.ofMinutes(5), Duration.ofMinutes(10));
        Login login = Login.of(config(Map.of("mpsecrets.vault.revoke-leases-on-shutdown", "false")));
        configs.close();
        assertThat(server.vault().database().leases(role)).hasSize(1);
        assertEquals(3, login.orders(url));
    }

    @Test
    void aLeasedSecretHasNoVersionToPin() {
        role(Duration.ofMinutes(5), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of("pinned", "${vault::database/creds/" + role + "?version=1#username}"));
        RuntimeException failure = assertThrows(RuntimeException.class, () -> config.getValue("pinned", String.class));
        assertThat(failure.getMessage()).contains("no versions to pin");
    }
}
