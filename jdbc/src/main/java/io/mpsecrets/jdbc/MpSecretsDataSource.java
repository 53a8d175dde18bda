package io.mpsecrets.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose physical connections log in with credentials from secret references, for a pool
 * (HikariCP's {@code setDataSource}, a server's {@code javax.sql.DataSource} type) or an application: over a JDBC URL
 * (the target driver's own, or {@code jdbc:mpsecrets:...}) or over the vendor's own {@code DataSource}, whose
 * {@code getConnection(user, password)} it calls. Configured by constructor or as a bean ({@link #setUrl},
 * {@link #setUser}, {@link #setPassword}, {@link #setProperty}) before the first connection. The user and password are
 * references as {@link SecretCredentials#of} takes them; a refused login is retried once ({@link LoginRefusals}).
 * {@link #close()} closes the stores it opened.
 */
public final class MpSecretsDataSource implements DataSource, AutoCloseable {

    private final Properties properties = new Properties();
    private final DataSource target;
    private String url;
    private SecretCredentials credentials; // guarded by this; made on the first connection
    private SecretLogin.Connector connector; // guarded by this
    private PrintWriter logWriter;
    private int loginTimeout;

    /** A bean, to configure with the setters before the first connection. */
    public MpSecretsDataSource() {
        this.target = null;
    }

    /**
     * @param url the target driver's URL, or {@code jdbc:mpsecrets:...}; it must hold no password
     * @param properties connection properties: {@code user} and {@code password} as references, {@code mpsecrets.*}
     *     settings, and the target driver's own
     */
    public MpSecretsDataSource(String url, Properties properties) {
        this.target = null;
        this.url = Objects.requireNonNull(url, "url");
        this.properties.putAll(properties);
    }

    /**
     * @param target the vendor's data source, without a user or password of its own
     * @param properties {@code user} and {@code password} as references and {@code mpsecrets.*} settings
     */
    public MpSecretsDataSource(DataSource target, Properties properties) {
        this.target = Objects.requireNonNull(target, "target");
        this.properties.putAll(properties);
    }

    public synchronized void setUrl(String url) {
        checkNotStarted();
        this.url = url;
    }

    /** The user: a reference ({@code ${store::id}} or {@code store::id}) or a name. */
    public synchronized void setUser(String user) {
        setProperty("user", user);
    }

    /** The password: a reference, never the password itself. */
    public synchronized void setPassword(String password) {
        setProperty("password", password);
    }

    /** A connection property: the target driver's, or an {@code mpsecrets.*} setting. */
    public synchronized void setProperty(String name, String value) {
        checkNotStarted();
        properties.setProperty(name, value);
    }

    private void checkNotStarted() {
        if (credentials != null) {
            throw new IllegalStateException("the data source is configured before its first connection");
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        SecretCredentials c;
        SecretLogin.Connector to;
        synchronized (this) {
            if (credentials == null) {
                start();
            }
            c = credentials;
            to = connector;
        }
        return SecretLogin.connect(c, to);
    }

    private void start() throws SQLException {
        JdbcSettings settings = JdbcSettings.of(properties);
        SecretLogin.Connector connect;
        if (target != null) {
            connect = target::getConnection;
        } else {
            if (url == null) {
                throw new SQLNonTransientConnectionException("mp-secrets: the data source has no URL", "08001");
            }
            String targetUrl;
            if (JdbcUrls.ours(url)) {
                targetUrl = JdbcUrls.target(url);
            } else {
                JdbcUrls.checkNoPassword(url);
                targetUrl = url;
            }
            Driver driver = MpSecretsDriver.targetDriver(settings, targetUrl);
            Properties passed = new Properties();
            for (String name : properties.stringPropertyNames()) {
                if (!name.startsWith("mpsecrets.") && !name.equals("user") && !name.equals("password")) {
                    passed.setProperty(name, properties.getProperty(name));
                }
            }
            connect = (user, password) -> {
                Properties p = new Properties();
                p.putAll(passed);
                p.setProperty("user", user);
                p.setProperty("password", password);
                return driver.connect(targetUrl, p);
            };
        }
        credentials = SecretCredentials.of(settings, properties);
        connector = connect;
    }

    /**
     * Refused: the user and password come from the references this data source was given.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "mp-secrets: this data source takes its user and password from secret references; call"
                        + " getConnection()");
    }

    /** What the credentials cost so far; zeros before the first connection. */
    public synchronized SecretCredentials.Counts counts() {
        return credentials == null ? new SecretCredentials.Counts(0, 0, 0, 0) : credentials.counts();
    }

    @Override
    public synchronized PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public synchronized void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public synchronized void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public synchronized int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.mpsecrets.jdbc");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /** Closes the stores it opened (a Vault store revokes its leases unless its settings keep them). */
    @Override
    public void close() {
        SecretCredentials c;
        synchronized (this) {
            c = credentials;
        }
        if (c != null) {
            c.close();
        }
    }

    /** The target's scheme and the references, never a password or the rest of the URL. */
    @Override
    public synchronized String toString() {
        String over = target != null ? target.getClass().getName() : JdbcUrls.scheme(url);
        return "MpSecretsDataSource[" + over + (credentials == null ? "" : ", " + credentials.describe()) + "]";
    }
}
