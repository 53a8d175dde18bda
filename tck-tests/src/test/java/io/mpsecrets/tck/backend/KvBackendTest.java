package io.mpsecrets.tck.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backend of about fifty lines that docs/architecture.md shows ({@code org.example.kv}, against the api jar and its
 * backend kit only) works as a store: references to it resolve, its refusals are typed, what it reads is bounded in
 * size and time; and the page shows it as this module compiles and runs it.
 */
class KvBackendTest {

    private HostileHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SmallRyeConfig config(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.kv.address", server.endpoint().toString(),
                "mpsecrets.kv.token", "t0ken",
                "mpsecrets.kv.timeout", "PT1S",
                "db.password", "${kv::db-password}"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    private SecretException refused(SmallRyeConfig config) {
        return assertThrows(SecretException.class, () -> config.getValue("db.password", String.class));
    }

    @Test
    void itServesItsSecretsAndRefusesAsTheApiAsks() {
        server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"))
                .on("/v1/secrets/db-password", HostileHttpServer.bytes(200, "text/plain", LeakGuard.CANARY.getBytes()));
        assertEquals(LeakGuard.CANARY, config().getValue("db.password", String.class));

        server.on("/v1/secrets/db-password", HostileHttpServer.json(404, "{}"));
        assertEquals(FailureReason.NOT_FOUND, refused(config()).reason());
        server.on("/v1/secrets/db-password", HostileHttpServer.json(403, "{}"));
        assertEquals(FailureReason.ACCESS_DENIED, refused(config()).reason());

        server.on("/v1/secrets/db-password", HostileHttpServer.huge(200, "", 'x', "", 10L << 20));
        SecretException tooLarge = refused(config("mpsecrets.kv.max-size", "1KiB"));
        assertEquals(FailureReason.INVALID_VALUE, tooLarge.reason());
        assertThat(tooLarge.getMessage()).contains("larger than mpsecrets.kv.max-size (1 KiB)", "backend=kv");

        server.on("/v1/secrets/db-password", HostileHttpServer.silence());
        assertEquals(
                FailureReason.TIMEOUT,
                refused(config("mpsecrets.kv.timeout", "PT0.3S")).reason());
    }

    @Test
    void itsSettingsAreReadWithTheKitsErrors() {
        server = HostileHttpServer.start(HostileHttpServer.json(404, "{}"));
        assertThat(assertThrows(
                                ConfigurationException.class,
                                () -> config("mpsecrets.kv.token", "").getValue("db.password", String.class))
                        .getMessage())
                .contains("mpsecrets.kv.token is not set; it authenticates the application to the service");
        assertThat(assertThrows(
                                ConfigurationException.class,
                                () -> config("mpsecrets.kv.timeout", "soon").getValue("db.password", String.class))
                        .getMessage())
                .contains("mpsecrets.kv.timeout must be an ISO-8601 duration");
    }

    @Test
    void theArchitecturePageShowsTheBackendAsItIs() throws Exception {
        String page = Files.readString(Path.of("../docs/architecture.md"), StandardCharsets.UTF_8);
        Matcher sample = Pattern.compile("<!-- sample: (\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        assertThat(sample.find()).as("a sample block on the page").isTrue();
        assertEquals("tck-tests/src/test/java/org/example/kv/KvStoreFactory.java", sample.group(1));
        String source = Files.readString(Path.of("..", sample.group(1)), StandardCharsets.UTF_8);
        assertEquals(source.substring(source.indexOf("/** {@code kv}")), sample.group(2), "the page's copy");
        assertThat(source.substring(source.indexOf("public final class"))
                        .lines()
                        .count())
                .as("about fifty lines, imports aside")
                .isLessThan(65);
    }
}
