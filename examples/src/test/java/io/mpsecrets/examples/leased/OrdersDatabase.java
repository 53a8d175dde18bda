package io.mpsecrets.examples.leased;

import io.mpsecrets.cdi.RotationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The orders database as the application sees it, logged in with credentials Vault issues and mp-secrets renews. The
 * bean is {@code @RotationScoped}: when the credentials rotate (a new lease), the next call builds a new instance with
 * the new user and password, both from the same lease; the application writes no observer.
 */
@RotationScoped
public class OrdersDatabase {

    @Inject
    @ConfigProperty(name = "orders.db.url")
    String url;

    @Inject
    @ConfigProperty(name = "orders.db.user")
    String user;

    @Inject
    @ConfigProperty(name = "orders.db.password")
    String password;

    /** Who the database says we are, and how many orders it holds. */
    public String[] whoAndHowMany() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        // The driver directly: DriverManager does not see drivers in an application's WEB-INF/lib on every server.
        try (Connection connection = new org.h2.Driver().connect(url, login);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT CURRENT_USER, (SELECT COUNT(*) FROM orders)")) {
            row.next();
            return new String[] {row.getString(1), Integer.toString(row.getInt(2))};
        }
    }
}
