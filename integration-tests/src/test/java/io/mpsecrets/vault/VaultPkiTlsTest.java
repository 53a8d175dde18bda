package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testing.AuditRecorder;
import io.mpsecrets.testing.MpConfigs;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.vault.MockPki;
import io.mpsecrets.tls.MpSecretsTls;
import io.mpsecrets.tls.TlsMaterial;
import io.smallrye.config.SmallRyeConfig;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TLS material from Vault's PKI engine through the whole runtime: certificates issued by the mock Vault at start-up,
 * re-issued at two thirds of their lifetime by the Vault store, the change reaching the TLS material through the
 * cache's rotation, and a JDK HTTPS server and client with mutual TLS seeing the new serials without a restart.
 */
@WithMockServer
class VaultPkiTlsTest {

    private final MockServer server;
    private final MpConfigs configs = new MpConfigs();
    private final AuditRecorder audit = new AuditRecorder();
    private HttpsServer https;

    VaultPkiTlsTest(MockServer server) {
        this.server = server;
    }

    @AfterEach
    void stop() {
        if (https != null) {
            https.stop(0);
        }
        configs.close();
        audit.close();
    }

    @Test
    void certificatesReissuedAtTwoThirdsReachNewHandshakesOnBothSides() throws Exception {
        MockPki pki = server.vault().pki();
        pki.role(
                "orders",
                new MockPki.Role(
                        List.of("orders.test"),
                        true,
                        false,
                        true,
                        false,
                        true,
                        Duration.ofSeconds(3),
                        Duration.ofMinutes(5),
                        "ec"));
        Map<String, String> values = new HashMap<>();
        values.put("mpsecrets.vault.address", server.endpoint().toString());
        values.put("mpsecrets.vault.token", "root");
        values.put("mpsecrets.vault.pki-revoke-replaced", "true");
        values.put("mpsecrets.rotation.grace", "PT1S");
        values.put("mpsecrets.app", "orders");
        values.put("mpsecrets.tls.server.vault-pki", "pki/issue/orders");
        values.put("mpsecrets.tls.server.common-name", "localhost");
        values.put("mpsecrets.tls.server.ip-sans", "127.0.0.1");
        values.put("mpsecrets.tls.server.ttl", "3s");
        values.put("mpsecrets.tls.client.vault-pki", "pki/issue/orders");
        values.put("mpsecrets.tls.client.common-name", "client.orders.test");
        values.put("mpsecrets.tls.client.ttl", "3s");
        SmallRyeConfig config = configs.build(values);
        TlsMaterial serverMaterial = MpSecretsTls.material(config, "server");
        TlsMaterial clientMaterial = MpSecretsTls.material(config, "client");
        BigInteger firstServer = serverMaterial.certificate().orElseThrow().getSerialNumber();
        start(serverMaterial.sslContext());
        URI uri = URI.create("https://localhost:" + https.getAddress().getPort() + "/");

        Set<BigInteger> serverSerials = new TreeSet<>();
        Set<BigInteger> clientSerials = new TreeSet<>();
        int failures = 0;
        int requests = 0;
        // until both sides have been through two re-issues (each at about two seconds); a new client per request,
        // so each request is a new handshake
        while (serverSerials.size() < 3 || clientSerials.size() < 3) {
            try {
                HttpResponse<String> response = HttpClient.newBuilder()
                        .sslContext(clientMaterial.sslContext())
                        .build()
                        .send(
                                HttpRequest.newBuilder(uri)
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                requests++;
                serverSerials.add(
                        ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
                                .getSerialNumber());
                clientSerials.add(new BigInteger(response.body(), 16));
            } catch (Exception e) {
                failures++;
            }
            Thread.sleep(100);
        }
        assertThat(failures).isZero();
        assertThat(pki.issued().keySet()).containsAll(serverSerials).containsAll(clientSerials);
        assertThat(audit.awaitEvents("rotated", 4, Duration.ofSeconds(30)))
                .anySatisfy(line -> assertThat(line)
                        .contains("property=mpsecrets.tls.server")
                        .contains("serial="))
                .anySatisfy(line -> assertThat(line).contains("property=mpsecrets.tls.client"));
        // replaced certificates are revoked after the grace period (pki-revoke-replaced)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!pki.revoked(firstServer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(pki.revoked(firstServer)).isTrue();
        assertThat(String.join("\n", audit.lines())).doesNotContain("PRIVATE KEY");
        System.out.printf(
                "Vault PKI mTLS: %d requests, %d failed, %d server and %d client serials seen%n",
                requests, failures, serverSerials.size(), clientSerials.size());
    }

    private void start(SSLContext context) throws Exception {
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        https.createContext("/", exchange -> {
            byte[] body = ((X509Certificate)
                            ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSerialNumber()
                    .toString(16)
                    .getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
    }
}
