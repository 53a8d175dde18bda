package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.Map;

/** AWS Secrets Manager: the real SDK client against the testkit's mock. */
@WithMockServer
class AwsSecretsManagerContractTest extends SecretStoreContract {

    private final MockServer server;

    AwsSecretsManagerContractTest(MockServer server) {
        this.server = server;
        TestProfiles.install();
    }

    @Override
    protected String store() {
        return "aws";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.aws.region",
                "us-east-1",
                "mpsecrets.aws.endpoint",
                server.endpoint().toString(),
                "mpsecrets.aws.profile",
                TestProfiles.WORKER1,
                "mpsecrets.aws.max-attempts",
                "1");
    }

    @Override
    protected SecretId put(String name, String text) {
        if (!server.secretsManager().exists(name)) {
            server.secretsManager().createSecret(name, text);
        } else {
            server.secretsManager().putSecretValue(name, text);
        }
        return SecretId.of(name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(name);
    }

    @Override
    protected SecretId putBinary(String name, byte[] bytes) {
        server.secretsManager().createBinarySecret(name, bytes);
        return SecretId.of(name);
    }

    @Override
    protected boolean breakStore() {
        server.secretsManager().faults().errorRate(1.0);
        return true;
    }

    @Override
    protected void repairStore() {
        server.secretsManager().faults().reset();
    }
}
