package io.mpsecrets.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.pki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by a CI failure of {@link MutualTlsRotationTest}: after a rotation, a new connection resumed a TLS 1.3 session
 * of the replaced certificate. Emptying the session caches at the swap did not reach the tickets clients hold (the
 * JDK's server keeps no state for them: a client that had connected once resumed with the old server certificate
 * every time, until the ticket's day ran out), nor a session a handshake under way cached just after. A material's
 * context now makes each connection with a JDK context of the generation in service.
 */
class SessionResumptionTest {

    @TempDir
    Path dir;

    private TlsFixture fixture;
    private TlsMaterial server;
    private TlsMaterial client;
    private URI uri;

    @BeforeEach
    void start() {
        fixture = new TlsFixture(dir);
        writeServer(fixture.issue("server"));
        writeClient(fixture.issue("client"));
        fixture.write("ca.pem", fixture.pki.rootPem());
        var config = fixture.config(Map.ofEntries(
                Map.entry("mpsecrets.app", "orders"),
                Map.entry("mpsecrets.tls.server.key", dir.resolve("server.key").toString()),
                Map.entry(
                        "mpsecrets.tls.server.certificate",
                        dir.resolve("server.crt").toString()),
                Map.entry("mpsecrets.tls.server.trust", dir.resolve("ca.pem").toString()),
                Map.entry("mpsecrets.tls.client.key", dir.resolve("client.pem").toString()),
                Map.entry("mpsecrets.tls.client.trust", dir.resolve("ca.pem").toString())));
        server = MpSecretsTls.material(config, "server");
        client = MpSecretsTls.material(config, "client");
        HttpsServer https = fixture.server(server.sslContext());
        uri = URI.create("https://localhost:" + https.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void writeServer(TestPki.Issued issued) {
        fixture.write("server.key", issued.keyPem());
        fixture.write("server.crt", issued.certificatePem());
    }

    private void writeClient(TestPki.Issued issued) {
        fixture.write("client.pem", issued.keyPem() + issued.certificatePem());
    }

    /** A new server certificate, read in: its serial. */
    private BigInteger rotateServer() {
        TestPki.Issued next = fixture.issue("server");
        writeServer(next);
        assertThat(server.refresh()).as("the server's material swapped").isTrue();
        return next.serial();
    }

    /** A new client certificate, read in: its serial. */
    private BigInteger rotateClient() {
        TestPki.Issued next = fixture.issue("client");
        writeClient(next);
        assertThat(client.refresh()).as("the client's material swapped").isTrue();
        return next.serial();
    }

    /** One request on a new client (a new connection): the serials of the server's and the client's certificates. */
    private BigInteger[] connect() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().sslContext(client.sslContext()).build();
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        X509Certificate seen =
                (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return new BigInteger[] {seen.getSerialNumber(), new BigInteger(response.body(), 16)};
    }

    private static BigInteger serial(TlsMaterial material) {
        return material.certificate().orElseThrow().getSerialNumber();
    }

    @Test
    void aClientThatConnectedBeforeAServerRotationSeesTheNewServerCertificate() throws Exception {
        BigInteger first = serial(server);
        assertThat(connect()[0]).isEqualTo(first);
        assertThat(connect()[0]).as("resumed: the same certificate").isEqualTo(first);

        BigInteger next = rotateServer();

        assertThat(connect()[0]).as("a new connection after the rotation").isEqualTo(next);
    }

    @Test
    void aServerSeesTheNewClientCertificateOnTheClientsFirstConnectionAfterItsRotation() throws Exception {
        assertThat(connect()[1]).isEqualTo(serial(client));
        connect(); // a ticket of the first certificate in the client's cache

        BigInteger next = rotateClient();

        assertThat(connect()[1]).as("a new connection after the rotation").isEqualTo(next);
    }

    @Test
    void aSocketFactoryTakenBeforeARotationConnectsWithTheCertificateInService() throws Exception {
        SSLSocketFactory sockets = client.sslContext().getSocketFactory();
        BigInteger before = request(sockets);
        assertThat(before).isEqualTo(serial(client));

        BigInteger next = rotateClient();

        assertThat(request(sockets)).isEqualTo(next);
    }

    /** A plain HTTP/1.1 request on a socket of {@code sockets}: the serial the server saw. */
    private BigInteger request(SSLSocketFactory sockets) throws Exception {
        try (SSLSocket socket = (SSLSocket) sockets.createSocket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200");
            return new BigInteger(
                    answer.substring(answer.indexOf("\r\n\r\n") + 4).trim(), 16);
        }
    }

    /**
     * A server socket opened before the server's rotation: a client that connected to it once connects again after the
     * rotation and is given the new certificate (a JDK server socket would have resumed its ticket with the old one).
     */
    @Test
    void aServerSocketOpenedBeforeARotationServesTheNewCertificate() throws Exception {
        try (SSLServerSocket listener =
                (SSLServerSocket) server.sslContext().getServerSocketFactory().createServerSocket(0)) {
            listener.setNeedClientAuth(true);
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                        accepted.startHandshake();
                        accepted.getOutputStream().write(1);
                    } catch (IOException e) {
                        // closed, or a client that went away
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            BigInteger first = serial(server);
            assertThat(handshake(listener.getLocalPort())).isEqualTo(first);
            assertThat(handshake(listener.getLocalPort())).as("resumed").isEqualTo(first);

            BigInteger next = rotateServer();

            assertThat(handshake(listener.getLocalPort())).isEqualTo(next);
        }
    }

    /** A TLS connection to {@code port} with the client's material: the serial of the server's certificate. */
    private BigInteger handshake(int port) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) client.sslContext().getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            assertThat(socket.getInputStream().read()).isEqualTo(1);
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void theContextsManagersCannotBeReplaced() {
        assertThrows(KeyManagementException.class, () -> client.sslContext().init(null, null, null));
    }
}
