package io.mpsecrets.tck.provider;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.provider.aws.AwsSecretsManagerProvider;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.Map;
import java.util.Optional;

/** AWS Secrets Manager: the real SDK client against the testkit's mock. */
@WithMockServer
class AwsSecretsManagerContractTest extends SecretProviderContract {

    private final MockServer server;

    AwsSecretsManagerContractTest(MockServer server) {
        this.server = server;
        TestProfiles.install();
    }

    @Override
    protected SecretProvider provider() {
        Map<String, String> settings = Map.of("region", "us-east-1", "endpoint", server.endpoint().toString(),
                "profile", TestProfiles.WORKER1, "max-attempts", "1");
        return AwsSecretsManagerProvider.create(AwsClientSettings.read("", name -> Optional.ofNullable(settings.get(name))));
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
    protected boolean binary() {
        return true;
    }

    @Override
    protected SecretId putBinary(String name, byte[] bytes) {
        server.secretsManager().createBinarySecret(name, bytes);
        return SecretId.of(name);
    }

    @Override
    protected Optional<SecretId> earlierVersion(SecretId current, String versionId) {
        return Optional.of(new SecretId(current.path(), null, versionId, null));
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
