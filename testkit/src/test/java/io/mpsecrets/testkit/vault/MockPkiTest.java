package io.mpsecrets.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/**
 * The mock Vault's PKI engine over HTTP, its certificates proven by what uses them: a TLS handshake with mutual
 * authentication between two certificates it issued, PKIX validation to its root, and a revocation the CRL carries.
 */
@WithMockServer
class MockPkiTest {

    private final MockServer server;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    MockPkiTest(MockServer server) {
        this.server = server;
    }

    private record Answer(int status, JsonObject json) {}

    private Answer call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/" + path))
                        .header("X-Vault-Token", "root")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body().isEmpty()
                        ? null
                        : Json.createReader(new StringReader(response.body())).readObject());
    }

    private JsonObject issue(String role, String body) throws Exception {
        Answer answer = call("POST", "pki/issue/" + role, body);
        assertEquals(200, answer.status(), String.valueOf(answer.json()));
        return answer.json();
    }

    @Test
    void issuesCertificatesThatShakeHandsBuildToTheRootAndAreRevokedInTheCrl() throws Exception {
        int before = server.vault().pki().issuedCount();
        assertEquals(
                204,
                call(
                                "POST",
                                "pki/roles/orders",
                                "{\"allowed_domains\":\"orders.test\",\"allow_subdomains\":true,"
                                        + "\"allow_localhost\":true,\"max_ttl\":\"1h\",\"ttl\":\"10m\"}")
                        .status());
        JsonObject serverAnswer =
                issue("orders", "{\"common_name\":\"localhost\",\"ip_sans\":\"127.0.0.1\",\"ttl\":\"5m\"}");
        assertThat(serverAnswer.getString("lease_id")).isEmpty();
        JsonObject serverData = serverAnswer.getJsonObject("data");
        assertThat(serverData.getString("private_key")).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(serverData.getString("private_key_type")).isEqualTo("ec");
        assertThat(serverData.getJsonArray("ca_chain")).hasSize(2);
        JsonObject clientData = issue(
                        "orders",
                        "{\"common_name\":\"api.orders.test\",\"alt_names\":\"web.orders.test\","
                                + "\"private_key_format\":\"pkcs8\"}")
                .getJsonObject("data");
        assertThat(clientData.getString("private_key")).startsWith("-----BEGIN PRIVATE KEY-----");

        X509Certificate serverCertificate = certificate(serverData.getString("certificate"));
        assertThat(serverCertificate.getNotAfter().toInstant())
                .isBefore(Instant.now().plus(Duration.ofMinutes(6)))
                .isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(new BigInteger(serverData.getString("serial_number").replace(":", ""), 16))
                .isEqualTo(serverCertificate.getSerialNumber());
        assertThat(serverData.getJsonNumber("expiration").longValue())
                .isEqualTo(serverCertificate.getNotAfter().toInstant().getEpochSecond());
        X509Certificate root = certificate(serverData.getJsonArray("ca_chain").getString(1));
        String clientSerialSeen = mutualTlsHandshake(serverData, clientData, root);
        assertThat(new BigInteger(clientSerialSeen, 16))
                .isEqualTo(certificate(clientData.getString("certificate")).getSerialNumber());

        // valid to the root before revocation, refused with the CRL after it
        X509Certificate issuing = certificate(serverData.getString("issuing_ca"));
        validate(serverCertificate, issuing, root, crl());
        assertEquals(
                200,
                call("POST", "pki/revoke", "{\"serial_number\":\"" + serverData.getString("serial_number") + "\"}")
                        .status());
        X509CRL crl = crl();
        assertThat(crl.isRevoked(serverCertificate)).isTrue();
        assertThat(crl.isRevoked(certificate(clientData.getString("certificate"))))
                .isFalse();
        assertThatThrownBy(() -> validate(serverCertificate, issuing, root, crl))
                .isInstanceOf(CertPathValidatorException.class)
                .hasMessageContaining("revoked");
        assertThat(server.vault().pki().issuedCount()).isEqualTo(before + 2);
    }

    @Test
    void refusesNamesTheRoleDoesNotAllowAndCutsTtlsToTheMax() throws Exception {
        call(
                "POST",
                "pki/roles/narrow",
                "{\"allowed_domains\":[\"orders.test\"],\"allow_subdomains\":true,"
                        + "\"allow_localhost\":false,\"allow_ip_sans\":false,\"max_ttl\":\"60s\"}");
        Answer outside = call("POST", "pki/issue/narrow", "{\"common_name\":\"evil.example\"}");
        assertEquals(400, outside.status());
        assertThat(outside.json().getJsonArray("errors").getString(0)).contains("not allowed by this role");
        assertEquals(
                400,
                call("POST", "pki/issue/narrow", "{\"common_name\":\"localhost\"}")
                        .status());
        assertEquals(
                400,
                call("POST", "pki/issue/narrow", "{\"common_name\":\"a.orders.test\",\"ip_sans\":\"127.0.0.1\"}")
                        .status());
        assertEquals(
                400,
                call("POST", "pki/issue/nobody", "{\"common_name\":\"a.orders.test\"}")
                        .status());
        JsonObject cut = issue("narrow", "{\"common_name\":\"a.orders.test\",\"ttl\":\"2h\"}");
        assertThat(cut.getJsonArray("warnings").getString(0)).contains("maxTTL is being used");
        assertThat(certificate(cut.getJsonObject("data").getString("certificate"))
                        .getNotAfter()
                        .toInstant())
                .isBefore(Instant.now().plusSeconds(61));
        assertEquals(200, call("GET", "pki/roles/narrow", null).status());
        assertEquals(403, callWithoutToken("pki/issue/narrow").status());
    }

    private Answer callWithoutToken(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/" + path))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"common_name\":\"a.orders.test\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), null);
    }

    private X509CRL crl() throws Exception {
        Answer answer = call("GET", "pki/cert/crl", null);
        return (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(answer.json()
                        .getJsonObject("data")
                        .getString("certificate")
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    /** PKIX to the root, and the intermediate's CRL, checked with its key, does not list the leaf. */
    private static void validate(X509Certificate leaf, X509Certificate issuing, X509Certificate root, X509CRL crl)
            throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, issuing)), parameters);
        crl.verify(issuing.getPublicKey());
        if (crl.isRevoked(leaf)) {
            throw new CertPathValidatorException("the certificate is revoked");
        }
    }

    /** A JDK HTTPS server on the first certificate asking for a client one, and a JDK client on the second. */
    private static String mutualTlsHandshake(JsonObject serverData, JsonObject clientData, X509Certificate root)
            throws Exception {
        SSLContext serverContext = context(serverData, root);
        SSLContext clientContext = context(clientData, root);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try {
            https.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = serverContext.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            https.createContext("/", exchange -> {
                byte[] body = ((X509Certificate)
                                ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSerialNumber()
                        .toString(16)
                        .getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            https.start();
            HttpResponse<String> response = HttpClient.newBuilder()
                    .sslContext(clientContext)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://localhost:"
                                            + https.getAddress().getPort() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            return response.body();
        } finally {
            https.stop(0);
        }
    }

    private static SSLContext context(JsonObject data, X509Certificate root) throws Exception {
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(data.getString("private_key")))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = parsed instanceof PEMKeyPair pair
                    ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) parsed);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", key, new char[0], new Certificate[] {
            certificate(data.getString("certificate")), certificate(data.getString("issuing_ca"))
        });
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
