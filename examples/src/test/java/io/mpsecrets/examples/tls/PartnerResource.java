package io.mpsecrets.examples.tls;

import io.mpsecrets.cdi.Tls;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/partner}: the orders application calls its partner over mutual TLS with the client certificate of
 * the TLS material {@code partner} (Vault PKI), a new connection each time, and answers with the serial the partner
 * saw and the serial the partner presented.
 */
@Path("partner")
@RequestScoped
public class PartnerResource {

    @Inject
    @Tls("partner")
    SSLContext tls;

    @Inject
    @ConfigProperty(name = "orders.partner.url")
    String url;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        try {
            HttpResponse<String> answer = HttpClient.newBuilder()
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            String server = ((X509Certificate) answer.sslSession().orElseThrow().getPeerCertificates()[0])
                    .getSerialNumber()
                    .toString(16);
            return Response.ok("{\"client\":\"" + answer.body().strip() + "\",\"server\":\"" + server + "\"}")
                    .build();
        } catch (Exception e) {
            return Response.status(503)
                    .entity("{\"error\":\"" + e.getClass().getName() + "\"}")
                    .build();
        }
    }
}
