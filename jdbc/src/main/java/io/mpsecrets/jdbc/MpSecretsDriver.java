package io.mpsecrets.jdbc;

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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * <p>Each distinct configuration (URL and properties) keeps one {@link SecretCredentials} for the life of the class
 * (a server loads a driver once); at most {@value #MAX_CONFIGURATIONS} of them. Registered with {@link DriverManager}
 * when the class loads, and through {@code META-INF/services/java.sql.Driver}.
 */
public final class MpSecretsDriver implements Driver {

    /** Configurations one driver class keeps credentials for; a server has a handful of datasources. */
    static final int MAX_CONFIGURATIONS = 64;

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.jdbc");
    private static final Map<String, Configured> CONFIGURED = new HashMap<>();

    /** One configuration's credentials, target driver and URL, and the properties passed on to the driver. */
    private record Configured(SecretCredentials credentials, Driver driver, String target, Properties passed) {}

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
        Configured configured = configured(url, info == null ? new Properties() : info);
        return SecretLogin.connect(configured.credentials(), (user, password) -> {
            Properties properties = new Properties();
            properties.putAll(configured.passed());
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            return configured.driver().connect(configured.target(), properties);
        });
    }

    /**
     * One configuration, made on its first connection: its credentials, target driver and the properties passed on.
     * Keyed by a hash of the URL and properties (which may hold a store's token), never by the text itself.
     */
    private static Configured configured(String url, Properties given) throws SQLException {
        String key = key(url, given);
        synchronized (CONFIGURED) {
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
                configured = new Configured(SecretCredentials.of(settings, given), driver, target, passed);
                CONFIGURED.put(key, configured);
            }
            return configured;
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
                SecretCredentials.Counts one = c.credentials().counts();
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
        synchronized (CONFIGURED) {
            CONFIGURED.values().forEach(c -> c.credentials().close());
            CONFIGURED.clear();
        }
    }

    @Override
    public String toString() {
        return "MpSecretsDriver[" + JdbcUrls.PREFIX + "...]";
    }
}
