package io.mpsecrets.examples.serverds;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * {@code GET /api/orders-db}: one query through the datasource the server defines ({@code jdbc/orders}), answering the
 * database user the pooled connection is logged in as and the orders it sees. The application knows nothing of how
 * the server logs in: no mp-secrets class, no credential, no setting.
 */
@Path("orders-db")
@RequestScoped
public class OrdersQueryResource {

    @Resource(lookup = "jdbc/orders")
    DataSource orders;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        try (Connection connection = orders.getConnection()) {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT current_user, (SELECT count(*) FROM orders)")) {
                row.next();
                return Response.ok("{\"user\":\"" + row.getString(1) + "\",\"orders\":" + row.getInt(2) + "}")
                        .build();
            } catch (SQLException e) {
                // A query refused on a connection that is logged in: who it is logged in as tells why.
                return refused(e, whoAmI(connection));
            }
        } catch (SQLException e) {
            return refused(e, null);
        }
    }

    private static String whoAmI(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_user")) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The exception's type and SQL state only: a driver's message may quote what it was given. */
    private static Response refused(SQLException e, String user) {
        return Response.status(503)
                .entity("{\"error\":\"" + e.getClass().getSimpleName() + ", SQL state " + e.getSQLState() + "\""
                        + (user == null ? "" : ",\"user\":\"" + user + "\"") + "}")
                .build();
    }
}
