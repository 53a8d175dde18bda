package io.mpsecrets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.ServiceUnavailableException;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver and data source over an H2 database in this JVM, with credentials in the test's {@code memory} store:
 * logins, a refused login fetched again and retried once in both orders of a rotation, what passes through untouched,
 * and what never leaves (passwords are built from {@link LeakGuard#CANARY}).
 */
class MpSecretsDriverTest {

    private static final String OLD = LeakGuard.CANARY + "-old";
    private static final String NEW = LeakGuard.CANARY + "-new";

    private String database;
    private Connection admin;

    @BeforeEach
    void database() throws SQLException {
        MemoryStore.reset();
        database = "jdbc:h2:mem:orders-" + UUID.randomUUID();
        admin = DriverManager.getConnection(database, "sa", ""); // held open: the database lives while it does
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE USER APP PASSWORD '" + OLD + "'");
        }
        MemoryStore.put("db/orders", "APP", OLD);
    }

    @AfterEach
    void close() throws SQLException {
        MpSecretsDriver.closeAll();
        try (Statement s = admin.createStatement()) {
            s.execute("SHUTDOWN");
        }
        admin.close();
    }

    private Properties references() {
        Properties p = new Properties();
        p.setProperty("user", "${memory::db/orders#username}");
        p.setProperty("password", "${memory::db/orders#password}");
        p.setProperty("mpsecrets.jdbc.refresh-interval", "PT1H"); // a second forced fetch only when a test says
        return p;
    }

    private Connection connect(Properties p) throws SQLException {
        return DriverManager.getConnection("jdbc:mpsecrets:" + database.substring("jdbc:".length()), p);
    }

    private static String user(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT CURRENT_USER")) {
            r.next();
            return r.getString(1);
        }
    }

    private void setDatabasePassword(String password) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("ALTER USER APP SET PASSWORD '" + password + "'");
        }
    }

    @Test
    void logsInWithTheReferencedCredentialsAndKeepsThemForTheNextConnection() throws SQLException {
        try (Connection one = connect(references());
                Connection two = connect(references())) {
            assertThat(user(one)).isEqualTo("APP");
            assertThat(user(two)).isEqualTo("APP");
        }
        assertThat(MemoryStore.FETCHES).hasValue(1);
        assertThat(MpSecretsDriver.counts()).isEqualTo(new SecretCredentials.Counts(1, 0, 0, 0));
    }

    @Test
    void theStoreAndTheDatabaseRotatedTogether_aRefusedLoginFetchesAgainAndRetriesOnce() throws SQLException {
        connect(references()).close();
        setDatabasePassword(NEW);
        MemoryStore.put("db/orders", "APP", NEW);
        try (Connection c = connect(references())) {
            assertThat(user(c)).isEqualTo("APP");
        }
        assertThat(MemoryStore.FETCHES).hasValue(2);
        assertThat(MpSecretsDriver.counts()).isEqualTo(new SecretCredentials.Counts(2, 1, 1, 0));
    }

    @Test
    void theReferencesMayBeGivenAsMpSecretsSettingsInEitherForm() throws SQLException {
        Properties p = new Properties();
        p.setProperty("mpsecrets.jdbc.user", "${memory::db/orders#username}");
        p.setProperty("mpsecrets.jdbc.password", "memory::db/orders#password");
        try (Connection c = connect(p)) {
            assertThat(user(c)).isEqualTo("APP");
        }
        Properties q = references();
        q.setProperty("mpsecrets.memory.token", "${vault::secret/token}"); // a store's setting is not resolved
        assertThatThrownBy(() -> connect(q))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("mpsecrets.memory.token holds an ENC(...) value or a ${...} reference");
    }

    @Test
    void theStoreAheadOfTheDatabase_retriesWithTheLastLoginTheDatabaseAccepted() throws SQLException {
        Properties p = references();
        p.setProperty("mpsecrets.jdbc.ttl", "PT0.000001S"); // every connection reads the store again
        p.setProperty("mpsecrets.jdbc.refresh-interval", "PT0.000001S");
        connect(p).close(); // OLD accepted
        MemoryStore.put("db/orders", "APP", NEW); // the store moved on; the database has not yet
        try (Connection c = connect(p)) {
            assertThat(user(c)).isEqualTo("APP");
        }
        assertThat(MpSecretsDriver.counts().retries()).isEqualTo(1);
        assertThat(MpSecretsDriver.counts().refusedAfterRetry()).isZero();
        setDatabasePassword(NEW); // the database catches up: NEW is accepted at once
        long refusals = MpSecretsDriver.counts().refusals();
        connect(p).close();
        assertThat(MpSecretsDriver.counts().refusals()).isEqualTo(refusals);
    }

    @Test
    void theDatabaseAheadOfTheStore_retriesWithThePendingPassword() throws SQLException {
        Properties p = references();
        p.setProperty("mpsecrets.jdbc.pending-password", "memory::db/orders?stage=AWSPENDING#password");
        connect(p).close();
        MemoryStore.put("db/orders?stage=AWSPENDING", "APP", NEW); // createSecret
        setDatabasePassword(NEW); // setSecret: AWSCURRENT still holds OLD
        try (Connection c = connect(p)) {
            assertThat(user(c)).isEqualTo("APP");
        }
        assertThat(MpSecretsDriver.counts().retries()).isEqualTo(1);
    }

    @Test
    void aRefusalWithNothingElseToTryIsTheDatabasesOwn() throws SQLException {
        MemoryStore.put("db/orders", "APP", NEW); // the database has OLD, and nothing else was ever accepted
        assertThatThrownBy(() -> connect(references()))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
                .satisfies(e -> assertThat(e.getClass().getName()).startsWith("org.h2."))
                .satisfies(LeakGuard::assertNoLeak);
        assertThat(MemoryStore.FETCHES).hasValue(2); // the login's, and the one forced by the refusal
        assertThatThrownBy(() -> connect(references())).isInstanceOf(SQLException.class);
        assertThat(MemoryStore.FETCHES)
                .as("a second refusal within the refresh interval fetches nothing")
                .hasValue(2);
        assertThat(MpSecretsDriver.counts().refusedAfterRetry()).isEqualTo(2);
    }

    @Test
    void otherFailuresPassThroughUntouchedWithoutAFetchOrARetry() throws SQLException {
        String missing = "jdbc:mpsecrets:h2:mem:nowhere-" + UUID.randomUUID() + ";IFEXISTS=TRUE";
        assertThatThrownBy(() -> DriverManager.getConnection(missing, references()))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(90146))
                .satisfies(e -> assertThat(e.getClass().getName()).startsWith("org.h2."));
        assertThat(MemoryStore.FETCHES).hasValue(1);
        assertThat(MpSecretsDriver.counts().refusals()).isZero();
    }

    @Test
    void eightThreadsRefusedAtOnceShareOneFetch() throws Exception {
        connect(references()).close();
        setDatabasePassword(NEW);
        MemoryStore.put("db/orders", "APP", NEW);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> users = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                users.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = connect(references())) {
                        return user(c);
                    }
                }));
            }
            start.countDown();
            for (Future<String> user : users) {
                assertThat(user.get()).isEqualTo("APP");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(MemoryStore.FETCHES)
                .as("the first login's fetch and one after the refusals")
                .hasValue(2);
    }

    @Test
    void aStoreThatFailsIsATypedConnectionFailure() {
        MemoryStore.failing = FailureReason.UNAVAILABLE;
        assertThatThrownBy(() -> connect(references()))
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasCauseInstanceOf(ServiceUnavailableException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        MemoryStore.failing = FailureReason.ACCESS_DENIED;
        assertThatThrownBy(() -> connect(references()))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasCauseInstanceOf(SecretAccessDeniedException.class);
    }

    @Test
    void aStoreThatFailsWhenALoginWasRefusedLeavesTheRefusalAsTheDatabaseGaveIt() throws SQLException {
        connect(references()).close();
        setDatabasePassword(NEW);
        MemoryStore.failing = FailureReason.UNAVAILABLE;
        // the snapshot is OLD; the database refuses it; fetching again fails
        assertThatThrownBy(() -> connect(references()))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(SQLException.class));
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutQuotingIt() {
        for (String url : List.of(
                "jdbc:mpsecrets:h2:mem:x;PASSWORD=" + LeakGuard.CANARY,
                "jdbc:mpsecrets:postgresql://db/orders?user=a&password=" + LeakGuard.CANARY,
                "jdbc:mpsecrets:mysql://app:" + LeakGuard.CANARY + "@db/orders",
                "jdbc:mpsecrets:oracle:thin:app/" + LeakGuard.CANARY + "@db:1521:orcl")) {
            assertThatThrownBy(() -> DriverManager.getConnection(url, references()))
                    .as(url.substring(0, 30))
                    .isInstanceOf(SQLNonTransientConnectionException.class)
                    .hasMessageContaining("holds a password")
                    .satisfies(LeakGuard::assertNoLeak);
        }
        assertThat(MemoryStore.FETCHES).hasValue(0);
    }

    @Test
    void aPasswordGivenAsTextIsRefusedWithoutQuotingIt() {
        Properties p = references();
        p.setProperty("password", LeakGuard.CANARY);
        assertThatThrownBy(() -> connect(p))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("must be a secret reference")
                .satisfies(LeakGuard::assertNoLeak);
        Properties q = references();
        q.setProperty("password", "${memory::db/orders#password"); // a reference mistyped
        assertThatThrownBy(() -> connect(q)).hasMessageContaining("must be a secret reference");
    }

    @Test
    void hostileSecretsAreTypedFailures() {
        MemoryStore.SECRETS.put("db/orders", "[".repeat(100_000));
        assertThatThrownBy(() -> connect(references()))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("nests too deep");
        MemoryStore.SECRETS.put("db/orders", "not json " + LeakGuard.CANARY);
        MpSecretsDriver.closeAll();
        assertThatThrownBy(() -> connect(references()))
                .hasMessageContaining("not a JSON object")
                .satisfies(LeakGuard::assertNoLeak);
        MemoryStore.SECRETS.put("db/orders", "{\"username\":\"APP\"}");
        MpSecretsDriver.closeAll();
        assertThatThrownBy(() -> connect(references())).hasMessageContaining("no such field");
        MemoryStore.SECRETS.put(
                "db/orders", "{\"username\":\"APP\",\"password\":{\"a\":\"" + LeakGuard.CANARY + "\"}}");
        MpSecretsDriver.closeAll();
        assertThatThrownBy(() -> connect(references()))
                .hasMessageContaining("not text")
                .satisfies(LeakGuard::assertNoLeak);
    }

    @Test
    void whatTheDriverIsGivenIsBounded() throws SQLException {
        String longUrl = "jdbc:mpsecrets:h2:mem:x;" + "A".repeat(JdbcUrls.MAX_LENGTH);
        assertThatThrownBy(() -> DriverManager.getConnection(longUrl, references()))
                .hasMessageContaining("longer than " + JdbcUrls.MAX_LENGTH);
        Properties p = references();
        p.setProperty("password", "${memory::" + "a".repeat(CredentialReference.MAX_LENGTH) + "#password}");
        assertThatThrownBy(() -> connect(p)).hasMessageContaining("longer than " + CredentialReference.MAX_LENGTH);
        for (int i = 0; i < MpSecretsDriver.MAX_CONFIGURATIONS; i++) {
            Properties one = references();
            one.setProperty("mpsecrets.jdbc.ttl", "PT" + (i + 1) + "M"); // another configuration
            connect(one).close();
        }
        Properties oneMore = references();
        oneMore.setProperty("mpsecrets.jdbc.ttl", "PT1H");
        assertThatThrownBy(() -> connect(oneMore))
                .hasMessageContaining("more than " + MpSecretsDriver.MAX_CONFIGURATIONS);
    }

    @Test
    void theDataSourceRefusesAPasswordInItsUrlToo() {
        try (MpSecretsDataSource source =
                new MpSecretsDataSource(database + ";PASSWORD=" + LeakGuard.CANARY, references())) {
            assertThatThrownBy(source::getConnection)
                    .hasMessageContaining("holds a password")
                    .satisfies(LeakGuard::assertNoLeak);
            LeakGuard.assertNoLeak(source.toString());
        }
    }

    @Test
    void aMissingStoreOrReferenceIsNamed() {
        Properties p = references();
        p.setProperty("password", "${nosuchstore::db/orders#password}");
        assertThatThrownBy(() -> connect(p)).hasMessageContaining("no secret store named nosuchstore");
        Properties q = new Properties();
        q.setProperty("user", "APP");
        assertThatThrownBy(() -> connect(q)).hasMessageContaining("needs a user and a password");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mpsecrets:", references()))
                .hasMessageContaining("names no target driver");
    }

    @Test
    void theDataSourceWrapsTheVendorsAndNamesNoPassword() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(database);
        try (MpSecretsDataSource source = new MpSecretsDataSource(h2, references())) {
            try (Connection c = source.getConnection()) {
                assertThat(user(c)).isEqualTo("APP");
            }
            setDatabasePassword(NEW);
            MemoryStore.put("db/orders", "APP", NEW);
            try (Connection c = source.getConnection()) {
                assertThat(user(c)).isEqualTo("APP");
            }
            assertThat(source.counts()).isEqualTo(new SecretCredentials.Counts(2, 1, 1, 0));
            assertThat(source.toString())
                    .isEqualTo("MpSecretsDataSource[org.h2.jdbcx.JdbcDataSource, user=memory::db/orders#username,"
                            + " password=memory::db/orders#password]");
            assertThatThrownBy(() -> source.getConnection("APP", NEW)).hasMessageContaining("secret references");
        }
    }

    @Test
    void theDataSourceOverAUrlAsABean() throws SQLException {
        try (MpSecretsDataSource source = new MpSecretsDataSource()) {
            source.setUrl(database);
            source.setUser("${memory::db/orders#username}");
            source.setPassword("memory::db/orders#password");
            try (Connection c = source.getConnection()) {
                assertThat(user(c)).isEqualTo("APP");
            }
            assertThat(source.toString()).startsWith("MpSecretsDataSource[jdbc:h2, user=");
            LeakGuard.assertNoLeak(source.toString());
        }
    }

    @Test
    void theDriverIgnoresOtherUrlsAndLoadsFromItsServiceFile() throws SQLException {
        assertThat(new MpSecretsDriver().connect(database, references())).isNull();
        assertThat(DriverManager.getDriver("jdbc:mpsecrets:h2:mem:x")).isInstanceOf(MpSecretsDriver.class);
        assertThat(new SecretCredentials.Login("APP", LeakGuard.CANARY, java.util.Optional.empty()).toString())
                .isEqualTo("Login[redacted]");
    }

    /**
     * A server loads this driver and the target driver from one library (Liberty's {@code <jdbcDriver libraryRef>}),
     * and asks for connections on the application's threads, whose context class loader is the application's and
     * does not see that library: the class {@code mpsecrets.jdbc.driver} names is loaded beside this driver first.
     */
    @Test
    void theNamedDriverIsLoadedBesideThisOneWhenTheThreadsClassLoaderCannotSeeIt() throws Exception {
        Properties p = references();
        p.setProperty("mpsecrets.jdbc.driver", "org.h2.Driver");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader application = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(application);
            try (Connection c = new MpSecretsDriver().connect("jdbc:mpsecrets:" + database.substring(5), p)) {
                assertThat(user(c)).isEqualTo("APP");
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /**
     * A datasource a server removed or redefined leaves a configuration nobody logs in with: its stores (a Vault
     * store's lease renewals and thread) close once it has no open connection and no login for its idle time, and a
     * later login opens them again.
     */
    @Test
    void aConfigurationWithNoOpenConnectionAndNoLoginClosesItsStoresUntilItsNextLogin() throws Exception {
        Properties idle = references();
        idle.setProperty("mpsecrets.jdbc.idle-close", "PT0.2S");
        Connection open = connect(idle);
        assertThat(user(open)).isEqualTo("APP");
        Thread.sleep(600); // three idle times with a connection open
        assertThat(MemoryStore.CLOSES)
                .as("stores closed while a connection is open")
                .hasValue(0);
        assertThat(MpSecretsDriver.configurations()).isEqualTo(1);

        open.close();
        awaitUntil(() -> MemoryStore.CLOSES.get() == 1, "the idle configuration's store closed");
        assertThat(MpSecretsDriver.configurations()).isZero();

        int fetches = MemoryStore.FETCHES.get();
        try (Connection again = connect(idle)) {
            assertThat(user(again)).isEqualTo("APP");
        }
        assertThat(MemoryStore.FETCHES.get()).as("the reopened store fetched").isGreaterThan(fetches);
    }

    /**
     * A server that redefines datasources again and again is not refused a new one once {@value
     * MpSecretsDriver#MAX_CONFIGURATIONS} have been made: those nobody uses any more are closed and forgotten.
     */
    @Test
    void configurationsNobodyUsesDoNotCountAgainstTheLimit() throws Exception {
        for (int i = 0; i < MpSecretsDriver.MAX_CONFIGURATIONS + 8; i++) {
            Properties redefined = references();
            redefined.setProperty("mpsecrets.jdbc.idle-close", "PT0.05S");
            redefined.setProperty("mpsecrets.jdbc.ttl", "PT" + (60 + i) + "S"); // another configuration each time
            long start = System.nanoTime();
            while (true) {
                try (Connection c = connect(redefined)) {
                    assertThat(user(c)).isEqualTo("APP");
                    break;
                } catch (SQLNonTransientConnectionException full) {
                    assertThat(full.getMessage()).contains("datasource configurations");
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .as("configuration " + i + " made once idle ones are closed")
                            .isLessThan(Duration.ofSeconds(10));
                    Thread.sleep(20);
                }
            }
        }
        assertThat(MpSecretsDriver.configurations()).isLessThanOrEqualTo(MpSecretsDriver.MAX_CONFIGURATIONS);
    }

    @Test
    void anUnknownJdbcSettingIsRefusedByName() {
        Properties misspelt = references();
        misspelt.setProperty("mpsecrets.jdbc.tll", "PT1M");
        assertThatThrownBy(() -> connect(misspelt))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .hasMessageContaining("mpsecrets.jdbc.tll")
                .hasMessageContaining("mpsecrets.jdbc.ttl");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(what).isLessThan(Duration.ofSeconds(10));
            Thread.sleep(20);
        }
    }
}
