package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.gcp.MockSecretManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Google Cloud Secret Manager: mp-secrets' REST client, with a service account key, against the testkit's mock. */
@WithMockServer
class GcpSecretManagerContractTest extends SecretStoreContract {

    private static final String PROJECT = "contract-project";
    private static final Map<String, String> LABELS = Map.of("contract", "yes");

    private final MockServer server;
    private final MockSecretManager secrets;

    @TempDir
    Path dir;

    GcpSecretManagerContractTest(MockServer server) {
        this.server = server;
        this.secrets = server.gcp().secretManager();
    }

    @Override
    protected String store() {
        return "gcp";
    }

    @Override
    protected Map<String, String> settings() {
        Path key;
        try {
            key = server.gcp()
                    .auth()
                    .serviceAccountKeyFile(
                            dir.resolve("key.json"), "contract@" + PROJECT + ".iam.gserviceaccount.com", PROJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mpsecrets.gcp.endpoint",
                server.endpoint().toString(),
                "mpsecrets.gcp.credentials-file",
                key.toString(),
                "mpsecrets.gcp.project",
                PROJECT,
                "mpsecrets.gcp.max-attempts",
                "1",
                // The store lists the secrets that have these labels; every secret put here has them.
                "mpsecrets.gcp.labels",
                "contract=yes");
    }

    private static String full(String name) {
        return "projects/" + PROJECT + "/secrets/" + name;
    }

    @Override
    protected SecretId put(String name, String text) {
        if (!secrets.exists(full(name))) {
            secrets.createSecret(full(name), text.getBytes(StandardCharsets.UTF_8), LABELS);
        } else {
            secrets.addVersion(full(name), text);
        }
        return SecretId.of(name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(name);
    }

    @Override
    protected SecretId putBinary(String name, byte[] bytes) {
        secrets.createSecret(full(name), bytes, LABELS);
        return SecretId.of(name);
    }

    @Override
    protected boolean breakStore() {
        secrets.faults().errorRate(1.0);
        return true;
    }

    @Override
    protected void repairStore() {
        secrets.faults().reset();
    }
}
