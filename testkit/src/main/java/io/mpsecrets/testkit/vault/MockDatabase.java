package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.MockVault.string;

import io.mpsecrets.testkit.vault.MockVault.VaultError;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Vault's database secrets engine at {@code database/} (or wherever it is mounted), over a real JDBC database (an H2 in
 * the test JVM, say): connections ({@code database/config/<name>}: {@code connection_url}, {@code username}, {@code
 * password}), roles ({@code database/roles/<name>}: {@code db_name}, {@code creation_statements}, {@code
 * revocation_statements}, {@code default_ttl}, {@code max_ttl}) and {@code database/creds/<role>}, which runs the
 * creation statements with {@code {{name}}} and {@code {{password}}} filled in and answers with a lease. {@code
 * sys/leases/renew} extends a lease by the increment asked, capped at the role's max TTL from its issue (with Vault's
 * warning); {@code sys/leases/revoke} and expiry run the revocation statements; {@code sys/leases/lookup} describes a
 * lease.
 *
 * <p>Static roles ({@code database/static-roles/<name>}: {@code db_name}, {@code username},
 * {@code rotation_statements}, {@code rotation_period}) own an existing user whose password Vault sets: at once when
 * the role is written, every rotation period, and on {@code database/rotate-role/<name>}. {@code
 * database/static-creds/<name>} answers without a lease, with {@code last_vault_rotation} and {@code ttl} (seconds to
 * the next rotation, counting down). Vault refuses rotation periods under 5 s; the mock takes 1 s and more, so that
 * tests run quickly. TTLs are whole seconds on the wire, as in Vault. The JDBC driver is the test's: the testkit
 * itself depends on none, so run on its own ({@code java -jar}) it has none, and the driver goes on the class path
 * beside it ({@code java -cp mpsecrets-testkit.jar:h2.jar io.mpsecrets.testkit.Main}); a connection whose driver is
 * missing is refused saying so, when it is written (as Vault verifies it) and when it is used. The statements run
 * from the testkit's JVM, so the {@code connection_url} must be reachable from there.
 */
public final class MockDatabase implements AutoCloseable {

    static final String MOUNT = "database";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern JDBC_SCHEME = Pattern.compile("jdbc:[A-Za-z0-9_.-]{1,32}:");

    /** A connection: a URL and the admin's login, or a data source the test gave (which logs in by itself). */
    record Database(String url, String username, String password, DataSource source) {
        Database(String url, String username, String password) {
            this(url, username, password, null);
        }

        Connection open() throws SQLException {
            return source != null ? source.getConnection() : DriverManager.getConnection(url, username, password);
        }

        @Override
        public String toString() {
            return "Database[" + (source != null ? "data source" : url) + "]";
        }
    }

    record Role(
            String name,
            String database,
            List<String> creation,
            List<String> revocation,
            List<String> renewal,
            Duration ttl,
            Duration maxTtl) {}

    /** Vault's PostgreSQL plugin's statements (its documentation's creation, renewal, revocation and rotation). */
    private static final String PG_CREATE =
            "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'";

    private static final String PG_RENEW = "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}'";
    private static final String PG_REVOKE_TABLES =
            "REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM \"{{name}}\"";
    private static final String PG_DROP = "DROP ROLE IF EXISTS \"{{name}}\"";
    private static final String PG_ROTATE = "ALTER ROLE \"{{name}}\" WITH PASSWORD '{{password}}'";
    /** How Vault writes {@code {{expiration}}}: Go's {@code 2006-01-02 15:04:05-0700}, in UTC. */
    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxx").withZone(ZoneOffset.UTC);

    /** An issued credential's lease; its expiry moves with renewals. */
    static final class Lease {
        final String id;
        final Role role;
        final String username;
        final Instant issued;
        final Instant maxExpiry;
        volatile Instant expires;
        volatile Instant lastRenewal;

        Lease(String id, Role role, String username, Instant issued) {
            this.id = id;
            this.role = role;
            this.username = username;
            this.issued = issued;
            this.maxExpiry = issued.plus(role.maxTtl());
            this.expires = issued.plus(role.ttl());
        }
    }

    record StaticRole(String name, String database, String username, List<String> rotation, Duration period) {}

