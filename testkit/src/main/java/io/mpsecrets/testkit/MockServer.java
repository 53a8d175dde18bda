package io.mpsecrets.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mpsecrets.testkit.aws.AwsError;
import io.mpsecrets.testkit.aws.AwsJsonService;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.gcp.MockGoogleCloud;
import io.mpsecrets.testkit.kms.MockKms;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.secretsmanager.MockSecretsManager;
import io.mpsecrets.testkit.ssm.MockSsm;
import io.mpsecrets.testkit.vault.MockVault;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The mock servers on one loopback port, like LocalStack's single edge port: AWS KMS ({@code X-Amz-Target:
 * TrentService.*}), AWS Secrets Manager ({@code secretsmanager.*}), Systems Manager Parameter Store
 * ({@code AmazonSSM.*}), all AWS JSON 1.1 on {@code POST /}, Google Cloud ({@link MockGoogleCloud}: Secret Manager and
 * Cloud KMS under {@code /v1/projects/}, which a Vault mount named {@code projects} would therefore not get, and
 * Google's token issuers) and Vault under {@code /v1/}. The caller of an AWS call is the access key id of its SigV4
 * credential (signatures are not checked). Bound to 127.0.0.1 only; port 0 picks a free one.
 */
public final class MockServer implements AutoCloseable {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "111122223333";
    private static final Logger LOG = Logger.getLogger(MockServer.class.getName());
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

    private final HttpServer http;
    private final ExecutorService executor;
    private final MockKms kms;
    private final MockSecretsManager secretsManager;
    private final MockSsm ssm;
    private final MockVault vault;
    private final MockGoogleCloud gcp;
    private final String scheme;
    private MockAzure azure;

    private MockServer(
            HttpServer http, String scheme, String region, String account, String vaultToken, Path vaultState) {
        this.http = http;
        this.scheme = scheme;
        this.kms = new MockKms(region, account);
        this.secretsManager = new MockSecretsManager(region, account);
        this.ssm = new MockSsm(region, account);
        this.vault = new MockVault(vaultToken, vaultState);
        this.gcp = new MockGoogleCloud(
                URI.create(scheme + "://127.0.0.1:" + http.getAddress().getPort()));
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "mock-server");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        http.createContext("/", this::serve);
        http.start();
    }

    /** Starts on a free loopback port. */
    public static MockServer start() {
        return start(0);
    }

    public static MockServer start(int port) {
        return builder().port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options: port, region, account, Vault root token, Vault state directory, TLS. */
    public static final class Builder {
        private int port;
        private String region = DEFAULT_REGION;
        private String account = DEFAULT_ACCOUNT;
        private String vaultToken = "root";
        private Path vaultState;
        private SSLContext tls;
        private boolean wantClientCertificates;

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder account(String account) {
            this.account = account;
            return this;
        }

        public Builder vaultToken(String token) {
            this.vaultToken = token;
            return this;
        }

        /**
         * Keep the mock Vault's mounts, KV values, Transit keys, policies and tokens in this directory, so that they
         * outlive a restart (see {@link MockVault}); without it, everything is in memory. The AWS mocks are in
         * memory either way.
         */
        public Builder vaultState(Path directory) {
            this.vaultState = directory;
            return this;
        }

        /** Serve HTTPS with this context (see {@link TestCertificates}). */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /**
         * Over HTTPS, ask clients for a certificate (without requiring one), as Vault's listener does for its
         * {@code cert} auth method; the context must take them ({@link TestCertificates#serverContext()} does).
         */
        public Builder wantClientCertificates() {
            this.wantClientCertificates = true;
            return this;
        }

        public MockServer start() {
            try {
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                if (tls != null) {
                    HttpsServer https = HttpsServer.create(address, 0);
                    boolean want = wantClientCertificates;
                    https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                        @Override
                        public void configure(HttpsParameters parameters) {
                            SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                            ssl.setWantClientAuth(want);
                            parameters.setSSLParameters(ssl);
                        }
                    });
                    return started(https, "https");
                }
                return started(HttpServer.create(address, 0), "http");
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
            }
        }

        /** The server on a bound socket; the socket is let go if the mocks cannot start (an unreadable state). */
        private MockServer started(HttpServer http, String scheme) {
            try {
                return new MockServer(http, scheme, region, account, vaultToken, vaultState);
            } catch (RuntimeException e) {
                http.stop(0);
                throw e;
            }
        }
    }

    public URI endpoint() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public MockKms kms() {
        return kms;
    }

    public MockSecretsManager secretsManager() {
        return secretsManager;
    }

    /** Systems Manager Parameter Store. */
    public MockSsm ssm() {
        return ssm;
    }

    public MockVault vault() {
        return vault;
    }

    /**
     * Azure Key Vault and Entra ID: on a port of their own, over HTTPS with a test CA (Azure's clients send tokens over
     * TLS only), started on first use.
     */
    public synchronized MockAzure azure() {
        if (azure == null) {
            azure = MockAzure.start();
        }
        return azure;
    }

    /** Google Cloud: Secret Manager, Cloud KMS and the token issuers. */
    public MockGoogleCloud gcp() {
        return gcp;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (azure != null) {
                azure.close();
            }
        }
        http.stop(0);
        vault.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (gcp.serves(path)) {
                gcp.handle(exchange);
            } else if (path.startsWith("/v1/")) {
                vault.handle(exchange);
            } else if (path.equals("/") && exchange.getRequestMethod().equals("POST")) {
                aws(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (Faults.ConnectionReset e) {
            // No status line: closing the exchange now ends the connection, and the client reads no answer.
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "mock server: " + e.getClass().getName() + " serving "
                            + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(500, -1);
        } finally {
            exchange.close();
        }
    }

    private void aws(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        try {
            AwsJsonService service = null;
            for (AwsJsonService candidate : List.of(kms, secretsManager, ssm)) {
                if (target != null && target.startsWith(candidate.targetPrefix())) {
                    service = candidate;
                }
            }
            if (service == null) {
                throw AwsError.badRequest("UnknownOperationException", "no such service for target " + target);
            }
            String principal = principal(exchange.getRequestHeaders().getFirst("Authorization"));
            JsonObject request = parse(requestBody);
            JsonObject response =
                    service.handle(target.substring(service.targetPrefix().length()), request, principal);
            send(exchange, 200, response, null);
        } catch (AwsError e) {
            JsonObjectBuilder error = Json.createObjectBuilder().add("__type", e.type());
            if (e.getMessage() != null) {
                error.add("message", e.getMessage());
            }
            send(exchange, e.status(), error.build(), e.type());
        }
    }

    private static String principal(String authorization) throws AwsError {
        if (authorization == null) {
            throw new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        if (!m.find()) {
            throw new AwsError(
                    400, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter.");
        }
        return m.group(1);
    }

    private static JsonObject parse(byte[] body) throws AwsError {
        if (body.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw AwsError.badRequest("SerializationException", "Start of structure or map found where not expected");
        }
    }

    private static void send(HttpExchange exchange, int status, JsonObject body, String errorType) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "MockServer[" + endpoint() + "]";
    }
}
