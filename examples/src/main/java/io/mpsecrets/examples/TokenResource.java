package io.mpsecrets.examples;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/tokens} (form {@code subject}) issues a signed token; {@code GET /api/tokens/verify?token=} checks
 * one.
 */
@RequestScoped
@Path("/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    TokenSigner signer;

    @POST
    public Response issue(@FormParam("subject") String subject) {
        if (subject == null || subject.isBlank() || subject.contains("|")) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Json.createObjectBuilder()
                            .add("error", "a subject without '|' is required")
                            .build()
                            .toString())
                    .build();
        }
        return Response.ok(Json.createObjectBuilder()
                        .add("subject", subject)
                        .add("token", signer.sign(subject))
                        .build()
                        .toString())
                .build();
    }

    @GET
    @Path("/verify")
    public String verify(@QueryParam("token") String token) {
        var out = Json.createObjectBuilder();
        var subject = token == null ? java.util.Optional.<String>empty() : signer.verify(token);
        out.add("valid", subject.isPresent());
        subject.ifPresent(s -> out.add("subject", s));
        return out.build().toString();
    }
}
