package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.JwtIssuer;
import io.mpsecrets.testkit.vault.MockVault;
import io.mpsecrets.vault.VaultSecretStoreFactory;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders application on Open Liberty logs in to Vault (the mock) by JWT read from a file, as a pod with a projected
 * service-account token does: the signing key is {@code ${vault::secret/orders-jwt#signing_key}}. During the test the
 * JWT's issuer rotates its key, the file is replaced with a JWT signed by the new key, an operator revokes the
 * application's token and the secret gets a new version: the application logs in again with the new file (the old
 * JWT no longer verifies), the refusal is an audit event the application observes, and the new key is used, without
 * a restart.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JwtFileLoginIT {

    private static final String MOUNT = "jwt-it";
    private static final String SECRET = "secret/orders-jwt";
    private static final JwtIssuer FIRST = JwtIssuer.rsa();
    private static final Path JWT_FILE = jwtFile();

    @Deployment(testable = false)
    static WebArchive orders() {
        MockVault vault = MpSecretsArquillian.server().vault();
        vault.jwtAuth(MOUNT, FIRST.issuer(), FIRST.publicKey());
        vault.policy("orders-jwt", "secret/data/orders-jwt", "read");
        vault.policy("orders-jwt-metadata", "secret/metadata/orders-jwt", "read");
        vault.jwtRole(
                MOUNT, "orders", Set.of("vault"), Map.of(), Duration.ofHours(1), "orders-jwt", "orders-jwt-metadata");
        vault.putV2(SECRET, Map.of("signing_key", "first-" + LeakGuard.CANARY));
        write(FIRST.issue("system:serviceaccount:shop:orders", "vault", Duration.ofMinutes(10), Map.of()));
        return AppServer.packagedWar(
                        "orders-jwt",
                        Map.of(
                                "mpsecrets.app", "orders",
                                "mpsecrets.rotation.interval", "PT0.5S",
                                "mpsecrets.vault.auth", "jwt",
                                "mpsecrets.vault.jwt.mount", MOUNT,
                                "mpsecrets.vault.jwt.role", "orders",
                                "mpsecrets.vault.jwt.jwt-file", JWT_FILE.toString(),
                                "tokens.signing-key", "${vault::" + SECRET + "#signing_key}"))
                .addAsLibraries(jarOf(VaultSecretStoreFactory.class));
    }

    private static String sign(URL orders) {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        return AppServer.json(issued.body()).getString("token");
    }

    @Test
    void aReplacedJwtFileIsUsedByTheNextLoginWithoutARestart(@ArquillianResource URL orders) throws Exception {
        MockVault vault = MpSecretsArquillian.server().vault();
        String before = sign(orders);
        assertThat(before).endsWith("." + AppServer.expectedSignature(before, "first-" + LeakGuard.CANARY));
        assertEquals(1, vault.calls("login:" + MOUNT));
        vault.loginTokens(MOUNT).forEach(LeakGuard::watch);

        // The issuer rotates its key; the platform replaces the file; an operator revokes the token; the key rotates.
        JwtIssuer second = JwtIssuer.ec();
        vault.jwtAuth(MOUNT, second.issuer(), second.publicKey());
        String next = second.issue("system:serviceaccount:shop:orders", "vault", Duration.ofMinutes(10), Map.of());
        LeakGuard.watch(next);
        write(next);
        assertEquals(1, vault.revokeLoginTokens(MOUNT));
        vault.putV2(SECRET, Map.of("signing_key", "second-" + LeakGuard.CANARY));

        long start = System.nanoTime();
        String after = sign(orders);
        while (!after.endsWith("." + AppServer.expectedSignature(after, "second-" + LeakGuard.CANARY))) {
            // A bound on the wait, not on the speed: the watcher polls every 0.5 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("still signing with the old key")
                    .isLessThan(Duration.ofSeconds(15));
            Thread.sleep(100);
            after = sign(orders);
        }
        assertEquals(2, vault.calls("login:" + MOUNT), "one login again, with the replaced file's JWT");
        vault.loginTokens(MOUNT).forEach(LeakGuard::watch);

        AppServer.Answer status = AppServer.get(orders, "api/status");
        List<JsonObject> events =
                AppServer.json(status.body()).getJsonArray("events").getValuesAs(JsonObject.class);
        assertThat(events).anySatisfy(event -> {
            assertEquals("denied", event.getString("event"));
            assertEquals("vault", event.getString("backend"));
        });
        LeakGuard.check(status.body(), "the status endpoint");
    }

    /** The JWT file, in the build's directory, which the server on this machine reads. */
    private static Path jwtFile() {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target"), "jwt-it"));
            return dir.resolve("token").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the file whole (write, then move), as the kubelet swaps a projected token. */
    private static void write(String jwt) {
        try {
            Path temp = Files.writeString(JWT_FILE.resolveSibling("token.new"), jwt);
            Files.move(temp, JWT_FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
