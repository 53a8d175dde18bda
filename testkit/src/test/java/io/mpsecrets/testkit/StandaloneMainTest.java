package io.mpsecrets.testkit;

import static io.mpsecrets.testkit.vault.VaultHttp.mountInput;
import static io.mpsecrets.testkit.vault.VaultHttp.quoted;
import static io.mpsecrets.testkit.vault.VaultHttp.tokenCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.vault.VaultHttp;
import io.mpsecrets.testkit.vault.VaultHttp.Answer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit run on its own, as {@code java -jar mpsecrets-testkit.jar} runs it (its class path: the testkit and
 * JSON-P, no JDBC driver), in a child JVM: what it prints, a Vault set up with the requests the {@code vault} CLI
 * sends, the database engine with and without a driver on the class path, and its state across a restart.
 */
class StandaloneMainTest {

    @TempDir
    Path temporary;

    /** A started testkit: its process, the lines it printed up to its state line, its address. */
    private record Standalone(Process process, BufferedReader out, List<String> lines, URI endpoint)
            implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void printsEveryEndpointAndTheTokenAndIsSetUpAsTheVaultCliSetsUpVault() throws Exception {
        try (Standalone testkit =
                start(false, "--port", "0", "--vault-token", "dev-root", "--create-key", "alias/orders")) {
            String endpoint = testkit.endpoint().toString();
            assertThat(testkit.lines())
                    .containsSubsequence(
                            "listening " + endpoint,
                            "vault " + endpoint + " token dev-root",
                            "  export VAULT_ADDR=" + endpoint + " VAULT_TOKEN=dev-root",
                            "  mpsecrets.vault.address=" + endpoint + " mpsecrets.vault.token=dev-root",
                            "kms " + endpoint + " region us-east-1",
                            "secretsmanager " + endpoint + " region us-east-1",
                            "ssm " + endpoint + " region us-east-1");
            assertThat(testkit.lines())
                    .anySatisfy(
                            line -> assertThat(line).matches("azure https://127\\.0\\.0\\.1:\\d+ tenant [0-9a-f-]+"))
                    .anySatisfy(line -> assertThat(line).startsWith("azure ca ").endsWith(".pem"));
            assertThat(testkit.lines().get(testkit.lines().size() - 1))
                    .startsWith("state in memory: keys and values are gone when the testkit stops");
            assertThat(testkit.out().readLine())
                    .startsWith("kms key arn:aws:kms:us-east-1:111122223333:key/")
                    .endsWith(" alias/orders");

            // vault secrets enable transit; vault write -f transit/keys/orders; vault policy write orders -;
            // vault token create -policy=orders; VAULT_TOKEN=<it> vault read transit/keys/orders
            VaultHttp vault = new VaultHttp(testkit.endpoint());
            assertEquals(
                    204,
                    vault.call("POST", "sys/mounts/transit/", "dev-root", mountInput("transit"))
                            .status());
            assertEquals(
                    200,
                    vault.call("PUT", "transit/keys/orders", "dev-root", "{}").status());
            String policy = "path \"transit/keys/orders\" {\n  capabilities = [\"read\"]\n}\n";
            assertEquals(
                    204,
                    vault.call("PUT", "sys/policies/acl/orders", "dev-root", "{\"policy\":" + quoted(policy) + "}")
                            .status());
            Answer created = vault.call("POST", "auth/token/create", "dev-root", tokenCreateRequest("orders"));
            assertEquals(200, created.status());
            String token = created.json().getJsonObject("auth").getString("client_token");
            Answer key = vault.call("GET", "transit/keys/orders", token, null);
            assertEquals(200, key.status());
            assertEquals("orders", key.data().getString("name"));
            assertEquals(1, key.data().getInt("latest_version"));
            assertEquals(
                    "orders",
                    vault.call("GET", "auth/token/lookup-self", token, null)
                            .data()
                            .getJsonArray("policies")
                            .getString(1));
            assertEquals(
                    403,
                    vault.call("PUT", "transit/keys/orders/rotate", token, null).status());
            assertEquals(
                    403, vault.call("GET", "transit/keys/orders", "root", null).status(), "not this mock's token");

            // The database engine from java -jar: no JDBC driver on its class path, and it says so.
            Answer noDriver = vault.call("POST", "database/config/h2", "dev-root", h2Connection("jdbc:h2:mem:orders"));
            assertEquals(400, noDriver.status());
            assertThat(noDriver.error())
                    .isEqualTo("error creating database object: no JDBC driver for jdbc:h2:...; put it on the class"
                            + " path beside the testkit: java -cp mpsecrets-testkit.jar" + File.pathSeparator
                            + "<driver>.jar io.mpsecrets.testkit.Main ... (the connection_url must be reachable from"
                            + " the testkit)");
        }
    }

