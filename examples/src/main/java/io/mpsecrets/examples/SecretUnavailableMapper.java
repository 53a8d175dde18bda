package io.mpsecrets.examples;

import io.mpsecrets.api.exception.SecretException;
import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A secret that cannot be had (denied, store down, tampered value) is a 503 naming the property and the reason, as
 * mp-secrets' exceptions do: never a value, never a stack trace to the client.
 */
@Provider
public class SecretUnavailableMapper implements ExceptionMapper<SecretException> {

    @Override
    public Response toResponse(SecretException e) {
        var body = Json.createObjectBuilder()
                .add("error", "a secret the service needs is unavailable")
                .add("reason", e.reason().name());
        if (e.ref().property() != null) {
            body.add("property", e.ref().property());
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON)
                .entity(body.build().toString())
                .build();
    }
}
