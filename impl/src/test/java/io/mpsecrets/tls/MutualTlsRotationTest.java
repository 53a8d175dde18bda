package io.mpsecrets.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.pki.TestPki;
import io.smallrye.config.SmallRyeConfig;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on mp-secrets material, both sides rotating under load: a JDK {@code HttpsServer} whose key and chain
 * are files named by path, and a JDK {@code HttpClient} whose key and chain are one PEM secret of the file store
 * ({@code ${file::client.pem}}), followed through the cache and the rotation watcher.
 */
class MutualTlsRotationTest {

    @TempDir
    Path dir;

    private TlsFixture fixture;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void bothCertificatesRotatedEveryTwoSecondsForThirtySecondsUnderEightThreadsFailNoRequest() throws Exception {
        fixture = new TlsFixture(dir);
        TestPki.Issued server = fixture.issue("server");
        TestPki.Issued client = fixture.issue("client");
        fixture.write("server.key", server.keyPem());
        fixture.write("server.crt", server.certificatePem());
        fixture.write("ca.pem", fixture.pki.rootPem());
        fixture.write("client.pem", client.keyPem() + client.certificatePem());
        Set<BigInteger> issuedServer = ConcurrentHashMap.newKeySet();
        Set<BigInteger> issuedClient = ConcurrentHashMap.newKeySet();
        issuedServer.add(server.serial());
        issuedClient.add(client.serial());
        SmallRyeConfig config = fixture.config(Map.ofEntries(
                Map.entry("mpsecrets.app", "orders"),
                Map.entry("mpsecrets.sources", "file"),
                Map.entry("mpsecrets.file.dir", dir.toString()),
                Map.entry("mpsecrets.file.ttl", "PT1H"),
                Map.entry("mpsecrets.rotation.interval", "PT0.25S"),
                Map.entry("mpsecrets.tls.server.key", dir.resolve("server.key").toString()),
                Map.entry(
                        "mpsecrets.tls.server.certificate",
                        dir.resolve("server.crt").toString()),
                Map.entry("mpsecrets.tls.server.trust", dir.resolve("ca.pem").toString()),
                Map.entry("mpsecrets.tls.server.refresh", "PT0.25S"),
                Map.entry("mpsecrets.tls.client.key", "${file::client.pem}"),
                Map.entry("mpsecrets.tls.client.trust", "${file::ca.pem}")));
        TlsMaterial serverMaterial = MpSecretsTls.material(config, "server");
        TlsMaterial clientMaterial = MpSecretsTls.material(config, "client");
        HttpsServer https = fixture.server(serverMaterial.sslContext());
        URI uri = URI.create("https://localhost:" + https.getAddress().getPort() + "/");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        List<Throwable> failureSamples = new ArrayList<>();
        Set<BigInteger> serverSerialsSeen = ConcurrentHashMap.newKeySet();
        Set<BigInteger> clientSerialsSeen = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        // a client per ten requests: connections kept alive finish on their certificate, new
                        // connections handshake with the one in service
                        HttpClient http = HttpClient.newBuilder()
                                .sslContext(clientMaterial.sslContext())
                                .connectTimeout(Duration.ofSeconds(10))
                                .build();
                        for (int i = 0; i < 10 && running.get(); i++) {
                            try {
                                HttpResponse<String> response = http.send(
                                        HttpRequest.newBuilder(uri)
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                                requests.incrementAndGet();
                                if (response.statusCode() != 200) {
                                    failures.incrementAndGet();
                                    continue;
                                }
                                X509Certificate seen = (X509Certificate)
                                        response.sslSession().orElseThrow().getPeerCertificates()[0];
                                serverSerialsSeen.add(seen.getSerialNumber());
                                clientSerialsSeen.add(new BigInteger(response.body(), 16));
                            } catch (Exception e) {
                                failures.incrementAndGet();
                                synchronized (failureSamples) {
                                    failureSamples.add(e);
                                }
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            TestPki.Issued nextServer = fixture.issue("server");
            TestPki.Issued nextClient = fixture.issue("client");
            issuedServer.add(nextServer.serial());
            issuedClient.add(nextClient.serial());
            // two files one after the other, as a tool that writes a key and a certificate does
            fixture.write("server.key", nextServer.keyPem());
            fixture.write("server.crt", nextServer.certificatePem());
            fixture.write("client.pem", nextClient.keyPem() + nextClient.certificatePem());
        }
        running.set(false);
        done.await();

        assertThat(failureSamples).isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(requests.get()).isGreaterThan(100);
        assertThat(issuedServer).containsAll(serverSerialsSeen);
        assertThat(issuedClient).containsAll(clientSerialsSeen);
        // new connections saw new certificates on both sides, not only the first ones
        assertThat(serverSerialsSeen).hasSizeGreaterThan(1);
        assertThat(clientSerialsSeen).hasSizeGreaterThan(1);

        // After the last rotation is read, a new connection gets the last certificates on both sides.
        fixture.config(Map.of()); // nothing: keeps the fixture's list of runtimes honest
        serverMaterial.refresh();
        config.getOptionalValue("mpsecrets.tls.client.key", String.class); // the client's secret through the store
        io.mpsecrets.config.ConfigRegistry.runtimeOf(config)
                .orElseThrow()
                .stores()
                .checkRotation();
        clientMaterial.refresh();
        BigInteger lastServer = serverMaterial.certificate().orElseThrow().getSerialNumber();
        BigInteger lastClient = clientMaterial.certificate().orElseThrow().getSerialNumber();
        HttpClient fresh =
                HttpClient.newBuilder().sslContext(clientMaterial.sslContext()).build();
        HttpResponse<String> last =
                fresh.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(((X509Certificate) last.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber())
                .isEqualTo(lastServer);
        assertThat(new BigInteger(last.body(), 16)).isEqualTo(lastClient);
        System.out.printf(
                "mTLS rotation: %d requests, %d failed, %d server and %d client serials seen, %d and %d issued%n",
                requests.get(),
                failures.get(),
                serverSerialsSeen.size(),
                clientSerialsSeen.size(),
                issuedServer.size(),
                issuedClient.size());
    }
}
