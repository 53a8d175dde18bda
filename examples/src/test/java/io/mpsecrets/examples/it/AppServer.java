package io.mpsecrets.examples.it;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the integration tests share: the mock AWS services (one per test JVM, on a free loopback port, started
 * before any deployment names its address), the application's WAR as the build packaged it, the Liberty server's
 * logs, and an HTTP client.
 */
final class Liberty {

    private static MockServer mock;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Liberty() {}

    static synchronized MockServer mock() {
        if (mock == null) {
            TestProfiles.install();
            mock = MockServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(mock::close));
        }
        return mock;
    }

    /**
     * The orders application as packaged (target/orders.war: its classes and mp-secrets in WEB-INF/lib), with this
     * config.
     */
    static WebArchive packagedWar(String name, Map<String, String> config) {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("orders.war")));
        WebArchive renamed = ShrinkWrap.create(WebArchive.class, name + ".war");
        renamed.merge(war);
        renamed.delete("/WEB-INF/classes/META-INF/microprofile-config.properties");
        return renamed.addAsResource(new StringAsset(properties(config)), "META-INF/microprofile-config.properties");
    }

    static String properties(Map<String, String> config) {
        return new TreeMap<>(config)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    record Answer(int status, String body) {}

    static Answer get(URL base, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    static Answer postForm(URL base, String path, String form) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's own logs: messages.log, console.log, trace and FFDC files. */
    static Path logs() {
        return Path.of(System.getProperty("liberty.wlp.home"), "usr", "servers", "defaultServer", "logs");
    }

    /** Fails if a watched secret appears in any of the server's log files. */
    static void assertNoSecretInServerLogs() throws IOException {
        try (var files = Files.walk(logs())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                LeakGuard.check(
                        Files.readString(file, StandardCharsets.ISO_8859_1), "Liberty log " + logs().relativize(file));
            }
        }
    }

    /** An HTTP answer's JSON body. */
    static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    /** The token's HMAC-SHA256 under {@code key}, computed here, independently of the application's code. */
    static String expectedSignature(String token, String key) throws Exception {
        String payload = token.substring(0, token.indexOf('.'));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(Base64.getUrlDecoder().decode(payload)));
    }
}
