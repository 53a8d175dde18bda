package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HikariCP pool that follows credential rotation with no application code: the pool is a {@link RotationScoped}
 * bean built from a user and a password (two fields of one store secret), over an H2 database in the test JVM. Eight
 * threads query through it while the credentials rotate twenty times; no query fails, each retired pool is closed
 * after the grace period, and its user, dropped then, can no longer log in.
 */
class RotatingPoolTest {

    // The admin connection stays open for the whole test, which keeps the in-memory database alive.
    static final String URL = "jdbc:h2:mem:orders-" + System.nanoTime();
    static final List<String> CLOSED_FOR = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private ClassLoader previous;
    private SmallRyeConfig config;
    private WeldContainer container;
    private Connection admin;

    @RotationScoped
    public static class OrdersDatabase {
        private final HikariDataSource pool;
        private final String user;

        protected OrdersDatabase() {
            this.pool = null; // for the client proxy
            this.user = null;
        }

        @Inject
        public OrdersDatabase(
                @ConfigProperty(name = "db.user") String user, @ConfigProperty(name = "db.password") String password) {
            HikariConfig settings = new HikariConfig();
            settings.setJdbcUrl(URL);
            settings.setUsername(user);
            settings.setPassword(password);
            settings.setMaximumPoolSize(4);
            settings.setPoolName("orders-" + user);
            this.pool = new HikariDataSource(settings);
            this.user = user;
        }

        int orders() throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
                result.next();
                return result.getInt(1);
            }
        }

        String currentUser() {
            return user;
        }

        @PreDestroy
        void close() {
            pool.close(); // waits for the connections in use, then closes them
            CLOSED_FOR.add(user);
        }
    }

    @BeforeEach
    void start() throws Exception {
        // HikariCP logs its user name, a secret field here: the log mask replaces it, as it is there to.
        LeakGuard.expectMasked();
        CLOSED_FOR.clear();
        admin = DriverManager.getConnection(URL, "sa", "");
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO orders VALUES (1), (2), (3)");
        }
        credentials(0);
        config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.file.dir", dir.resolve("secrets").toString(),
                                "mpsecrets.file.ttl", "PT1H",
                                "mpsecrets.rotation.interval", "PT1H",
                                "mpsecrets.rotation.grace", "PT0.3S",
                                "db.user", "${file::db#user}",
                                "db.password", "${file::db#password}"),
                        "app",
                        100))
                .build();
        previous = Thread.currentThread().getContextClassLoader();
        ClassLoader application = new URLClassLoader(new java.net.URL[0], previous);
        ConfigProviderResolver.instance().registerConfig(config, application);
        Thread.currentThread().setContextClassLoader(application);
        container = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new MpSecretsExtension())
                .addBeanClasses(OrdersDatabase.class)
                .initialize();
    }

    @AfterEach
    void stop() throws SQLException {
        if (container.isRunning()) {
            container.shutdown();
        }
        ConfigProviderResolver.instance().releaseConfig(config);
        Thread.currentThread().setContextClassLoader(previous);
        try (Statement statement = admin.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    private static String user(int n) {
        return "ORDERS_" + n;
    }

    private static String password(int n) {
        return "pw-" + n + "-" + io.mpsecrets.testkit.leak.LeakGuard.CANARY;
    }

    /** A new database user, as a credential issuer would make it, written to the store as the current secret. */
    private void credentials(int n) throws SQLException, IOException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER " + user(n) + " PASSWORD '" + password(n) + "'");
            statement.execute("GRANT SELECT ON TABLE orders TO " + user(n));
        }
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path temp = Files.createTempFile(secrets, ".w", ".tmp");
        Files.writeString(temp, "{\"user\":\"" + user(n) + "\",\"password\":\"" + password(n) + "\"}");
        Files.move(temp, secrets.resolve("db"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void eightThreadsQueryAcrossTwentyRotationsWithoutAFailure() throws Exception {
        OrdersDatabase database = container.select(OrdersDatabase.class).get();
        assertEquals(3, database.orders());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong queries = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(8);
        List<Future<?>> running8 = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            running8.add(readers.submit(() -> {
                while (running.get()) {
                    try {
                        if (database.orders() != 3) {
                            failures.add(new AssertionError("wrong count"));
                        }
                        queries.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        int dropped = 0;
        for (int n = 1; n <= 20; n++) {
            credentials(n);
            ConfigRegistry.runtimeOf(config).orElseThrow().stores().checkRotation();
            Thread.sleep(100);
            // Users whose pools were closed after their grace period are dropped, as a credential issuer revokes them.
            while (dropped < CLOSED_FOR.size()) {
                try (Statement statement = admin.createStatement()) {
                    statement.execute("DROP USER " + CLOSED_FOR.get(dropped));
                }
                dropped++;
            }
        }
        Thread.sleep(500);
        running.set(false);
        for (Future<?> reader : running8) {
            reader.get(10, TimeUnit.SECONDS);
        }
        readers.shutdown();

        assertThat(failures).as("failed queries").isEmpty();
        assertThat(queries.get()).isGreaterThan(100);
        assertThat(CLOSED_FOR)
                .as("every retired pool closed after its grace period")
                .hasSize(20);
        assertEquals(user(0), CLOSED_FOR.get(0));
        assertEquals(user(20), database.currentUser());
        SQLException refused = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(URL, user(0), password(0)).close());
        assertThat(refused.getMessage()).doesNotContain(password(0));
        assertEquals(3, database.orders());
    }
}