    /** {@code java -cp mpsecrets-testkit.jar:h2.jar io.mpsecrets.testkit.Main}: the database engine issues users. */
    @Test
    void withTheJdbcDriverOnTheClassPathTheDatabaseEngineIssuesUsers() throws Exception {
        try (Standalone testkit = start(true, "--port", "0")) {
            VaultHttp vault = new VaultHttp(testkit.endpoint());
            assertEquals(
                    204,
                    vault.call(
                                    "POST",
                                    "database/config/h2",
                                    "root",
                                    h2Connection("jdbc:h2:mem:standalone;DB_CLOSE_DELAY=-1"))
                            .status());
            assertEquals(
                    204,
                    vault.call(
                                    "POST",
                                    "database/roles/reader",
                                    "root",
                                    "{\"db_name\":\"h2\",\"creation_statements\":\"CREATE USER {{name}} PASSWORD"
                                            + " '{{password}}'\",\"default_ttl\":\"1h\"}")
                            .status());
            Answer creds = vault.call("GET", "database/creds/reader", "root", null);
            assertEquals(200, creds.status());
            assertThat(creds.data().getString("username")).startsWith("V_READER_");
        }
    }

    /** {@code --state DIR}: a value encrypted under a Transit key decrypts after the testkit is restarted. */
    @Test
    void withAStateDirectoryAValueStillDecryptsAfterARestart() throws Exception {
        Path state = temporary.resolve("state");
        String context = "{\"context\":\"b3JkZXJz\"";
        String ciphertext;
        String dataKey;
        try (Standalone testkit = start(false, "--port", "0", "--state", state.toString())) {
            assertThat(testkit.lines().get(testkit.lines().size() - 1))
                    .startsWith("vault state " + state.toAbsolutePath());
            VaultHttp vault = new VaultHttp(testkit.endpoint());
            assertEquals(
                    200, vault.call("POST", "transit/keys/orders", "root", "{}").status());
            JsonObject generated = vault.call("POST", "transit/datakey/plaintext/orders", "root", context + "}")
                    .data();
            ciphertext = generated.getString("ciphertext");
            dataKey = generated.getString("plaintext");
        }
        try (Standalone testkit = start(false, "--port", "0", "--state", state.toString())) {
            Answer decrypted = new VaultHttp(testkit.endpoint())
                    .call(
                            "POST",
                            "transit/decrypt/orders",
                            "root",
                            context + ",\"ciphertext\":\"" + ciphertext + "\"}");
            assertEquals(200, decrypted.status());
            assertEquals(dataKey, decrypted.data().getString("plaintext"));
        }
    }

    private static String h2Connection(String url) {
        return Json.createObjectBuilder()
                .add("plugin_name", "h2")
                .add("connection_url", url)
                .add("username", "sa")
                .add("password", "admin")
                .build()
                .toString();
    }

    /** The testkit in a child JVM with the jar's class path (and H2's), up to the line that says where its state is. */
    private static Standalone start(boolean withH2, String... args) throws Exception {
        List<String> classPath = new ArrayList<>(List.of(
                location(Main.class),
                location(jakarta.json.Json.class),
                location(org.eclipse.parsson.JsonProviderImpl.class)));
        if (withH2) {
            classPath.add(location(org.h2.Driver.class));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                String.join(File.pathSeparator, classPath),
                Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        Standalone started = new Standalone(process, out, lines, null);
        // A testkit that never prints its state line would block the read below: it is stopped, and the test fails.
        CompletableFuture<Void> printed = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS).execute(() -> {
            if (!printed.isDone()) {
                process.destroyForcibly();
            }
        });
        try {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("state in memory") || line.startsWith("vault state ")) {
                    break;
                }
            }
            printed.complete(null);
            assertThat(lines).as("the testkit's first lines").isNotEmpty();
            assertThat(lines.get(0)).matches("listening http://127\\.0\\.0\\.1:\\d+");
            assertThat(lines.get(lines.size() - 1))
                    .as("its last line says where its state is")
                    .contains("state ");
        } catch (RuntimeException | AssertionError e) {
            started.close();
            throw e;
        }
        return new Standalone(process, out, lines, URI.create(lines.get(0).substring("listening ".length())));
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
