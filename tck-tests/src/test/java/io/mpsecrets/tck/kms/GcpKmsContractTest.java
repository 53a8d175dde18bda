package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Cloud KMS: mp-secrets' REST client against the testkit's mock, its credentials from the {@code gcp} store's
 * settings (the KMS falls back to them).
 */
@WithMockServer
class GcpKmsContractTest extends KmsContract {

    private static final String RING = "projects/contract-project/locations/global/keyRings/contract";

    private final MockServer server;
    private final String key = RING + "/cryptoKeys/k" + System.nanoTime();

    @TempDir
    Path dir;

    GcpKmsContractTest(MockServer server) {
        this.server = server;
        server.gcp().kms().createKey(key);
    }

    @Override
    protected String kms() {
        return "gcp-kms";
    }

    @Override
    protected Map<String, String> settings() {
        Path file;
        try {
            file = server.gcp()
                    .auth()
                    .serviceAccountKeyFile(
                            dir.resolve("key.json"),
                            "contract@contract-project.iam.gserviceaccount.com",
                            "contract-project");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mpsecrets.kms.gcp-kms.endpoint", server.endpoint().toString(),
                "mpsecrets.gcp.credentials-file", file.toString());
    }

    @Override
    protected String keyId() {
        return "gcp-kms:" + key;
    }

    @Override
    protected String absentKeyId() {
        return "gcp-kms:" + RING + "/cryptoKeys/absent";
    }
}
