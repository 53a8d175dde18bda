package io.mpsecrets.testkit;

import io.mpsecrets.testkit.mock.Policy;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar mpsecrets-testkit.jar --port 0 [--policies FILE] [--create-key alias/name]... [--vault-token T]
 * [--state DIR] [--region R]}: serves the mocks until stopped. It prints first {@code listening
 * http://127.0.0.1:<port>}, then where each mock is and how to reach it (the Vault token, the region, the mp-secrets
 * settings; Azure Key Vault's https URL and its test CA's PEM file each on a line of their own), whether the Vault
 * mock keeps its state, then the keys it created; docs/testing.md has the whole output.
 *
 * <p>Policies file: {@code {"kms": {"alias/orders": [statement, ...]}, "secretsmanager": {"prod/db": [...]}}}, with
 * statements as in {@link Policy}; keys and secrets named there must exist (create keys with {@code --create-key}).
 * The database engine of the Vault mock needs the JDBC driver of its database on the class path:
 * {@code java -cp mpsecrets-testkit.jar:h2.jar io.mpsecrets.testkit.Main ...}.
 */
public final class Main {

    static final String USAGE = "usage: java -jar mpsecrets-testkit.jar --port N [--policies FILE]"
            + " [--create-key alias/NAME]... [--vault-token T] [--state DIR] [--region R]";

    private Main() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        String region = MockServer.DEFAULT_REGION;
        String vaultToken = "root";
        Path vaultState = null;
        Path policies = null;
        List<String> keys = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port":
                        port = Integer.parseInt(args[++i]);
                        break;
                    case "--region":
                        region = args[++i];
                        break;
                    case "--vault-token":
                        vaultToken = args[++i];
                        break;
                    case "--state":
                        vaultState = Path.of(args[++i]);
                        break;
                    case "--policies":
                    case "--kms-policies":
                        policies = Path.of(args[++i]);
                        break;
                    case "--create-key":
                        keys.add(args[++i]);
                        break;
                    default:
                        throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        MockServer server;
        try {
            server = MockServer.builder()
                    .port(port)
                    .region(region)
                    .vaultToken(vaultToken)
                    .vaultState(vaultState)
                    .start();
        } catch (IllegalStateException e) {
            System.err.println("mpsecrets-testkit: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("listening " + server.endpoint());
        banner(server, region).forEach(System.out::println);
        for (String alias : keys) {
            System.out.println("kms key " + server.kms().createKeyWithAlias(alias) + " " + alias);
        }
        if (policies != null) {
            applyPolicies(server, policies);
        }
        // Google's clients need credentials the mock issued tokens for: user credentials, in a file of their own.
        Path adc = Files.createTempFile("mpsecrets-testkit-gcp-", ".json");
        adc.toFile().deleteOnExit();
        Files.writeString(adc, server.gcp().auth().authorizedUser("developer@example.com", "mock-project"));
        System.out.println("  export GOOGLE_APPLICATION_CREDENTIALS=" + adc + " (developer@example.com, project"
                + " mock-project)");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
    }

    /**
     * What a developer needs to point a client at each mock: its endpoint, the Vault token (the mock's own, given on
     * the command line or {@code root}, printed as {@code vault server -dev} prints its root token), the region, and
     * whether what it holds outlives it.
     */
    static List<String> banner(MockServer server, String region) {
        String endpoint = server.endpoint().toString();
        String token = server.vault().rootToken();
        List<String> lines = new ArrayList<>();
        lines.add("vault " + endpoint + " token " + token);
        lines.add("  export VAULT_ADDR=" + endpoint + " VAULT_TOKEN=" + token);
        lines.add("  mpsecrets.vault.address=" + endpoint + " mpsecrets.vault.token=" + token);
        lines.add("kms " + endpoint + " region " + region);
        lines.add("secretsmanager " + endpoint + " region " + region);
        lines.add("ssm " + endpoint + " region " + region);
        lines.add("  any access key id (it is the caller) and secret key; signatures are not checked");
        lines.add("  mpsecrets.kms.aws.endpoint=" + endpoint + " mpsecrets.aws.endpoint=" + endpoint
                + " mpsecrets.ssm.endpoint=" + endpoint);
        // Azure's clients speak https only: the mock has a port and a test CA of its own, each on a line of its own.
        String azure = server.azure().vaultUrl().toString();
        lines.add("azure " + azure + " tenant " + server.azure().tenant());
        lines.add("azure ca " + server.azure().caBundle().toAbsolutePath());
        lines.add("  mpsecrets.azure.vault-url=" + azure + " mpsecrets.azure.authority-host=" + azure
                + " mpsecrets.azure.ca-bundle=" + server.azure().caBundle().toAbsolutePath()
                + " mpsecrets.azure.challenge-resource-verification=false");
        lines.add("gcp " + endpoint + " Secret Manager and Cloud KMS (v1 REST), token endpoint " + endpoint + "/token");
        lines.add("  mpsecrets.gcp.endpoint=" + endpoint + " mpsecrets.kms.gcp-kms.endpoint=" + endpoint);
        lines.add(server.vault()
                .stateDirectory()
                .map(dir -> "vault state " + dir.toAbsolutePath()
                        + " (mounts, KV values, Transit keys, policies, tokens; the AWS mocks are in memory)")
                .orElse("state in memory: keys and values are gone when the testkit stops (--state DIR"
                        + " keeps the Vault mock's)"));
        return lines;
    }

    static void applyPolicies(MockServer server, Path file) throws IOException {
        JsonObject json;
        try (InputStream in = Files.newInputStream(file);
                JsonReader reader = Json.createReader(in)) {
            json = reader.readObject();
        }
        for (Map.Entry<String, JsonValue> entry : json.getOrDefault("kms", JsonValue.EMPTY_JSON_OBJECT)
                .asJsonObject()
                .entrySet()) {
            server.kms().policy(entry.getKey(), Policy.fromJson(entry.getValue().asJsonArray()));
        }
        for (Map.Entry<String, JsonValue> entry : json.getOrDefault("secretsmanager", JsonValue.EMPTY_JSON_OBJECT)
                .asJsonObject()
                .entrySet()) {
            server.secretsManager()
                    .policy(entry.getKey(), Policy.fromJson(entry.getValue().asJsonArray()));
        }
    }
}
