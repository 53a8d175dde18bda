package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretException;
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
        return config("creds", extra);
    }

    /** A config reading {@code db.user} and {@code db.password} from {@code database/<endpoint>/<role>}. */
    private SmallRyeConfig config(String endpoint, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(extra);
        all.put("mpsecrets.vault.address", server.endpoint().toString());
        all.put("mpsecrets.vault.token", "root");
        all.put("mpsecrets.app", "orders");
        all.put("db.user", "${vault::database/" + endpoint + "/" + role + "#username}");
        all.put("db.password", "${vault::database/" + endpoint + "/" + role + "#password}");
        return configs.build(all);
    }

    /** A user made by hand, and a static role of Vault's that owns its password. */
    private void staticRole(Duration rotationPeriod) throws SQLException {
        String user = "STATIC_" + role.toUpperCase(java.util.Locale.ROOT);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER " + user + " PASSWORD 'set-by-hand'");
            statement.execute("GRANT SELECT ON TABLE orders TO " + user);
        }
        server.vault()
                .database()
                .staticRole(
                        role, role, user, List.of("ALTER USER {{name}} SET PASSWORD '{{password}}'"), rotationPeriod);
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

    /** Whether the config serves a pair the database accepts now. */
    private boolean works(SmallRyeConfig config) {
        try {
            return Login.of(config).orders(url) == 3;
        } catch (RuntimeException | SQLException e) {
            return false;
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
                .hasValue(LeaseAnswers.handle(leases.get(0)));
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
        role(Duration.ofSeconds(6), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());
        Login login = Login.of(config);
        // The first renewal (at 4 s) fails: its three attempts all answer 500. The next try, within half the time
        // left, finds more than a tenth of the lease left, so it renews rather than replaces.
        server.vault().faults().only("lease:renew").failNext(3);

        await(() -> server.vault().database().renewed(role) >= 1, Duration.ofSeconds(7), "a renewal after the failure");
        assertThat(audit.events("failure")).singleElement().asString().contains("backend=vault", "reason=UNAVAILABLE");
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

    /**
     * Issue 23: Vault answers every renewal with 500 but still issues. The renewal loop used to retry renewal to the
     * lease's end and beyond; it now issues a new pair when the lease is about to expire, and reports it, without a
     * read.
     */
    @Test
    void aLeaseWhoseRenewalsFailIsReplacedOnItsOwnBeforeItEnds() throws Exception {
        role(Duration.ofSeconds(4), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());
        Login first = Login.of(config);
        server.vault().faults().only("lease:renew").errorRate(1.0);

        List<String> rotated = audit.awaitEvents("rotated", 2, Duration.ofSeconds(8));
        assertThat(rotated).anySatisfy(line -> assertThat(line).contains("property=db.password", "previous=lease-"));
        server.vault().faults().reset();
        Login second = Login.of(config);
        assertThat(second.user()).isNotEqualTo(first.user());
        assertEquals(3, second.orders(url));
        assertEquals(2, server.vault().database().issued(role));
        assertThat(audit.events("failure")).first().asString().contains("reason=UNAVAILABLE");
    }

    /**
     * Issue 23: with Vault failing renewals and issues alike, the expired lease's pair was served from the store's
     * cache until its TTL (5 minutes), and the database refused it. A leased value is never served past its lease:
     * the read fails as the store does, and once Vault answers again a read issues a new pair.
     */
    @Test
    void anExpiredLeaseIsNeverServedAndAReadAfterItIssuesANewPair() throws Exception {
        role(Duration.ofSeconds(3), Duration.ofMinutes(10));
        SmallRyeConfig config = config(Map.of());
        Login first = Login.of(config);
        server.vault().faults().errorRate(1.0);

        await(() -> refused(first), Duration.ofSeconds(6), "the lease expired and Vault dropped its user");
        SecretException failure =
                assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
        assertEquals(FailureReason.UNAVAILABLE, failure.reason());
        assertThat(failure.getMessage()).doesNotContain(first.password());

        server.vault().faults().reset();
        await(() -> works(config), Duration.ofSeconds(5), "a new pair once Vault answers");
        assertThat(Login.of(config).user()).isNotEqualTo(first.user());
    }

    /**
     * Issue 23: closing the application while a renewal was under way interrupted it, and the interrupted call was
     * audited as Vault being unavailable. A close is not a failure.
     */
    @Test
    void closingWhileARenewalIsUnderWayAuditsNoFailure() throws Exception {
        role(Duration.ofSeconds(2), Duration.ofMinutes(10));
        server.vault().faults().only("lease:renew").latency(Duration.ofSeconds(3));
        Login.of(config(Map.of()));
        await(() -> server.vault().calls("lease:renew") >= 1, Duration.ofSeconds(4), "a renewal under way");

        configs.close();
        assertThat(audit.events("failure")).isEmpty();
        assertThat(server.vault().database().leases(role)).isEmpty();
    }

    /**
     * Issue 23: a static role ({@code database/static-creds}) was read once, so the application kept the password
     * Vault had rotated away until it restarted. It is read again when its ttl (the time to Vault's next rotation)
     * runs out, versioned by {@code last_vault_rotation}, and the new password is reported as a rotation, without a
     * read, so that {@code @RotationScoped} pools follow.
     */
    @Test
    void aStaticRoleIsReadAgainWhenVaultRotatesItAndTheRotationIsReported() throws Exception {
        staticRole(Duration.ofSeconds(2));
        SmallRyeConfig config = config("static-creds", Map.of());
        Login first = Login.of(config);
        assertEquals(3, first.orders(url));

        List<String> rotated = audit.awaitEvents("rotated", 2, Duration.ofSeconds(6));
        assertThat(rotated)
                .anySatisfy(line -> assertThat(line)
                        .contains("property=db.password", "secret=database/static-creds/" + role)
                        .containsPattern("version=\\d{4}-\\d\\d-\\d\\dT[^ ]*Z")
                        .containsPattern("previous=\\d{4}-"));
        assertThat(refused(first)).isTrue();
        await(() -> works(config), Duration.ofSeconds(4), "the rotated password served");
        assertThat(audit.events("failure")).isEmpty();
    }

    /** A static role rotated by hand ({@code vault write -f database/rotate-role/...}) is found by a rotation check. */
    @Test
    void aStaticRoleRotatedByHandIsFoundByTheRotationCheck() throws Exception {
        staticRole(Duration.ofHours(1));
        SmallRyeConfig config = config("static-creds", Map.of("mpsecrets.rotation.interval", "PT0.2S"));
        Login first = Login.of(config);
        assertEquals(3, first.orders(url));

        server.vault().database().rotateRole(role);
        await(() -> !Login.of(config).password().equals(first.password()), Duration.ofSeconds(3), "the new password");
        assertEquals(3, Login.of(config).orders(url));
        assertThat(audit.awaitEvents("rotated", 2, Duration.ofSeconds(2)))
                .allSatisfy(line -> assertThat(line).containsPattern("version=\\d{4}-"));
        assertEquals(2, server.vault().database().rotations(role));
    }
}
