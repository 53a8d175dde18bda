package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Portable mode on a MicroProfile Config that is not SmallRye (Payara Micro's): a store reference inside a longer
 * value, next to an expression that the server's own expansion resolves, with a secret that itself holds
 * expression syntax; and the one thing portable mode cannot do, a store as a whole config source, stops the
 * deployment instead of leaving its properties missing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PortableModeIT {

    /** Expression syntax and backslashes the server's expansion must not touch. */
    static final String MOUNTED = "mounted-${not.an.expression}\\$x{y}\\" + LeakGuard.CANARY;

    private static Path secrets(String name) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("it.work.dir"), "portable-secrets", name));
            Files.writeString(dir.resolve("signing"), MOUNTED);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Deployment(name = "composite", testable = false)
    static WebArchive aReferenceInsideALongerValue() {
        return AppServer.packagedWar(
                "orders-portable",
                Map.of(
                        "mpsecrets.app", "orders",
                        "mpsecrets.file.dir", secrets("composite").toString(),
                        "tokens.suffix", "tail",
                        "tokens.signing-key", "k-${file::signing}-${tokens.suffix}"));
    }

    /** Payara Micro's Arquillian adapter does not report a failed deployment: the test looks at what was served. */
    @Deployment(name = "store-as-source", testable = false)
    static WebArchive aStoreAsAWholeConfigSource() {
        return AppServer.packagedWar(
                "orders-store-source",
                Map.of(
                        "mpsecrets.app", "orders",
                        "mpsecrets.sources", "file",
                        "mpsecrets.file.dir", secrets("source").toString()));
    }

    @Test
    void theSecretIsPutInPlaceAndOnlyTheApplicationsOwnExpressionIsExpanded(
            @ArquillianResource @OperateOnDeployment("composite") URL orders) throws Exception {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        String token = AppServer.json(issued.body()).getString("token");
        assertThat(token).endsWith("." + AppServer.expectedSignature(token, "k-" + MOUNTED + "-tail"));

        AppServer.Answer status = AppServer.get(orders, "api/status");
        assertThat(AppServer.json(status.body()).getJsonArray("events").getValuesAs(JsonObject.class))
                .anySatisfy(event -> {
                    assertEquals("tokens.signing-key", event.getString("property"));
                    assertEquals("file", event.getString("backend"));
                });
        LeakGuard.check(issued.body() + status.body(), "HTTP answers");
    }

    @Test
    void aStoreAsAWholeSourceStopsTheDeploymentWithTheReason(
            @ArquillianResource @OperateOnDeployment("store-as-source") URL server) throws Exception {
        URL status = new URL("http", server.getHost(), server.getPort(), "/orders-store-source/");
        assertEquals(404, AppServer.get(status, "api/status").status(), "the application was not deployed");
        assertThat(AppServer.mainLog()).contains("CDI deployment failure", "mpsecrets.sources needs SmallRye Config");
    }
}
