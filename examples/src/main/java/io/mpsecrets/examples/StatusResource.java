package io.mpsecrets.examples;

import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.config.SecretInventory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * {@code GET /api/status}: which secrets the application has (property, encrypted or store reference, key or
 * store, version, reads) and the audit events it observed. Names and versions only: there is no value to show.
 */
@RequestScoped
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    Config config;

    @Inject
    AuditTrail audit;

    @GET
    public String status() {
        JsonArrayBuilder secrets = Json.createArrayBuilder();
        for (SecretInventory.Entry entry : SecretInventory.of(config)) {
            JsonObjectBuilder secret =
                    Json.createObjectBuilder().add("property", entry.property()).add("kind", entry.kind());
            optional(secret, "backend", entry.backend());
            optional(secret, "secret", entry.secretId());
            optional(secret, "key", entry.keyId());
            optional(secret, "version", entry.version());
            secrets.add(secret.add("reads", entry.reads()));
        }
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (SecretEvent event : audit.recent()) {
            JsonObjectBuilder line = Json.createObjectBuilder();
            for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
                line.add(attribute.getKey(), attribute.getValue());
            }
            events.add(line);
        }
        return Json.createObjectBuilder()
                .add(
                        "application",
                        config.getOptionalValue("mpsecrets.app", String.class).orElse("default"))
                .add("secrets", secrets)
                .add("events", events)
                .build()
                .toString();
    }

    private static void optional(JsonObjectBuilder out, String name, String value) {
        if (value != null) {
            out.add(name, value);
        }
    }
}