    /** A static role's account: the password Vault set last, and when. */
    static final class StaticAccount {
        final StaticRole role;
        String password; // guarded by this
        Instant lastRotation; // guarded by this
        Instant nextRotation; // guarded by this
        long rotations; // guarded by this

        StaticAccount(StaticRole role) {
            this.role = role;
        }
    }

    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private final Map<String, StaticAccount> staticAccounts = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> renewed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> revoked = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> expired = new ConcurrentHashMap<>();
    private volatile String passwordPrefix = "A1a-";
    private ScheduledExecutorService expiry;

    /** Where it is mounted, without the trailing slash: lease ids begin with it. */
    private final String mount;

    /** The engine at {@code database/}. */
    public MockDatabase() {
        this(MOUNT);
    }

    MockDatabase(String mount) {
        this.mount = mount;
    }

    // ---- Java API for tests ----

    /** A connection, as {@code vault write database/config/<name> connection_url=... username=... password=...}. */
    public void connection(String name, String url, String username, String password) {
        databases.put(name, new Database(url, username, password));
    }

    /**
     * A connection through a data source the test gives, logged in as the database's admin (a real PostgreSQL's
     * superuser, say): the engine runs its statements through {@code admin.getConnection()}, so the testkit needs no
     * driver of its own and the admin's password never passes through the engine.
     */
    public void connection(String name, DataSource admin) {
        databases.put(name, new Database(null, null, null, admin));
    }

    /**
     * A role with Vault's PostgreSQL statements: {@code CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID
     * UNTIL '{{expiration}}'} and then {@code grants}; a renewal moves {@code VALID UNTIL}; a revocation revokes the
     * role's table privileges and drops it ({@code DROP ROLE IF EXISTS}). Real roles, which the database itself refuses
     * once their lease (and so their {@code VALID UNTIL}) is over.
     */
    public void postgresRole(String name, String connection, List<String> grants, Duration ttl, Duration maxTtl) {
        List<String> creation = new ArrayList<>();
        creation.add(PG_CREATE);
        creation.addAll(grants);
        role(new Role(name, connection, creation, List.of(PG_REVOKE_TABLES, PG_DROP), List.of(PG_RENEW), ttl, maxTtl));
    }

    /**
     * A static role over an existing PostgreSQL role, whose password Vault sets with {@code ALTER ROLE "{{name}}" WITH
     * PASSWORD '{{password}}'} now and every {@code rotationPeriod}.
     */
    public void postgresStaticRole(String name, String connection, String username, Duration rotationPeriod) {
        staticRole(name, connection, username, List.of(PG_ROTATE), rotationPeriod);
    }

    /**
     * A role, as {@code vault write database/roles/<name> db_name=... creation_statements=... default_ttl=...
     * max_ttl=...}; statements may use {@code {{name}}} and {@code {{password}}}.
     */
    public void role(
            String name,
            String connection,
            List<String> creation,
            List<String> revocation,
            Duration ttl,
            Duration maxTtl) {
        role(new Role(name, connection, List.copyOf(creation), List.copyOf(revocation), List.of(), ttl, maxTtl));
    }

    private synchronized void role(Role role) {
        roles.put(role.name(), role);
        startTimer();
    }

    /**
     * A static role, as {@code vault write database/static-roles/<name> db_name=... username=...
     * rotation_statements=... rotation_period=...}: Vault sets the user's password now (statements may use
     * {@code {{name}}} and {@code {{password}}}) and again every {@code rotationPeriod}.
     *
     * @throws IllegalStateException when the database refuses the rotation statements
     */
    public void staticRole(
            String name, String connection, String username, List<String> rotation, Duration rotationPeriod) {
        try {
            staticRole(new StaticRole(name, connection, username, List.copyOf(rotation), rotationPeriod));
        } catch (VaultError e) {
            throw new IllegalStateException("the database refused to set the password: " + e.getMessage());
        }
    }

    private void staticRole(StaticRole role) throws VaultError {
        if (role.period().compareTo(Duration.ofSeconds(1)) < 0) {
            throw new VaultError(400, "rotation_period must be 1 second or more (Vault: 5 seconds)");
        }
        StaticAccount account = new StaticAccount(role);
        rotate(account);
        staticAccounts.put(role.name(), account);
        synchronized (this) {
            startTimer();
        }
    }

