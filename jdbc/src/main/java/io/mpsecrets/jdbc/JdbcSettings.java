package io.mpsecrets.jdbc;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The settings of one datasource: the {@code mpsecrets.*} connection properties it was given, then system properties,
 * then environment variables (as MicroProfile Config names them: {@code MPSECRETS_VAULT_ADDRESS}). A driver a server
 * loads outside any application has no application config to read, so these three are where its settings are; the
 * stores' own settings ({@code mpsecrets.vault.address}) are read the same way.
 */
final class JdbcSettings {

    static final String PREFIX = "mpsecrets.jdbc.";
    /** The user: a reference or the name itself; {@code user} (JDBC's own property) is read when this is unset. */
    static final String USER = PREFIX + "user";
    /** The password: a reference; {@code password} is read when this is unset. */
    static final String PASSWORD = PREFIX + "password";
    /** Tried when the current password is refused and unchanged: the one a rotation is setting (AWSPENDING). */
    static final String PENDING_PASSWORD = PREFIX + "pending-password";
    /** How long fetched credentials serve new connections before they are fetched again. */
    static final String TTL = PREFIX + "ttl";
    /** A refused login fetches the credentials again at most once per this interval; others wait for that fetch. */
    static final String REFRESH_INTERVAL = PREFIX + "refresh-interval";
    /** The class of the driver to log in with, when {@code DriverManager} cannot find it (a server's library). */
    static final String DRIVER = PREFIX + "driver";
    /** A configuration with no open connection and no login for this long closes its stores until its next login. */
    static final String IDLE_CLOSE = PREFIX + "idle-close";
    /** Every {@code mpsecrets.jdbc.*} setting: any other is a mistake, reported rather than ignored. */
    static final Set<String> NAMES =
            Set.of(USER, PASSWORD, PENDING_PASSWORD, TTL, REFRESH_INTERVAL, DRIVER, IDLE_CLOSE);

    static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_IDLE_CLOSE = Duration.ofMinutes(10);

    private final Map<String, String> given;
    private final Function<String, String> system;
    private final Map<String, String> environment;

    private JdbcSettings(Map<String, String> given, Function<String, String> system, Map<String, String> environment) {
        this.given = given;
        this.system = system;
        this.environment = environment;
    }

    /** The {@code mpsecrets.*} properties of {@code properties}, over system properties and the environment. */
    static JdbcSettings of(Properties properties) {
        return of(properties, System::getProperty, System.getenv());
    }

    static JdbcSettings of(Properties properties, Function<String, String> system, Map<String, String> environment) {
        Map<String, String> given = new TreeMap<>();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith("mpsecrets.")) {
                    given.put(name, properties.getProperty(name));
                }
            }
        }
        return new JdbcSettings(given, system, environment);
    }

    /**
     * Refuses an {@code mpsecrets.jdbc.*} connection property this driver does not know (a misspelt {@code ttl} would
     * otherwise leave the default in force unnoticed), naming it.
     *
     * @throws ConfigurationException naming the first unknown setting
     */
    void checkNames() {
        for (String name : given.keySet()) {
            if (name.startsWith(PREFIX) && !NAMES.contains(name)) {
                throw new ConfigurationException(
                        name + " is not a setting of mp-secrets' JDBC driver (known: " + new TreeSet<>(NAMES) + ")");
            }
        }
    }

    /** The settings given as connection properties, to tell two datasources' configurations apart. */
    Map<String, String> given() {
        return given;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** A setting by its full name; empty when unset or blank. */
    Optional<String> setting(String name) {
        Optional<String> value = raw(name);
        if (value.isPresent() && (value.get().startsWith("ENC(") || value.get().contains("${"))) {
            // the driver has no config to expand references or decrypt values with: say so rather than send the text
            throw new ConfigurationException(name + " holds an ENC(...) value or a ${...} reference, which the JDBC"
                    + " driver does not resolve in a store's settings: give the setting plainly, or through the"
                    + " store's file or environment settings (docs/jdbc.md)");
        }
        return value;
    }

    /** A setting that holds a secret reference itself ({@link #USER}, {@link #PASSWORD}, {@link #PENDING_PASSWORD}). */
    Optional<String> reference(String name) {
        return raw(name);
    }

    private Optional<String> raw(String name) {
        String value = given.get(name);
        if (value == null) {
            value = system.apply(name);
        }
        if (value == null) {
            value = environment.get(environmentName(name));
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Settings typed() {
        return new Settings(this::setting);
    }

    Duration ttl() {
        return positive(TTL, DEFAULT_TTL);
    }

    Duration refreshInterval() {
        return positive(REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL);
    }

    Duration idleClose() {
        return positive(IDLE_CLOSE, DEFAULT_IDLE_CLOSE);
    }

    private Duration positive(String name, Duration defaultValue) {
        Duration value = typed().duration(name, defaultValue);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigurationException(name + " must be longer than 0");
        }
        return value;
    }

    /** As MicroProfile Config maps a name to an environment variable: upper case, anything else than A-Z0-9 as _. */
    static String environmentName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
