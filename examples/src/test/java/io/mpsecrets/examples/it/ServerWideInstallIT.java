package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.examples.AuditTrail;
import io.mpsecrets.examples.OrdersApplication;
import io.mpsecrets.examples.SecretUnavailableMapper;
import io.mpsecrets.examples.StatusResource;
import io.mpsecrets.examples.TokenResource;
import io.mpsecrets.examples.TokenSigner;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mp-secrets installed once in the server, and an application that holds none of it: only its own classes and
 * config. On Open Liberty a shared library ({@code <library id="mpsecrets">} in server.xml) that the application
 * references with {@code commonLibraryRef="mpsecrets"} (Arquillian's xml deployment with {@code sharedLib}); on
 * WildFly a JBoss module made a global module with {@code services="true"} ({@link WildFlyGlobalModule}). The
 * embedded default: a local keyring, no cloud.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerWideInstallIT {

    static final String SIGNING_KEY = "shared-" + LeakGuard.CANARY;

    private static WebArchive archive;

    @Deployment(testable = false)
    static synchronized WebArchive ordersWithoutMpSecrets() throws Exception {
        if (archive != null) {
            return archive;
        }
        Path keyringFile = Path.of(System.getProperty("it.work.dir"), AppServer.name() + "-server-wide-keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("shared");
        keyring.writeTo(keyringFile, true);
        String encrypted;
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("orders"))) {
            encrypted = encryptor.encrypt(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "tokens.signing-key");
        }
        archive = ShrinkWrap.create(WebArchive.class, "orders-shared.war")
                .addClasses(
                        OrdersApplication.class,
                        TokenSigner.class,
                        TokenResource.class,
                        StatusResource.class,
                        AuditTrail.class,
                        SecretUnavailableMapper.class)
                .addAsResource(
                        new StringAsset(AppServer.properties(AppServer.withServerSettings(Map.of(
                                "mpsecrets.app",
                                "orders",
                                "mpsecrets.kms.local.keyring",
                                keyringFile.toString(),
                                "tokens.signing-key",
                                encrypted)))),
                        "META-INF/microprofile-config.properties");
        return archive;
    }

    @Test
    void theApplicationCarriesNoMpSecretsClasses() throws Exception {
        WebArchive war = ordersWithoutMpSecrets();
        assertThat(war.getContent().keySet())
                .allSatisfy(path -> assertThat(path.get())
                        .satisfiesAnyOf(
                                p -> assertThat(p).startsWith("/WEB-INF/classes/io/mpsecrets/examples/"),
                                p -> assertThat(p).isIn("/WEB-INF/classes/META-INF/microprofile-config.properties"),
                                p -> assertThat(p)
                                        .matches("/WEB-INF(/classes(/io(/mpsecrets(/examples)?)?)?(/META-INF)?)?")));
        try (var installed = Files.list(Path.of(System.getProperty("it.server.install.dir")))) {
            assertThat(installed)
                    .anySatisfy(jar -> assertThat(jar.getFileName().toString()).startsWith("mpsecrets-impl"));
        }
    }

    @Test
    void theServerWideInstallDecryptsInjectsAndAudits(@ArquillianResource URL orders) throws Exception {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        String token = AppServer.json(issued.body()).getString("token");
        assertThat(token).endsWith("." + AppServer.expectedSignature(token, SIGNING_KEY));
        AppServer.Answer status = AppServer.get(orders, "api/status");
        assertThat(AppServer.json(status.body()).getJsonArray("events").getValuesAs(jakarta.json.JsonObject.class))
                .anySatisfy(event -> {
                    assertEquals("decrypted", event.getString("event"));
                    assertEquals("local:shared-1", event.getString("key"));
                });
        LeakGuard.check(issued.body() + status.body(), "HTTP answers");
    }
}