    /**
     * As {@code vault write -f database/rotate-role/<name>}: a new password now, and the next rotation one period
     * from now.
     *
     * @throws IllegalArgumentException when there is no such static role
     */
    public void rotateRole(String name) {
        StaticAccount account = staticAccounts.get(name);
        if (account == null) {
            throw new IllegalArgumentException("no static role " + name);
        }
        try {
            rotate(account);
        } catch (VaultError e) {
            throw new IllegalStateException("the database refused to set the password: " + e.getMessage());
        }
    }

    /** Passwords Vault set for a static role so far (the first, when the role was written, included). */
    public long rotations(String name) {
        StaticAccount account = staticAccounts.get(name);
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return account.rotations;
        }
    }

    private void rotate(StaticAccount account) throws VaultError {
        synchronized (account) {
            String password = passwordPrefix + random(20);
            run(account.role.database(), account.role.rotation(), account.role.username(), password);
            Instant now = Instant.now();
            account.password = password;
            account.lastRotation = now;
            account.nextRotation = now.plus(account.role.period());
            account.rotations++;
        }
    }

    /** The timer that expires leases and rotates static roles, started with the first role; the caller holds this. */
    private void startTimer() {
        if (expiry == null) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "mock-vault-lease-expiry");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(this::expireDue, 50, 50, TimeUnit.MILLISECONDS);
            expiry = timer;
        }
    }

    /** Generated passwords start with this (a leak guard's canary, say); {@code A1a-} by default. */
    public void passwordPrefix(String prefix) {
        this.passwordPrefix = prefix;
    }

    /** The lease ids in force for a role, oldest first. */
    public List<String> leases(String role) {
        return leases.values().stream()
                .filter(l -> l.role.name().equals(role))
                .sorted(java.util.Comparator.comparing((Lease l) -> l.issued))
                .map(l -> l.id)
                .toList();
    }

    /** The database user a lease created; null once it was revoked or expired. */
    public String username(String leaseId) {
        Lease lease = leases.get(leaseId);
        return lease == null ? null : lease.username;
    }

    /** Credentials a role issued so far. */
    public long issued(String role) {
        return count(issued, role).get();
    }

    /** Renewals of a role's leases so far. */
    public long renewed(String role) {
        return count(renewed, role).get();
    }

    /**
     * Leases of a role revoked before their end (by a client's {@code sys/leases/revoke} or {@link #revoke}) so far:
     * with {@link #expired} and the live {@link #leases}, every lease {@link #issued} is accounted for.
     */
    public long revoked(String role) {
        return count(revoked, role).get();
    }

    /** Leases of a role that reached their end unrevoked, whose users the engine dropped, so far. */
    public long expired(String role) {
        return count(expired, role).get();
    }

    private static AtomicLong count(Map<String, AtomicLong> counts, String role) {
        return counts.computeIfAbsent(role, r -> new AtomicLong());
    }

    /** As an operator's {@code vault lease revoke}: the user is dropped now; false when there was no such lease. */
    public boolean revoke(String leaseId) {
        try {
            return drop(leaseId, revoked);
        } catch (VaultError e) {
            throw new IllegalStateException("the database refused to drop the user: " + e.getMessage());
        }
    }

    private boolean drop(String leaseId, Map<String, AtomicLong> outcome) throws VaultError {
        Lease lease = leases.remove(leaseId);
        if (lease == null) {
            return false;
        }
        run(lease.role.database(), lease.role.revocation(), lease.username, null);
        count(outcome, lease.role.name()).incrementAndGet();
        return true;
    }

    // ---- HTTP ----

    /** {@code database/...} below the mount, already authorised. */
    JsonObject route(String path, String method, JsonObject body) throws VaultError {
        if (path.startsWith("creds/") && method.equals("GET")) {
            return issue(path.substring("creds/".length()));
        }
        if (path.startsWith("static-creds/") && method.equals("GET")) {
            return staticCreds(path.substring("static-creds/".length()));
        }
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new VaultError(405, "unsupported operation");
        }
        if (path.startsWith("config/")) {
            String url = required(body, "connection_url");
            if (body.get("verify_connection") != JsonValue.FALSE) {
                try {
                    driverFor(url);
                } catch (VaultError e) {
                    // Vault verifies a connection when it is written, unless told not to
                    throw new VaultError(400, "error creating database object: " + e.getMessage());
                }
            }
            connection(path.substring("config/".length()), url, required(body, "username"), required(body, "password"));
            return null;
        }
        if (path.startsWith("static-roles/")) {
            String database = required(body, "db_name");
            if (!databases.containsKey(database)) {
                throw new VaultError(400, "no connection named \"" + database + "\"");
            }
            staticRole(new StaticRole(
                    path.substring("static-roles/".length()),
                    database,
                    required(body, "username"),
                    statements(body, "rotation_statements"),
                    duration(body.get("rotation_period"), Duration.ofHours(24))));
            return null;
        }
        if (path.startsWith("rotate-role/")) {
            StaticAccount account = staticAccounts.get(path.substring("rotate-role/".length()));
            if (account == null) {
                throw new VaultError(400, "unable to find role");
            }
            rotate(account);
            return null;
        }
        if (path.startsWith("roles/")) {
            String name = path.substring("roles/".length());
            String database = required(body, "db_name");
            if (!databases.containsKey(database)) {
                throw new VaultError(400, "no connection named \"" + database + "\"");
            }
            role(new Role(
                    name,
                    database,
                    statements(body, "creation_statements"),
                    statements(body, "revocation_statements"),
                    statements(body, "renew_statements"),
                    duration(body.get("default_ttl"), Duration.ofHours(1)),
                    duration(body.get("max_ttl"), Duration.ofHours(24))));
            return null;
        }
        throw new VaultError(404, "no handler for route \"" + mount + "/" + path + "\". route entry not found.");
    }

    /** {@code sys/leases/<operation>} with {@code lease_id} in the body. */
    JsonObject leases(String operation, JsonObject body) throws VaultError {
        String id = string(body, "lease_id");
        Lease lease = id == null ? null : leases.get(id);
        Instant now = Instant.now();
        if (lease != null && !now.isBefore(lease.expires)) {
            expire(lease);
            lease = null;
        }
        switch (operation) {
            case "renew": {
                if (lease == null) {
                    throw new VaultError(400, "lease not found or lease is not renewable");
                }
                long increment = body.get("increment") instanceof JsonNumber n
                        ? n.longValue()
                        : lease.role.ttl().toSeconds();
                long capSeconds = Duration.between(now, lease.maxExpiry).toMillis() / 1000;
                long granted = Math.max(0, Math.min(increment, capSeconds));
                if (!lease.role.renewal().isEmpty()) {
                    run(lease.role.database(), lease.role.renewal(), lease.username, null, now.plusSeconds(granted));
                }
                lease.expires = now.plusSeconds(granted);
                lease.lastRenewal = now;
                count(renewed, lease.role.name()).incrementAndGet();
                var answer = Json.createObjectBuilder()
                        .add("request_id", UUID.randomUUID().toString())
                        .add("lease_id", lease.id)
                        .add("renewable", true)
                        .add("lease_duration", granted);
                if (granted < increment) {
                    answer.add(
                            "warnings",
                            Json.createArrayBuilder()
                                    .add("TTL of \"" + increment + "s\" exceeded the effective max_ttl of \"" + granted
                                            + "s\"; TTL value is capped accordingly"));
                } else {
                    answer.add("warnings", JsonValue.NULL);
                }
                return answer.build();
            }
            case "revoke":
                if (lease != null) {
                    drop(lease.id, revoked);
                }
                return null;
            case "lookup":
                if (lease == null) {
                    throw new VaultError(400, "invalid lease");
                }
                return MockVault.envelope(Json.createObjectBuilder()
                        .add("id", lease.id)
                        .add("issue_time", lease.issued.toString())
                        .add("expire_time", lease.expires.toString())
                        .add(
                                "last_renewal",
                                lease.lastRenewal == null
                                        ? JsonValue.NULL
                                        : Json.createValue(lease.lastRenewal.toString()))
                        .add("renewable", true)
                        .add(
                                "ttl",
                                Math.max(0, Duration.between(now, lease.expires).toSeconds()))
                        .build());
            default:
                throw new VaultError(404, "no handler for route \"sys/leases/" + operation + "\"");
        }
    }

    private JsonObject issue(String roleName) throws VaultError {
        Role role = roles.get(roleName);
        if (role == null) {
            throw new VaultError(400, "unknown role: " + roleName);
        }
        String username =
                "V_" + roleName.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_" + random(10);
        String password = passwordPrefix + random(20);
        Instant issuedAt = Instant.now();
        run(role.database(), role.creation(), username, password, issuedAt.plus(role.ttl()));
        String id = mount + "/creds/" + roleName + "/" + random(24);
        Lease lease = new Lease(id, role, username, issuedAt);
        leases.put(id, lease);
        count(issued, roleName).incrementAndGet();
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", id)
                .add("renewable", true)
                .add("lease_duration", role.ttl().toSeconds())
                .add(
                        "data",
                        Json.createObjectBuilder().add("username", username).add("password", password))
                .add("wrap_info", JsonValue.NULL)
                .add("warnings", JsonValue.NULL)
                .add("auth", JsonValue.NULL)
                .build();
    }

    /**
     * {@code database/static-creds/<name>}: no lease; the password Vault set last, {@code last_vault_rotation} as Go
     * writes a time (RFC 3339 with nanoseconds, in the server's zone) and {@code ttl}, the seconds to the next
     * rotation, rounded and never below 0.
     */
    private JsonObject staticCreds(String name) throws VaultError {
        StaticAccount account = staticAccounts.get(name);
        if (account == null) {
            throw new VaultError(400, "unknown role: " + name);
        }
        JsonObjectBuilder data = Json.createObjectBuilder();
        synchronized (account) {
            long ttlMillis =
                    Duration.between(Instant.now(), account.nextRotation).toMillis();
            data.add(
                            "last_vault_rotation",
                            OffsetDateTime.ofInstant(account.lastRotation, ZoneId.systemDefault())
                                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .add("password", account.password)
                    .add("rotation_period", account.role.period().toSeconds())
                    .add("ttl", Math.max(0, (ttlMillis + 500) / 1000))
                    .add("username", account.role.username());
        }
        return MockVault.envelope(data.build());
    }

    /**
     * Vault's expiration manager and rotation queue: a lease past its expiry is revoked, a static role whose rotation
     * is due gets a new password (one the database refuses is tried again a second later).
     */
    void expireDue() {
        Instant now = Instant.now();
        for (Lease lease : List.copyOf(leases.values())) {
            if (!now.isBefore(lease.expires)) {
                expire(lease);
            }
        }
        for (StaticAccount account : List.copyOf(staticAccounts.values())) {
            synchronized (account) {
                if (now.isBefore(account.nextRotation)) {
                    continue;
                }
                try {
                    rotate(account);
                } catch (VaultError e) {
                    account.nextRotation = now.plusSeconds(1);
                }
            }
        }
    }

    private void expire(Lease lease) {
        try {
            drop(lease.id, expired);
        } catch (VaultError e) {
            // the database refused: Vault retries revocations; the next sweep tries again
            leases.putIfAbsent(lease.id, lease);
        }
    }

    private void run(String databaseName, List<String> statements, String username, String password) throws VaultError {
        run(databaseName, statements, username, password, null);
    }

    /** Runs {@code statements} with {@code {{name}}}, {@code {{password}}} and {@code {{expiration}}} filled in. */
    private void run(String databaseName, List<String> statements, String username, String password, Instant expires)
            throws VaultError {
        Database database = databases.get(databaseName);
        if (database == null) {
            throw new VaultError(500, "no connection named \"" + databaseName + "\"");
        }
        if (database.source() == null) {
            driverFor(database.url());
        }
        try (Connection connection = database.open();
                Statement statement = connection.createStatement()) {
            for (String template : statements) {
                statement.execute(template.replace("{{name}}", username)
                        .replace("{{username}}", username)
                        .replace("{{password}}", password == null ? "" : password)
                        .replace("{{expiration}}", expires == null ? "infinity" : expiration(expires)));
            }
        } catch (SQLException e) {
            // Vault reports the plugin's error; the SQL state is enough here and quotes no statement.
            throw new VaultError(500, "database error: SQL state " + e.getSQLState());
        }
    }

    /**
     * Refuses a URL no JDBC driver on the class path takes, saying so: from {@code java -jar} the testkit has none
     * (DriverManager's own answer is SQL state 08001, "no suitable driver"). Names only the URL's scheme: the rest may
     * hold a password.
     */
    private static void driverFor(String url) throws VaultError {
        Matcher jdbc = JDBC_SCHEME.matcher(url);
        if (!jdbc.lookingAt()) {
            throw new VaultError(
                    500,
                    "connection_url must be a JDBC URL (jdbc:...): the mock Vault runs the statements over JDBC,"
                            + " not through Vault's database plugins");
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new VaultError(
                    500,
                    "no JDBC driver for " + jdbc.group() + "...; put it on the class path beside the testkit: java -cp"
                            + " mpsecrets-testkit.jar" + java.io.File.pathSeparator
                            + "<driver>.jar io.mpsecrets.testkit.Main ... (the connection_url must be reachable from"
                            + " the testkit)");
        }
    }

    /**
     * {@code {{expiration}}} as Vault writes it, but rounded up to the second: Vault truncates, so a role's
     * {@code VALID UNTIL} may end up to a second before its lease, which leases of a few seconds (the tests') feel.
     */
    private static String expiration(Instant expires) {
        Instant up = expires.getNano() == 0
                ? expires
                : expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        return EXPIRATION.format(up);
    }

    /** Drops the users of every lease now (the engine is being disabled, as Vault revokes a mount's leases). */
    void revokeAll() {
        for (String id : List.copyOf(leases.keySet())) {
            try {
                drop(id, revoked);
            } catch (VaultError e) {
                // the database refused; the mount goes all the same
            }
        }
    }

    /** Whether a lease id is one of this engine's. */
    boolean owns(String leaseId) {
        return leaseId != null && leaseId.startsWith(mount + "/");
    }

    /** {@code sys/leases/<operation>} for a lease no database engine issued: Vault's answers for an unknown lease. */
    static JsonObject unknownLease(String operation) throws VaultError {
        switch (operation) {
            case "renew":
                throw new VaultError(400, "lease not found or lease is not renewable");
            case "revoke":
                return null;
            case "lookup":
                throw new VaultError(400, "invalid lease");
            default:
                throw new VaultError(404, "no handler for route \"sys/leases/" + operation + "\"");
        }
    }

    private static List<String> statements(JsonObject body, String member) throws VaultError {
        JsonValue value = body.get(member);
        List<String> out = new ArrayList<>();
        if (value instanceof JsonString text) {
            for (String one : text.getString().split(";")) {
                if (!one.isBlank()) {
                    out.add(one.trim());
                }
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue one : array) {
                if (one instanceof JsonString text) {
                    out.add(text.getString());
                }
            }
        }
        if (out.isEmpty() && (member.startsWith("creation") || member.startsWith("rotation"))) {
            throw new VaultError(400, member + " are required");
        }
        return out;
    }

    /** A TTL as Vault takes it: whole seconds, or a Go duration such as {@code 90s}, {@code 5m}, {@code 1h}. */
    static Duration duration(JsonValue value, Duration fallback) throws VaultError {
        if (value == null || value == JsonValue.NULL) {
            return fallback;
        }
        if (value instanceof JsonNumber number) {
            return Duration.ofSeconds(number.longValue());
        }
        if (value instanceof JsonString text) {
            String s = text.getString().trim();
            if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                return Duration.ofSeconds(Long.parseLong(s));
            }
            Matcher m = GO_DURATION.matcher(s);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        });
                end = m.end();
            }
            if (end == s.length() && end > 0) {
                return total;
            }
        }
        throw new VaultError(400, "invalid duration");
    }

    private static String required(JsonObject body, String member) throws VaultError {
        String value = string(body, member);
        if (value == null || value.isEmpty()) {
            throw new VaultError(400, member + " is required");
        }
        return value;
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        if (expiry != null) {
            expiry.shutdownNow();
            expiry = null;
        }
    }
}
