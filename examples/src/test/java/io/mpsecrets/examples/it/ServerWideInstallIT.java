package io.mpsecrets.examples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.mpsecrets.testkit.MockSecret;
import io.mpsecrets.testkit.arquillian.MpSecretsArquillian;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mp-secrets installed once in the server, and applications that hold none of it: only their own classes and
 * config. On Open Liberty a shared library ({@code <library id="mpsecrets">} in server.xml) that each application
 * references with {@code commonLibraryRef="mpsecrets"} (Arquillian's xml deployment with {@code sharedLib}); on
 * WildFly a JBoss module made a global module with {@code services="true"} ({@link WildFlyGlobalModule}). The install
 * holds the core and both backends: one application signs with an {@code ENC(...)} key on a local keyring, one with
 * a key in a Vault KV secret (the mock Vault), one with a key in AWS Secrets Manager (the mock). On WildFly the
 * module.xml docs/servers.md shows for each backend is checked against the module installed here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@MockSecret(name = ServerWideInstallIT.AWS_SECRET, value = "{\"signing_key\":\"" + ServerWideInstallIT.AWS_KEY + "\"}")
class ServerWideInstallIT {

    static final String KEYRING = "keyring";
    static final String VAULT = "vault";
    static final String AWS = "aws";

    static final String SIGNING_KEY = "shared-" + LeakGuard.CANARY;
    static final String VAULT_SECRET = "secret/orders";
    static final String VAULT_KEY = "vault-" + LeakGuard.CANARY;
    static final String AWS_SECRET = "orders/shared";
    static final String AWS_KEY = "aws-" + LeakGuard.CANARY;

    private static final Map<String, WebArchive> ARCHIVES = new ConcurrentHashMap<>();

    @Deployment(name = KEYRING, testable = false, order = 1)
    static synchronized WebArchive onTheLocalKeyring() throws Exception {
        if (ARCHIVES.containsKey(KEYRING)) {
            return ARCHIVES.get(KEYRING);
        }
        Path keyringFile = Path.of(System.getProperty("it.work.dir"), AppServer.name() + "-server-wide-keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("shared");
        keyring.writeTo(keyringFile, true);
        String encrypted;
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("orders"))) {
            encrypted = encryptor.encrypt(SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "tokens.signing-key");
        }
        return withoutMpSecrets(
                KEYRING,
                "orders-shared",
                Map.of("mpsecrets.kms.local.keyring", keyringFile.toString(), "tokens.signing-key", encrypted));
    }

    /** The key in the mock Vault's KV v2 mount; its address and token are added to the config by the testkit. */
    @Deployment(name = VAULT, testable = false, order = 2)
    static synchronized WebArchive onVault() {
        if (!ARCHIVES.containsKey(VAULT)) {
            MpSecretsArquillian.server().vault().putV2(VAULT_SECRET, Map.of("signing_key", VAULT_KEY));
        }
        return withoutMpSecrets(
                VAULT,
                "orders-shared-vault",
                Map.of("tokens.signing-key", "${vault::" + VAULT_SECRET + "#signing_key}"));
    }

    @Deployment(name = AWS, testable = false, order = 3)
    static synchronized WebArchive onAwsSecretsManager() {
        return withoutMpSecrets(
                AWS, "orders-shared-aws", Map.of("tokens.signing-key", "${aws::" + AWS_SECRET + "#signing_key}"));
    }

    private static WebArchive withoutMpSecrets(String deployment, String name, Map<String, String> config) {
        return ARCHIVES.computeIfAbsent(deployment, d -> {
            Map<String, String> all = new TreeMap<>(config);
            all.put("mpsecrets.app", "orders");
            return ShrinkWrap.create(WebArchive.class, name + ".war")
                    .addClasses(
                            OrdersApplication.class,
                            TokenSigner.class,
                            TokenResource.class,
                            StatusResource.class,
                            AuditTrail.class,
                            SecretUnavailableMapper.class)
                    .addAsResource(
                            new StringAsset(AppServer.properties(AppServer.withServerSettings(all))),
                            "META-INF/microprofile-config.properties");
        });
    }

    @Test
    @OperateOnDeployment(KEYRING)
    void theApplicationsCarryNoMpSecretsClasses() throws Exception {
        for (WebArchive war : List.of(onTheLocalKeyring(), onVault(), onAwsSecretsManager())) {
            assertThat(war.getContent().keySet())
                    .as(war.getName())
                    .allSatisfy(path -> assertThat(path.get())
                            .satisfiesAnyOf(
                                    p -> assertThat(p).startsWith("/WEB-INF/classes/io/mpsecrets/examples/"),
                                    p -> assertThat(p).isIn("/WEB-INF/classes/META-INF/microprofile-config.properties"),
                                    p -> assertThat(p)
                                            .matches(
                                                    "/WEB-INF(/classes(/io(/mpsecrets(/examples)?)?)?(/META-INF)?)?")));
        }
        assertThat(installed())
                .anySatisfy(jar -> assertThat(jar).startsWith("mpsecrets-impl-"))
                .anySatisfy(jar -> assertThat(jar).startsWith("mpsecrets-vault-"))
                .anySatisfy(jar -> assertThat(jar).startsWith("mpsecrets-aws-"));
    }

    @Test
    @OperateOnDeployment(KEYRING)
    void theServerWideInstallDecryptsInjectsAndAudits(@ArquillianResource @OperateOnDeployment(KEYRING) URL orders)
            throws Exception {
        List<JsonObject> events = signsWith(orders, SIGNING_KEY);
        assertThat(events).anySatisfy(event -> {
            assertEquals("decrypted", event.getString("event"));
            assertEquals("local:shared-1", event.getString("key"));
        });
    }

    @Test
    @OperateOnDeployment(VAULT)
    void theServerWideInstallReadsAVaultKvSecret(@ArquillianResource @OperateOnDeployment(VAULT) URL orders)
            throws Exception {
        List<JsonObject> events = signsWith(orders, VAULT_KEY);
        assertThat(events).anySatisfy(event -> {
            assertEquals("fetched", event.getString("event"));
            assertEquals("vault", event.getString("backend"));
            assertEquals(VAULT_SECRET, event.getString("secret"));
            assertEquals("1", event.getString("version"));
        });
        assertThat(MpSecretsArquillian.server().vault().calls("read")).isPositive();
    }

    @Test
    @OperateOnDeployment(AWS)
    void theServerWideInstallReadsAnAwsSecret(@ArquillianResource @OperateOnDeployment(AWS) URL orders)
            throws Exception {
        List<JsonObject> events = signsWith(orders, AWS_KEY);
        assertThat(events).anySatisfy(event -> {
            assertEquals("fetched", event.getString("event"));
            assertEquals("aws", event.getString("backend"));
            assertEquals(AWS_SECRET, event.getString("secret"));
        });
    }

    /**
     * docs/servers.md's module.xml for each backend is the one {@link WildFlyGlobalModule} writes for the core, that
     * backend and (for AWS) the SDK's jars, out of the jars this server's module holds; and the module the server ran
     * with is the one it writes for all of them.
     */
    @Test
    @OperateOnDeployment(KEYRING)
    void theDocsShowTheModuleTheServerRuns() throws Exception {
        assumeTrue(AppServer.name().equals("wildfly"), "a JBoss module is WildFly's");
        List<String> jars = installed();
        assertThat(Files.readString(installDir().resolve("module.xml"), StandardCharsets.UTF_8))
                .isEqualTo(WildFlyGlobalModule.moduleXml(jars));
        String page = Files.readString(Path.of("../docs/servers.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("<!-- module.xml: (\\S+) -->\\n```xml\\n(.*?)```", Pattern.DOTALL)
                .matcher(page);
        List<String> shown = new ArrayList<>();
        while (block.find()) {
            shown.add(block.group(1));
            assertThat(block.group(2))
                    .as("docs/servers.md's module.xml for " + block.group(1))
                    .isEqualTo(WildFlyGlobalModule.moduleXml(block.group(1), jars));
        }
        assertThat(shown).containsExactly(VAULT, AWS);
    }

    /** Signs a token, checks its signature with {@code key}, and answers the audit events the application saw. */
    private static List<JsonObject> signsWith(URL orders, String key) throws Exception {
        AppServer.Answer issued = AppServer.postForm(orders, "api/tokens", "subject=alice");
        assertEquals(200, issued.status(), issued.body());
        String token = AppServer.json(issued.body()).getString("token");
        assertThat(token).endsWith("." + AppServer.expectedSignature(token, key));
        AppServer.Answer status = AppServer.get(orders, "api/status");
        assertEquals(200, status.status(), status.body());
        LeakGuard.check(issued.body() + status.body(), "HTTP answers");
        return AppServer.json(status.body()).getJsonArray("events").getValuesAs(JsonObject.class);
    }

    private static Path installDir() {
        return Path.of(System.getProperty("it.server.install.dir"));
    }

    private static List<String> installed() throws Exception {
        try (var found = Files.list(installDir())) {
            return found.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }
}
