package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.examples.tls.PartnerResource;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.pki.TestPki;
import io.mpsecrets.testkit.vault.MockPki;
import io.mpsecrets.vault.VaultSecretStoreFactory;
import jakarta.json.JsonObject;
import java.io.File;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders application on Open Liberty calls a partner over mutual TLS with a client certificate that the mock
 * Vault's PKI engine issues ({@code mpsecrets.tls.partner.vault-pki}), injected as {@code @Tls("partner")
 * SSLContext}: certificates of 3 s re-issued at two thirds of their lifetime reach new connections across two
 * rotations without a restart, no call failing. The partner is a JDK HTTPS server in this JVM on a loopback port
 * chosen at run time, requiring a client certificate from the mock's CA.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class VaultPkiTlsIT {

    private static final Partner PARTNER = Partner.start();

    @Deployment(testable = false)
    static WebArchive orders() {
        MpSecretsArquillian.server()
                .vault()
                .pki()
                .role(
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
        return AppServer.packagedWar(
                        "orders-tls",
                        Map.of(
                                "mpsecrets.app", "orders",
                                "mpsecrets.rotation.grace", "PT1S",
                                "mpsecrets.tls.partner.vault-pki", "pki/issue/orders",
                                "mpsecrets.tls.partner.common-name", "orders.orders.test",
                                "mpsecrets.tls.partner.ttl", "3s",
                                "orders.partner.url", "https://localhost:" + PARTNER.port() + "/"))
                .addClasses(PartnerResource.class)
                .addAsWebInfResource(
                        new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                                + " bean-discovery-mode=\"all\"/>\n"),
                        "beans.xml")
                .addAsLibraries(jarOf(VaultSecretStoreFactory.class));
    }

    @AfterAll
    static void stop() {
        PARTNER.close();
    }

    @Test
    void theClientCertificateFollowsTwoReissuesWithoutARestart(@ArquillianResource URL orders) throws Exception {
        Set<String> clientSerials = new LinkedHashSet<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        while (clientSerials.size() < 3) {
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("three client certificates within 20 s; saw " + clientSerials + ", failures " + failures)
                    .isLessThan(Duration.ofSeconds(20));
            AppServer.Answer answer = AppServer.get(orders, "api/partner");
            if (answer.status() != 200) {
                failures.add(answer.status() + " " + answer.body());
            } else {
                JsonObject body = AppServer.json(answer.body());
                clientSerials.add(body.getString("client"));
                assertThat(new BigInteger(body.getString("server"), 16)).isEqualTo(PARTNER.serial());
            }
            Thread.sleep(100);
        }
        assertThat(failures).as("failed calls").isEmpty();
        Set<BigInteger> issued =
                MpSecretsArquillian.server().vault().pki().issued().keySet();
        assertThat(clientSerials).allSatisfy(serial -> assertThat(issued).contains(new BigInteger(serial, 16)));

        AppServer.Answer status = AppServer.get(orders, "api/status");
        LeakGuard.check(status.body(), "the status endpoint");
        assertThat(status.body()).doesNotContain("PRIVATE KEY");
        List<JsonObject> events =
                AppServer.json(status.body()).getJsonArray("events").getValuesAs(JsonObject.class);
        assertThat(events)
                .filteredOn(event -> event.getString("event").equals("rotated")
                        && "mpsecrets.tls.partner".equals(event.getString("property", null)))
                .as("rotations of the TLS material")
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(event -> assertThat(event.getString("version")).startsWith("serial="));
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The partner: HTTPS on 127.0.0.1 with a certificate of the mock's CA, answering with the client's serial. */
    private static final class Partner implements AutoCloseable {
        final HttpsServer server;
        final BigInteger serial;

        private Partner(HttpsServer server, BigInteger serial) {
            this.server = server;
            this.serial = serial;
        }

        static Partner start() {
            try {
                TestPki ca = MpSecretsArquillian.server().vault().pki().ca();
                TestPki.Issued issued = ca.issue(
                        "localhost", List.of("localhost", "127.0.0.1"), Duration.ofHours(1), TestPki.KeyType.EC);
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry(
                        "partner", issued.key(), new char[0], new Certificate[] {issued.certificate(), issued.issuer()
                        });
                KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
                keyManagers.init(keys, new char[0]);
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("root", ca.root());
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
                trustManagers.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
                HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.setHttpsConfigurator(new HttpsConfigurator(context) {
                    @Override
                    public void configure(HttpsParameters params) {
                        SSLParameters parameters = context.getDefaultSSLParameters();
                        parameters.setNeedClientAuth(true);
                        params.setSSLParameters(parameters);
                    }
                });
                server.createContext("/", exchange -> {
                    byte[] body = ((java.security.cert.X509Certificate)
                                    ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                            .getSerialNumber()
                            .toString(16)
                            .getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
                return new Partner(server, issued.serial());
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the partner", e);
            }
        }

        int port() {
            return server.getAddress().getPort();
        }

        BigInteger serial() {
            return serial;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
