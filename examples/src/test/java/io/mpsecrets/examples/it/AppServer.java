package io.mpsecrets.examples.it;

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
 * What the integration tests share, on whichever server a failsafe execution runs them (Open Liberty, WildFly,
 * Payara Micro): the application's WAR as the build packaged it with the server's own settings added, the server's
 * main log, and an HTTP client that talks to 127.0.0.1 only. The mock AWS services, the settings that point each
 * deployment at them and the scan of the server's logs come from the testkit's Arquillian extension.
 */
final class AppServer {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private AppServer() {}

    /** The server's name, as the failsafe execution gives it: liberty, wildfly or payara. */
    static String name() {
        return System.getProperty("it.server", "liberty");
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
        return renamed.addAsResource(
                new StringAsset(properties(withServerSettings(config))), "META-INF/microprofile-config.properties");
    }

    /**
     * The application's config with what the server needs added: Payara's MicroProfile Config caches a value for
     * a minute by default, which a test of rotation within seconds turns off.
     */
    static Map<String, String> withServerSettings(Map<String, String> config) {
        Map<String, String> all = new TreeMap<>(config);
        if (name().equals("payara")) {
            all.putIfAbsent("mp.config.cache.duration", "0");
        }
        return all;
    }

    static String properties(Map<String, String> config) {
        return new TreeMap<>(config)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    record Answer(int status, String body) {}

    static Answer get(URL base, String path) {
        return send(HttpRequest.newBuilder(loopback(base, path)).GET().build());
    }

    static Answer postForm(URL base, String path, String form) {
        return send(HttpRequest.newBuilder(loopback(base, path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    /** The deployment's URL on 127.0.0.1: a server may name itself localhost or by a host name. */
    private static URI loopback(URL base, String path) {
        return URI.create("http://127.0.0.1:" + base.getPort() + base.getPath() + path);
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

    /** The server's log directory: Liberty's messages.log and FFDC files, WildFly's server.log, Payara's log. */
    static Path logs() {
        return Path.of(System.getProperty("it.server.logs"));
    }

    /**
     * The server's main log, where mp-secrets' audit log records go: every file whose name starts with the log's
     * (rotated files, and Payara Micro's one per process).
     */
    static String mainLog() throws IOException {
        String name = System.getProperty("it.server.log");
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name))
                    .filter(f -> !f.toString().endsWith(".lck"))
                    .sorted()
                    .toList()) {
                text.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
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
