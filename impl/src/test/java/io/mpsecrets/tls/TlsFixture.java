package io.mpsecrets.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testkit.pki.TestPki;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** What the TLS tests share: a PKI, files written as stores write them, configs, and an mTLS server. */
final class TlsFixture implements AutoCloseable {

    final TestPki pki = TestPki.create();
    final Path dir;
    private final List<SecretsRuntime> runtimes = new ArrayList<>();
    private final List<HttpsServer> servers = new ArrayList<>();

    TlsFixture(Path dir) {
        this.dir = dir;
    }

    TestPki.Issued issue(String commonName) {
        return pki.issue(commonName, List.of("localhost", "127.0.0.1"), Duration.ofHours(1), TestPki.KeyType.EC);
    }

    /** Writes the file as a store does: a new file renamed over the old, so readers see all of one or the other. */
    void write(String name, String text) {
        try {
            Path temp = Files.createTempFile(dir, ".write", ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    SmallRyeConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        runtimes.add(ConfigRegistry.runtimeOf(config).orElseThrow());
        return config;
    }

    /**
     * An HTTPS server that needs a client certificate and answers each request with the serial of the client's
     * certificate, in hex.
     */
    HttpsServer server(SSLContext context) {
        try {
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
                X509Certificate client = (X509Certificate)
                        ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
                byte[] body = client.getSerialNumber().toString(16).getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
            server.start();
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> {
            s.stop(0);
            if (s.getExecutor() instanceof java.util.concurrent.ExecutorService executor) {
                executor.shutdownNow();
            }
        });
        runtimes.forEach(SecretsRuntime::close);
    }
}
