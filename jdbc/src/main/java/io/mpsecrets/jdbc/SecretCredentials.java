package io.mpsecrets.jdbc;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.JsonLimits;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The user and password of one datasource, read from secret references and kept for new connections until their TTL
 * ({@code mpsecrets.jdbc.ttl}) or the store's own expiry (a lease's end) passes, or the store reports that it moved
 * them on. Both are read in one fetch when they are fields of one secret, so a user and a password never come from two
 * leases.
 *
 * <p>When the database refuses a login, {@link #afterRefusal} gives the one login to retry with: credentials fetched
 * again past their TTL (single flight: threads refused at once wait for one fetch, and a fetch is made at most once per
 * {@code mpsecrets.jdbc.refresh-interval}); when the store still gives what was refused, the password a rotation is
 * setting ({@code mpsecrets.jdbc.pending-password}, AWSPENDING), or else the last login the database accepted (the
 * store moved on before the database did). A store's failure is a {@link SQLException} whose cause is the typed
 * {@link SecretException}; nothing fetched is ever kept after a store refused or failed.
 *
 * <p>Thread-safe. No message, log line or {@code toString()} holds a user's password.
 */
public final class SecretCredentials implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets.jdbc");

    /** A user and password to log in with. Its {@code toString()} names neither. */
    public static final class Login {
        private final String user;
        private final String password;
        private final long expiresAtNanos;
        private final boolean expires;

        Login(String user, String password, Optional<Instant> expiresAt) {
            this.user = user;
            this.password = password;
            this.expires = expiresAt.isPresent();
            this.expiresAtNanos = expiresAt
                    .map(at -> System.nanoTime()
                            + Duration.between(Instant.now(), at).toNanos())
                    .orElse(0L);
        }

        /** The user name to log in as. */
        public String user() {
            return user;
        }

        /** The password; a string the caller cannot zero, as JDBC takes it. */
        public String password() {
            return password;
        }

        boolean expired(long now) {
            return expires && now - expiresAtNanos >= 0;
        }

        boolean sameAs(Login other) {
            return other != null
                    && user.equals(other.user)
                    && MessageDigest.isEqual(
                            password.getBytes(StandardCharsets.UTF_8), other.password.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Login[redacted]";
        }
    }

    /** Counts since the datasource was built: what a rotation cost. */
    public record Counts(long fetches, long refusals, long retries, long refusedAfterRetry) {}

    private record Snapshot(Login login, long refreshAtNanos) {}

    private final CredentialReference user;
    private final CredentialReference password;
    private final CredentialReference pending;
    private final Duration ttl;
    private final long refreshIntervalNanos;
    private final SecretStores stores;
    private final Object lock = new Object();
    private volatile Snapshot snapshot; // written under lock
    private volatile boolean stale;
    private volatile Login lastGood;
    private long lastForcedNanos; // guarded by lock
    private boolean forcedOnce; // guarded by lock
    private final AtomicLong fetches = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong refusedAfterRetry = new AtomicLong();

    private SecretCredentials(JdbcSettings settings, String userText, String passwordText) {
        this.user = CredentialReference.parse(JdbcSettings.USER, userText, true);
        this.password = CredentialReference.parse(JdbcSettings.PASSWORD, passwordText, false);
        this.pending = settings.reference(JdbcSettings.PENDING_PASSWORD)
                .map(text -> CredentialReference.parse(JdbcSettings.PENDING_PASSWORD, text, false))
                .orElse(null);
        this.ttl = settings.ttl();
        this.refreshIntervalNanos = settings.refreshInterval().toNanos();
        this.stores = new SecretStores(settings, this::changed);
    }

    /**
     * Credentials from connection properties: the user in {@code mpsecrets.jdbc.user} or {@code user}, the password in
     * {@code mpsecrets.jdbc.password} or {@code password}, each a reference ({@code ${store::id}} or
     * {@code store::id}; a user may be a name), and the settings of the stores they name, as {@code mpsecrets.*}
     * properties, system properties or environment variables.
     *
     * @param properties the datasource's connection properties
     * @return credentials that open their stores on first use
     * @throws SQLException (state 08001) when the user or password is missing or not a reference
     */
    public static SecretCredentials of(Properties properties) throws SQLException {
        return of(JdbcSettings.of(properties), properties);
    }

    static SecretCredentials of(JdbcSettings settings, Properties properties) throws SQLException {
        try {
            settings.checkNames();
            String userText = settings.reference(JdbcSettings.USER).orElse(property(properties, "user"));
            String passwordText = settings.reference(JdbcSettings.PASSWORD).orElse(property(properties, "password"));
            if (userText == null || passwordText == null) {
                throw new SQLNonTransientConnectionException(
                        "mp-secrets: the datasource needs a user and a password, each a secret reference (user,"
                                + " password or " + JdbcSettings.USER + ", " + JdbcSettings.PASSWORD + ")",
                        "08001");
            }
            return new SecretCredentials(settings, userText, passwordText);
        } catch (IllegalArgumentException e) {
            throw new SQLNonTransientConnectionException("mp-secrets: " + e.getMessage(), "08001", e);
        } catch (SecretException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e); // names mp-secrets already
        }
    }

    private static String property(Properties properties, String name) {
        String value = properties == null ? null : properties.getProperty(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The login for a new connection: the credentials in service, or fetched now when there are none, their TTL or
     * expiry passed, or the store reported a change. One thread fetches; others asking meanwhile wait for it.
     *
     * @return the login
     * @throws SQLException when the store fails or refuses: transient ({@link SQLTransientConnectionException}) when
     *     the store's failure is, with the typed failure as its cause
     */
    public Login current() throws SQLException {
        Snapshot now = usable(snapshot);
        if (now != null) {
            return now.login();
        }
        synchronized (lock) {
            now = usable(snapshot);
            if (now != null) {
                return now.login();
            }
            return fetch(false);
        }
    }

    private Snapshot usable(Snapshot s) {
        long now = System.nanoTime();
        return s != null && !stale && now - s.refreshAtNanos() < 0 && !s.login().expired(now) ? s : null;
    }

    /** Fetches under the lock and puts the result in service. */
    private Login fetch(boolean force) throws SQLException {
        stale = false; // before the read: a change reported during it marks the snapshot again
        Login fresh = read(force);
        long refreshAt = System.nanoTime() + ttl.toNanos();
        snapshot = new Snapshot(fresh, refreshAt);
        return fresh;
    }

    /**
     * The one login to retry with after the database refused {@code refused}, or empty when there is none other to try
     * (the refusal then stands as the database gave it).
     *
     * @param refused the login the database refused
     * @return what to retry with
     * @throws SQLException when fetching again failed (the caller reports the database's refusal, with this
     *     suppressed)
     */
    public Optional<Login> afterRefusal(Login refused) throws SQLException {
        refusals.incrementAndGet();
        synchronized (lock) {
            Snapshot s = snapshot;
            Login candidate;
            long now = System.nanoTime();
            if (s != null && !stale && !s.login().sameAs(refused) && !s.login().expired(now)) {
                candidate = s.login(); // another thread fetched after this one's login: single flight
            } else if (!forcedOnce || now - lastForcedNanos >= refreshIntervalNanos) {
                forcedOnce = true;
                lastForcedNanos = now;
                candidate = fetch(true);
            } else if (usable(s) == null) {
                candidate = fetch(false); // rate-limited, but the TTL is over: the fetch a login would make anyway
            } else {
                candidate = s.login(); // rate-limited: no call to the store
            }
            if (!candidate.sameAs(refused)) {
                return retry(candidate);
            }
            if (pending != null) {
                Optional<Login> next = pending(candidate);
                if (next.isPresent() && !next.get().sameAs(refused)) {
                    return retry(next.get());
                }
            }
            Login good = lastGood;
            if (good != null && !good.sameAs(refused) && !good.expired(now)) {
                return retry(good);
            }
            return Optional.empty();
        }
    }

    private Optional<Login> retry(Login login) {
        retries.incrementAndGet();
        return Optional.of(login);
    }

    /** The pending password with the current user; empty when the store has none (no rotation under way). */
    private Optional<Login> pending(Login current) {
        try {
            Map<String, SecretValue> read = new HashMap<>();
            try {
                String text = field(pending, whole(pending, read, true));
                return Optional.of(new Login(current.user(), text, Optional.empty()));
            } finally {
                read.values().forEach(SecretValue::destroy);
            }
        } catch (SecretNotFoundException none) {
            return Optional.empty();
        } catch (SecretException e) {
            LOG.log(
                    Level.FINE,
                    () -> "mp-secrets: the pending password " + pending + " could not be read (" + e.reason() + ")");
            return Optional.empty();
        }
    }

    /** The database accepted {@code login}: it is the one to fall back on if the store moves on first. */
    public void succeeded(Login login) {
        lastGood = login;
    }

    /** A refused login's retry was refused too. */
    void refusedAgain() {
        refusedAfterRetry.incrementAndGet();
    }

    public Counts counts() {
        return new Counts(fetches.get(), refusals.get(), retries.get(), refusedAfterRetry.get());
    }

    private void changed(SecretId id) {
        SecretId whole = new SecretId(id.path(), null, id.versionId(), id.stage());
        if ((user.isReference() && user.secret().equals(whole))
                || password.secret().equals(whole)) {
            stale = true;
        }
    }

    private Login read(boolean force) throws SQLException {
        Map<String, SecretValue> read = new HashMap<>();
        try {
            String userName = user.isReference() ? field(user, whole(user, read, force)) : user.literal();
            String pass = field(password, whole(password, read, force));
            Instant expiresAt = null;
            for (SecretValue value : read.values()) {
                Instant at = value.expiresAt().orElse(null);
                if (at != null && (expiresAt == null || at.isBefore(expiresAt))) {
                    expiresAt = at;
                }
            }
            return new Login(userName, pass, Optional.ofNullable(expiresAt));
        } catch (SecretException e) {
            String message = "the database credentials could not be read: " + e.getMessage();
            throw e.reason().transientFailure()
                    ? new SQLTransientConnectionException(message, "08001", e)
                    : new SQLNonTransientConnectionException(message, "08001", e);
        } finally {
            read.values().forEach(SecretValue::destroy);
        }
    }

    /**
     * The whole secret {@code reference} names, read once per login ({@code read} holds what was read); forced: past
     * any cache the store keeps (asking for its current version first makes a store that holds a value, as Vault's
     * static roles, read it again).
     */
    private SecretValue whole(CredentialReference reference, Map<String, SecretValue> read, boolean force) {
        SecretId secret = reference.secret();
        String key = reference.store() + "::" + secret; // two stores may hold one path
        SecretValue value = read.get(key);
        if (value == null) {
            fetches.incrementAndGet();
            var store = stores.store(reference.store());
            if (force) {
                store.currentVersion(secret);
            }
            value = store.fetch(secret);
            read.put(key, value);
        }
        return value;
    }

    private static String field(CredentialReference reference, SecretValue value) {
        byte[] bytes = value.bytes();
        try {
            String field = reference.id().field();
            if (field == null) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
            if (!JsonLimits.shallow(bytes)) {
                throw new InvalidSecretValueException(reference.ref(null), "the secret nests too deep to be JSON");
            }
            JsonObject object;
            try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
                object = reader.readObject();
            } catch (JsonException | IllegalStateException e) {
                throw new InvalidSecretValueException(reference.ref(null), "the secret is not a JSON object");
            }
            JsonValue member = object.get(field);
            if (member instanceof JsonString text) {
                return text.getString();
            }
            if (member instanceof JsonNumber number) {
                return number.toString();
            }
            throw new InvalidSecretValueException(
                    reference.ref(null), member == null ? "the secret has no such field" : "the field is not text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** What the credentials are read from, for {@code toString()}s: the references, never a value. */
    String describe() {
        return "user=" + user + ", password=" + password.store() + "::" + password.id();
    }

    /** Closes the stores it opened (a Vault store revokes its leases unless its settings keep them). */
    @Override
    public void close() {
        stores.close();
    }
}
