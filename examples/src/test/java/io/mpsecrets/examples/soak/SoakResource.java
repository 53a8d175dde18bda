package io.mpsecrets.examples.soak;

import io.mpsecrets.api.exception.SecretException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The soak deployment's endpoints (test code, in no other deployment). {@code GET /api/soak} reads one secret of each
 * store and answers with a fingerprint of each value (the first 8 bytes of its SHA-256, which the soak compares with
 * the values it wrote: a value served that was never current is a failure) or the reason it could not be had; with
 * {@code ?db=true} it also logs in to PostgreSQL with the leased credentials. {@code GET /api/soak/vitals} runs a
 * full GC and reports the server JVM's heap, live threads and open file descriptors (and how many are sockets).
 */
@Path("soak")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SoakResource {

    /** One property per store and KMS (the soak's deployment config names each). */
    public static final List<String> PROPERTIES =
            List.of("soak.sm", "soak.ssm", "soak.kv", "soak.file", "soak.enc-local", "soak.enc-aws");

    @Inject
    Config config;

    @Inject
    SoakDatabase database;

    @GET
    public Response read(@QueryParam("db") boolean db) {
        JsonObjectBuilder values = Json.createObjectBuilder();
        JsonObjectBuilder failed = Json.createObjectBuilder();
        boolean ok = true;
        for (String property : PROPERTIES) {
            try {
                values.add(property, fingerprint(config.getValue(property, String.class)));
            } catch (RuntimeException e) {
                failed.add(property, cause(e));
                ok = false;
            }
        }
        if (db) {
            try {
                String[] answer = database.whoAndHowMany();
                values.add("soak.db", answer[0]);
                values.add("soak.db.orders", answer[1]);
            } catch (SQLException e) {
                // The SQL state only: a driver's message may quote what it was given.
                failed.add("soak.db", "SQL-" + e.getSQLState());
                ok = false;
            } catch (RuntimeException e) {
                failed.add("soak.db", cause(e));
                ok = false;
            }
        }
        return Response.status(ok ? 200 : 503)
                .entity(Json.createObjectBuilder()
                        .add("values", values)
                        .add("failed", failed)
                        .build()
                        .toString())
                .build();
    }

    @GET
    @Path("vitals")
    public String vitals() throws IOException {
        // Twice: the first may leave objects with finalizers or weak references for the second.
        System.gc();
        System.gc();
        long fds = 0;
        long sockets = 0;
        try (var list = Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            for (java.nio.file.Path fd : list.toList()) {
                fds++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException closed) {
                    // closed since it was listed (the listing's own descriptor, say)
                }
            }
        }
        return Json.createObjectBuilder()
                .add(
                        "heap",
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed())
                .add("threads", ManagementFactory.getThreadMXBean().getThreadCount())
                .add("fds", fds)
                .add("sockets", sockets)
                .build()
                .toString();
    }

    /** The failure's reason: mp-secrets' own, wherever the config implementation wrapped it; else the class. */
    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SecretException secret) {
                return secret.reason().name();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The first 8 bytes of the value's SHA-256, hex: enough to tell versions apart, nothing to recover. */
    public static String fingerprint(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
