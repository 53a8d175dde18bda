package io.mpsecrets.jdbc;

import io.mpsecrets.api.backend.DaemonScheduler;
import io.mpsecrets.api.exception.SecretException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:mpsecrets:<the target driver's URL without jdbc:>}, e.g.
 * {@code jdbc:mpsecrets:postgresql://db.internal:5432/orders}: it logs in through the target driver with the user and
 * password its properties reference ({@code user=${vault::database/creds/orders#username}}, {@code
 * password=${vault::database/creds/orders#password}}), fetched through {@link SecretCredentials}, and retries a refused
 * login once ({@link LoginRefusals}). The other properties go to the target driver as they are, except the {@code
 * mpsecrets.*} ones, which are this driver's settings and its stores' (docs/jdbc.md). A URL holding a password is
 * refused.
 *
 * <p>Each distinct configuration (URL and properties) keeps one {@link SecretCredentials} while it is in use; at most
 * {@value #MAX_CONFIGURATIONS} of them. A configuration with no open connection and no login for {@code
 * mpsecrets.jdbc.idle-close} (10 minutes by default) closes its stores (a Vault store revokes its leases) and is
 * forgotten; its next login opens them again. The driver cannot know when a server removes or redefines a datasource
 * (JDBC has no such call), and the stores of one left open would renew leases and hold threads for as long as the
 * server runs; a configuration nothing uses any more is what it can see. Registered with {@link DriverManager} when the
 * class loads, and through {@code META-INF/services/java.sql.Driver}.
 */
public final class MpSecretsDriver implements Driver {

    /** Configurations one driver class keeps credentials for; a server has a handful of datasources. */
    static final int MAX_CONFIGURATIONS = 64;

    /** A configuration's connection list is first pruned at this size. */
    private static final int PRUNE_FLOOR = 64;

    /** A configuration is looked at every tenth of its idle time, and at least this often. */
    private static final Duration LONGEST_SWEEP = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.jdbc");
    private static final Map<String, Configured> CONFIGURED = new HashMap<>();
    /** Looks for idle configurations; running while there is one, on a thread of this driver's class loader. */
    private static ScheduledThreadPoolExecutor sweeper; // guarded by CONFIGURED

    /**
     * One configuration's credentials, target driver and URL, the properties passed on to the driver, and what uses
     * the credentials: logins under way, and the connections they opened (weakly: one the pool dropped without closing
     * counts as closed once collected). The mutable fields are guarded by {@link #CONFIGURED}.
     */
    private static final class Configured {
        final SecretCredentials credentials;
        final Driver driver;
        final String target;
        final Properties passed;
        final Duration idleClose;
        final List<WeakReference<Connection>> connections = new ArrayList<>();
        /** The list's size at which the references the collector cleared are dropped: twice what was left. */
        int pruneAt = PRUNE_FLOOR;

        int loginsUnderWay;
        long lastLoginNanos = System.nanoTime();
        ScheduledFuture<?> sweep;

        Configured(SecretCredentials credentials, Driver driver, String target, Properties passed, Duration idleClose) {
            this.credentials = credentials;
            this.driver = driver;
            this.target = target;
            this.passed = passed;
            this.idleClose = idleClose;
        }

        /** Tracks a connection a login opened; the list stays within twice the connections not yet collected. */
        void track(Connection connection) {
            connections.add(new WeakReference<>(connection));
            if (connections.size() >= pruneAt) {
                connections.removeIf(reference -> reference.get() == null);
                pruneAt = Math.max(PRUNE_FLOOR, 2 * connections.size());
            }
        }
    }

    static {
        try {
            DriverManager.registerDriver(new MpSecretsDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** For {@link java.util.ServiceLoader} and servers that instantiate a driver class. */
    public MpSecretsDriver() {}

    @Override
    public boolean acceptsURL(String url) {
        return JdbcUrls.ours(url);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // DriverManager asks every driver
        }
        Properties given = info == null ? new Properties() : info;
        String key = key(url, given); // hashed outside the lock every login takes
        Configured configured;
        synchronized (CONFIGURED) {
            configured = configured(key, url, given);
            configured.loginsUnderWay++; // not closed as idle while this login uses its credentials
        }
        Connection connection = null;
        try {
            connection = SecretLogin.connect(configured.credentials, (user, password) -> {
                Properties properties = new Properties();
                properties.putAll(configured.passed);
                properties.setProperty("user", user);
                properties.setProperty("password", password);
                return configured.driver.connect(configured.target, properties);
            });
            return connection;
        } finally {
            synchronized (CONFIGURED) {
                configured.loginsUnderWay--;
                configured.lastLoginNanos = System.nanoTime();
                if (connection != null) {
                    configured.track(connection);
                }
            }
        }
    }

    /**
     * One configuration, made on its first connection: its credentials, target driver and the properties passed on.
     * Keyed by a hash of the URL and properties (which may hold a store's token), never by the text itself. Under the
     * lock.
     */
    private static Configured configured(String key, String url, Properties given) throws SQLException {
        Configured configured = CONFIGURED.get(key);
        if (configured == null) {
            if (CONFIGURED.size() >= MAX_CONFIGURATIONS) {
                throw new SQLNonTransientConnectionException(
                        "mp-secrets: more than " + MAX_CONFIGURATIONS
                                + " datasource configurations use jdbc:mpsecrets: in this class loader",
                        "08001");
            }
            String target = JdbcUrls.target(url);
            JdbcSettings settings = JdbcSettings.of(given);
            Driver driver = targetDriver(settings, target);
            Properties passed = new Properties();
            for (String name : given.stringPropertyNames()) {
                if (!name.startsWith("mpsecrets.") && !name.equals("user") && !name.equals("password")) {
                    passed.setProperty(name, given.getProperty(name));
                }
            }
            Duration idleClose = idleClose(settings);
            configured = new Configured(SecretCredentials.of(settings, given), driver, target, passed, idleClose);
            CONFIGURED.put(key, configured);
            watch(key, configured);
        }
        return configured;
    }

    private static Duration idleClose(JdbcSettings settings) throws SQLException {
        try {
            return settings.idleClose();
        } catch (SecretException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
        }
    }

    /** Looks at {@code configured} every tenth of its idle time (at most a minute apart). Under the lock. */
    private static void watch(String key, Configured configured) {
        if (sweeper == null) {
            // The thread carries this driver's class loader, not the application's that happens to log in first.
            sweeper = DaemonScheduler.start("mpsecrets-jdbc-idle", MpSecretsDriver.class.getClassLoader());
        }
        long period = Math.max(1, Math.min(configured.idleClose.toNanos() / 10, LONGEST_SWEEP.toNanos()));
        configured.sweep = sweeper.scheduleWithFixedDelay(
                () -> closeIfIdle(key, configured), period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes {@code configured}'s stores and forgets it when no login is under way, none happened for its idle time,
     * and none of its connections is open. Whether a connection is open is asked outside the lock (a driver may block
     * on a connection in use); a login in between keeps the configuration.
     */
    private static void closeIfIdle(String key, Configured configured) {
        List<Connection> tracked = new ArrayList<>();
        synchronized (CONFIGURED) {
            if (!idle(key, configured)) {
                return;
            }
            configured.connections.forEach(reference -> tracked.add(reference.get()));
        }
        for (Connection connection : tracked) {
            if (connection != null && open(connection)) {
                return;
            }
        }
        synchronized (CONFIGURED) {
            if (!idle(key, configured)) {
                return; // a login began or ended meanwhile
            }
            forget(key, configured);
        }
        LOG.info(() -> "mp-secrets: closing the stores of the datasource configuration "
                + configured.credentials.describe() + ": no open connection and no login for " + configured.idleClose
                + "; its next login opens them again");
        configured.credentials.close();
    }

    /** Still served, with no login under way and none ended within its idle time. Under the lock. */
    private static boolean idle(String key, Configured configured) {
        return CONFIGURED.get(key) == configured
                && configured.loginsUnderWay == 0
                && System.nanoTime() - configured.lastLoginNanos >= configured.idleClose.toNanos();
    }

    /** Whether a connection may still be in use: open, or not known to be closed. */
    private static boolean open(Connection connection) {
        try {
            return !connection.isClosed();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /** Removes {@code configured}, and stops the sweeper when none is left. Under the lock. */
    private static void forget(String key, Configured configured) {
        CONFIGURED.remove(key);
        configured.sweep.cancel(false);
        if (CONFIGURED.isEmpty() && sweeper != null) {
            sweeper.shutdown(); // from its own thread too: the running sweep ends, nothing else is due
            sweeper = null;
        }
    }

    private static String key(String url, Properties info) {
        Map<String, String> sorted = new TreeMap<>();
        for (String name : info.stringPropertyNames()) {
            sorted.put(name, info.getProperty(name));
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(url.getBytes(StandardCharsets.UTF_8));
            sorted.forEach((name, value) -> {
                digest.update((byte) 0);
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 1);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** The driver named by {@code mpsecrets.jdbc.driver}, or the one {@link DriverManager} finds for the URL. */
    static Driver targetDriver(JdbcSettings settings, String target) throws SQLException {
        String className = settings.setting(JdbcSettings.DRIVER).orElse(null);
        if (className == null) {
            try {
                return DriverManager.getDriver(target);
            } catch (SQLException none) {
                throw new SQLNonTransientConnectionException(
                        "mp-secrets: no JDBC driver for " + JdbcUrls.scheme(target)
                                + " on the class path (or name its class in " + JdbcSettings.DRIVER + ")",
                        "08001");
            }
        }
        try {
            Class<?> type = load(className);
            if (!Driver.class.isAssignableFrom(type) || type == MpSecretsDriver.class) {
                throw new SQLNonTransientConnectionException(
                        "mp-secrets: " + JdbcSettings.DRIVER + " names no other java.sql.Driver", "08001");
            }
            return (Driver) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SQLNonTransientConnectionException(
                    "mp-secrets: the driver class " + JdbcSettings.DRIVER + " names cannot be loaded ("
                            + e.getClass().getSimpleName() + ")",
                    "08001");
        }
    }

    /**
     * The class from this driver's class loader, else the thread's. This one's first: a server loads this driver and
     * the target driver from one library (Liberty's {@code <jdbcDriver libraryRef>}, a WildFly module) and asks for
     * connections on the application's threads, whose context class loader is the application's, which does not see
     * that library.
     */
    private static Class<?> load(String className) throws ClassNotFoundException {
        ClassLoader own = MpSecretsDriver.class.getClassLoader();
        try {
            return Class.forName(className, true, own);
        } catch (ClassNotFoundException notBeside) {
            ClassLoader thread = Thread.currentThread().getContextClassLoader();
            if (thread == null || thread == own) {
                throw notBeside;
            }
            return Class.forName(className, true, thread);
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return new DriverPropertyInfo[0];
        }
        String target = JdbcUrls.target(url);
        Properties passed = new Properties();
        if (info != null) {
            info.stringPropertyNames().stream()
                    .filter(name -> !name.startsWith("mpsecrets.") && !name.equals("password"))
                    .forEach(name -> passed.setProperty(name, info.getProperty(name)));
        }
        return targetDriver(JdbcSettings.of(info), target).getPropertyInfo(target, passed);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false; // whether the connections are is the target driver's answer
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return LOG;
    }

    /** Login counts summed over every configuration this driver class serves. */
    public static SecretCredentials.Counts counts() {
        long fetches = 0;
        long refusals = 0;
        long retries = 0;
        long refusedAfterRetry = 0;
        synchronized (CONFIGURED) {
            for (Configured c : CONFIGURED.values()) {
                SecretCredentials.Counts one = c.credentials.counts();
                fetches += one.fetches();
                refusals += one.refusals();
                retries += one.retries();
                refusedAfterRetry += one.refusedAfterRetry();
            }
        }
        return new SecretCredentials.Counts(fetches, refusals, retries, refusedAfterRetry);
    }

    /**
     * Closes every configuration's stores (Vault leases are revoked unless kept) and forgets them; the next connection
     * opens them again. For a server's or test's shutdown.
     */
    public static void closeAll() {
        List<Configured> all;
        synchronized (CONFIGURED) {
            all = new ArrayList<>(CONFIGURED.values());
            Map.copyOf(CONFIGURED).forEach(MpSecretsDriver::forget);
        }
        all.forEach(c -> c.credentials.close());
    }

    /** How many configurations keep their stores open now (tests). */
    static int configurations() {
        synchronized (CONFIGURED) {
            return CONFIGURED.size();
        }
    }

    @Override
    public String toString() {
        return "MpSecretsDriver[" + JdbcUrls.PREFIX + "...]";
    }
}
