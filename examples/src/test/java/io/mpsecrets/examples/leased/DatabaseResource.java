package io.mpsecrets.examples.leased;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/** {@code GET /api/db}: the database user the application is logged in as, and the orders it sees. */
@Path("db")
@RequestScoped
public class DatabaseResource {

    @Inject
    OrdersDatabase database;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        try {
            String[] answer = database.whoAndHowMany();
            return Response.ok("{\"user\":\"" + answer[0] + "\",\"orders\":" + answer[1] + "}")
                    .build();
        } catch (SQLException e) {
            // The SQL state only: a driver's message may quote what it was given.
            return Response.status(503)
                    .entity("{\"error\":\"database refused: SQL state " + e.getSQLState() + "\"}")
                    .build();
        }
    }
}
