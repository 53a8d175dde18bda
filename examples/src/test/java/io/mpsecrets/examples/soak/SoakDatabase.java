package io.mpsecrets.examples.soak;

import io.mpsecrets.cdi.RotationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The soak's PostgreSQL as the application sees it, logged in with the user and password of one Vault lease: the bean
 * is {@code @RotationScoped}, so a new lease builds a new instance with both fields from it (reading them one by one
 * could pair a user with the next lease's password).
 */
@RotationScoped
public class SoakDatabase {

    @Inject
    @ConfigProperty(name = "soak.db.url")
    String url;

    @Inject
    @ConfigProperty(name = "soak.db.user")
    String user;

    @Inject
    @ConfigProperty(name = "soak.db.password")
    String password;

    /** Logs in, asks who we are and how many orders there are, logs out. */
    public String[] whoAndHowMany() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        // The driver directly: DriverManager does not see drivers in an application's WEB-INF/lib on every server.
        try (Connection connection = new org.postgresql.Driver().connect(url, login);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user, (SELECT count(*) FROM orders)")) {
            row.next();
            return new String[] {row.getString(1), Long.toString(row.getLong(2))};
        }
    }
}
