package io.mpsecrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.secretsmanager.MockSecretsManager;
import io.mpsecrets.testkit.vault.MockDatabase;
import jakarta.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Eight threads query a real PostgreSQL through HikariCP while the credentials rotate every 2 s: Vault dynamic roles
 * (a new role per lease, the old one dropped after the grace), a Vault static role (the database changes before the
 * store), and a Secrets Manager secret rotated with AWS's steps (AWSPENDING, the database, then AWSCURRENT) and in the
 * wrong order (the store before the database). The pool is made to log in again every 500 ms (its connections are
 * soft-evicted, as a short max lifetime would), so that physical logins fall inside every rotation's window. Not one
 * query may fail. Each variant runs {@code -Dmpsecrets.jdbc.load.seconds} (4 s by default; docs/jdbc.md gives the
 * figures of 60-s runs and the command for them); the counts are written to the test's output.
 */
class RotationUnderLoadTest {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("mpsecrets.jdbc.load.seconds", 4));
    private static final int THREADS = 8;
    private static final Duration ROTATE_EVERY = Duration.ofSeconds(2);

    private static Postgres postgres;
    private static MockServer server;
    private static MockDatabase engine;
    private static TestProfiles.Installed profiles;

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
        profiles = TestProfiles.open();
    }

    @AfterAll
    static void stop() throws IOException {
        MpSecretsDriver.closeAll();
        profiles.close();
        server.close();
        postgres.close();
    }

    @AfterEach
    void forget() {
        MpSecretsDriver.closeAll();
    }

    /** What one variant did. */
    private record Result(long queries, List<String> failures, SecretCredentials.Counts counts, long rotations) {}

    /**
     * Queries through {@code pool} from eight threads for {@link #RUN} while {@code rotation} runs every 2 s and the
     * pool is soft-evicted every 500 ms.
     */
    private static Result load(
            HikariDataSource pool, Rotation rotation, java.util.function.Supplier<SecretCredentials.Counts> counts)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong queries = new AtomicLong();
        AtomicLong rotations = new AtomicLong();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 2);
        try {
            List<Future<?>> running8 = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                running8.add(threads.submit(() -> {
                    while (running.get()) {
                        try (Connection c = pool.getConnection();
                                Statement s = c.createStatement();
                                ResultSet r = s.executeQuery("SELECT count(*) FROM orders")) {
                            r.next();
                            if (r.getInt(1) != 3) {
                                failures.add("wrong count " + r.getInt(1));
                            }
                            queries.incrementAndGet();
                        } catch (SQLException e) {
                            failures.add(e.getClass().getSimpleName() + " " + e.getSQLState() + " " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            Future<?> rotating = threads.submit(() -> {
                long next = System.nanoTime() + ROTATE_EVERY.toNanos();
                while (running.get()) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                        continue;
                    }
                    rotation.rotate(pool);
                    rotations.incrementAndGet();
                    next += ROTATE_EVERY.toNanos();
                }
                return null;
            });
            Future<?> evicting = threads.submit(() -> {
                while (running.get()) {
                    TimeUnit.MILLISECONDS.sleep(500);
                    pool.getHikariPoolMXBean().softEvictConnections();
                }
                return null;
            });
            TimeUnit.NANOSECONDS.sleep(RUN.toNanos());
            running.set(false);
            for (Future<?> f : running8) {
                f.get(30, TimeUnit.SECONDS);
            }
            rotating.get(30, TimeUnit.SECONDS);
            evicting.get(30, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        return new Result(queries.get(), List.copyOf(failures), counts.get(), rotations.get());
    }

    @FunctionalInterface
    private interface Rotation {
        void rotate(HikariDataSource pool) throws Exception;
    }

    private static HikariDataSource pool(String url, Properties properties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDataSourceProperties(properties);
        return pool(config);
    }

    private static HikariDataSource pool(HikariConfig config) {
        config.setMaximumPoolSize(THREADS);
        config.setMinimumIdle(THREADS);
        config.setConnectionTimeout(10_000);
        config.setPoolName("orders-" + UUID.randomUUID().toString().substring(0, 8));
        return new HikariDataSource(config);
    }

    private static String mpsecretsUrl() {
        return "jdbc:mpsecrets:" + postgres.url().substring("jdbc:".length());
    }

    private static Properties vault(String path) {
        Properties p = new Properties();
        p.setProperty("user", "${vault::" + path + "#username}");
        p.setProperty("password", "${vault::" + path + "#password}");
        p.setProperty("mpsecrets.vault.address", server.endpoint().toString());
        p.setProperty("mpsecrets.vault.token", server.vault().rootToken());
        p.setProperty("mpsecrets.rotation.grace", "PT1S");
        p.setProperty("mpsecrets.jdbc.refresh-interval", "PT0.2S");
        return p;
    }

    private static void report(String variant, Result result) {
        System.out.println("rotation under load: " + variant + ": " + THREADS + " threads, " + RUN.toSeconds() + " s, "
                + result.queries() + " queries, " + result.failures().size() + " failed, " + result.rotations()
                + " rotations by the test; logins: " + result.counts());
    }

    @Test
    void vaultDynamicRoles_aNewRoleEveryTwoSeconds_theOldOnesDroppedAfterTheGrace() throws Exception {
        engine.postgresRole(
                "orders",
                "pg",
                List.of("GRANT SELECT ON orders TO \"{{name}}\""),
                Duration.ofSeconds(3),
                Duration.ofSeconds(4)); // renewed at 2 s, capped: the store takes a new lease every 2 s
        long issuedBefore = engine.issued("orders");
        Result result;
        try (HikariDataSource pool = pool(mpsecretsUrl(), vault("database/creds/orders"))) {
            result = load(pool, p -> {}, MpSecretsDriver::counts); // Vault's leases are the rotation
        }
        report("Vault dynamic roles", result);
        assertThat(result.failures()).as("failed queries").isEmpty();
        // a role PostgreSQL refuses while Vault's lease still runs would be a login no retry can save
        assertThat(result.counts().refusedAfterRetry())
                .as("logins refused after the retry")
                .isZero();
        assertThat(result.queries()).isPositive();
        long issued = engine.issued("orders") - issuedBefore;
        assertThat(issued).as("roles Vault issued").isGreaterThanOrEqualTo(Math.max(2, RUN.toSeconds() / 2 - 2));
        // the role in service, and at most one replaced within its grace (1 s): the others were dropped
        assertThat(postgres.roles("V_ORDERS_")).as("roles left while running").hasSizeBetween(1, 2);
        MpSecretsDriver.closeAll(); // the store revokes the lease in service and the retiring ones
        assertThat(postgres.roles("V_ORDERS_"))
                .as("roles left once the leases are revoked")
                .isEmpty();
    }

    @Test
    void vaultStaticRole_theDatabaseChangesBeforeTheStore() throws Exception {
        engine.postgresStaticRole("orders-static", "pg", "orders_static", ROTATE_EVERY); // Vault rotates it
        long before = engine.rotations("orders-static");
        Result result;
        try (HikariDataSource pool = pool(mpsecretsUrl(), vault("database/static-creds/orders-static"))) {
            result = load(pool, p -> {}, MpSecretsDriver::counts);
        }
        report("Vault static role", result);
        assertThat(result.failures()).as("failed queries").isEmpty();
        assertThat(engine.rotations("orders-static") - before)
                .as("Vault's rotations of the static role")
                .isGreaterThanOrEqualTo(RUN.toSeconds() / 2 - 1);
    }

    /** A Secrets Manager secret for role {@code role}, and a data source reading it (AWSPENDING as the pending one). */
    private static MpSecretsDataSource awsSource(String secret, String ttl) {
        Properties p = new Properties();
        p.setProperty("user", "${aws::" + secret + "#username}");
        p.setProperty("password", "${aws::" + secret + "#password}");
        p.setProperty("mpsecrets.jdbc.pending-password", "aws::" + secret + "?stage=AWSPENDING#password");
        p.setProperty("mpsecrets.jdbc.refresh-interval", "PT0.2S");
        p.setProperty("mpsecrets.jdbc.ttl", ttl);
        p.setProperty("mpsecrets.aws.region", "us-east-1");
        p.setProperty("mpsecrets.aws.endpoint", server.endpoint().toString());
        p.setProperty("mpsecrets.aws.profile", TestProfiles.WORKER1);
        return new MpSecretsDataSource(postgres.url(), p);
    }

    private static String credentials(String role, String password) {
        return Json.createObjectBuilder()
                .add("username", role)
                .add("password", password)
                .build()
                .toString();
    }

    private static String newPassword() {
        return LeakGuard.CANARY + "-" + UUID.randomUUID();
    }

    private static String current(MockSecretsManager sm, String secret) {
        return sm.versionIdsToStages(secret).entrySet().stream()
                .filter(e -> e.getValue().contains(MockSecretsManager.CURRENT))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void secretsManager_awsRotationSteps_pendingThenTheDatabaseThenCurrent() throws Exception {
        String role = "orders_aws";
        String secret = "prod/orders-db-" + UUID.randomUUID().toString().substring(0, 8);
        String first = newPassword();
        postgres.execute(
                "CREATE ROLE " + role + " LOGIN PASSWORD '" + first + "'", "GRANT SELECT ON orders TO " + role);
        MockSecretsManager sm = server.secretsManager();
        sm.createSecret(secret, credentials(role, first));
        Result result;
        try (MpSecretsDataSource source = awsSource(secret, "PT5M")) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(source);
            try (HikariDataSource pool = pool(config)) {
                result = load(
                        pool,
                        p -> {
                            String next = newPassword();
                            String token = UUID.randomUUID().toString();
                            // createSecret: the new version as AWSPENDING
                            sm.call(
                                    "PutSecretValue",
                                    Json.createObjectBuilder()
                                            .add("SecretId", secret)
                                            .add("SecretString", credentials(role, next))
                                            .add("ClientRequestToken", token)
                                            .add(
                                                    "VersionStages",
                                                    Json.createArrayBuilder().add("AWSPENDING"))
                                            .build(),
                                    "rotation");
                            // setSecret: the database takes it; AWSCURRENT still holds the old one
                            postgres.execute("ALTER ROLE " + role + " PASSWORD '" + next + "'");
                            p.getHikariPoolMXBean().softEvictConnections(); // logins inside the window
                            Thread.sleep(300);
                            // finishSecret: AWSCURRENT moves to the new version; AWSPENDING is taken off it
                            String old = current(sm, secret);
                            sm.call(
                                    "UpdateSecretVersionStage",
                                    Json.createObjectBuilder()
                                            .add("SecretId", secret)
                                            .add("VersionStage", MockSecretsManager.CURRENT)
                                            .add("MoveToVersionId", token)
                                            .add("RemoveFromVersionId", old)
                                            .build(),
                                    "rotation");
                            sm.call(
                                    "UpdateSecretVersionStage",
                                    Json.createObjectBuilder()
                                            .add("SecretId", secret)
                                            .add("VersionStage", "AWSPENDING")
                                            .add("RemoveFromVersionId", token)
                                            .build(),
                                    "rotation");
                        },
                        source::counts);
            }
        }
        report("Secrets Manager, AWS's steps", result);
        assertThat(result.failures()).as("failed queries").isEmpty();
        assertThat(result.rotations()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void secretsManager_theStoreRotatedBeforeTheDatabase() throws Exception {
        String role = "orders_early";
        String secret = "prod/orders-early-" + UUID.randomUUID().toString().substring(0, 8);
        String first = newPassword();
        postgres.execute(
                "CREATE ROLE " + role + " LOGIN PASSWORD '" + first + "'", "GRANT SELECT ON orders TO " + role);
        MockSecretsManager sm = server.secretsManager();
        sm.createSecret(secret, credentials(role, first));
        Result result;
        // A short TTL: new logins read the store inside the window, where it is ahead of the database.
        try (MpSecretsDataSource source = awsSource(secret, "PT0.1S")) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(source);
            try (HikariDataSource pool = pool(config)) {
                result = load(
                        pool,
                        p -> {
                            String next = newPassword();
                            sm.putSecretValue(secret, credentials(role, next)); // AWSCURRENT first
                            p.getHikariPoolMXBean().softEvictConnections();
                            Thread.sleep(300);
                            postgres.execute("ALTER ROLE " + role + " PASSWORD '" + next + "'"); // then the database
                        },
                        source::counts);
            }
        }
        report("Secrets Manager, the store before the database", result);
        assertThat(result.failures()).as("failed queries").isEmpty();
        assertThat(result.counts().retries())
                .as("logins retried with the last accepted")
                .isPositive();
    }
}
