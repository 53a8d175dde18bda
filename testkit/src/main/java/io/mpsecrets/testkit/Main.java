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
 * [--region R]}: serves the mocks until stopped, and prints first {@code listening http://127.0.0.1:<port>}.
 *
 * <p>Policies file: {@code {"kms": {"alias/orders": [statement, ...]}, "secretsmanager": {"prod/db": [...]}}}, with
 * statements as in {@link Policy}; keys and secrets named there must exist (create keys with {@code --create-key}).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        String region = MockServer.DEFAULT_REGION;
        String vaultToken = "root";
        Path policies = null;
        List<String> keys = new ArrayList<>();
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
                case "--policies":
                case "--kms-policies":
                    policies = Path.of(args[++i]);
                    break;
                case "--create-key":
                    keys.add(args[++i]);
                    break;
                default:
                    System.err.println(
                            "usage: --port N [--policies FILE] [--create-key alias/NAME]... [--vault-token T] "
                                    + "[--region R]");
                    System.exit(2);
            }
        }
        MockServer server = MockServer.builder()
                .port(port)
                .region(region)
                .vaultToken(vaultToken)
                .start();
        System.out.println("listening " + server.endpoint());
        for (String alias : keys) {
            System.out.println("kms key " + server.kms().createKeyWithAlias(alias) + " " + alias);
        }
        if (policies != null) {
            applyPolicies(server, policies);
        }
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
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
