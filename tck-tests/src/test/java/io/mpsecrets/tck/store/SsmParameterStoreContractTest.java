package io.mpsecrets.tck.store;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.Map;

/**
 * AWS Systems Manager Parameter Store: the real SDK client against the testkit's mock; parameters are SecureStrings.
 */
@WithMockServer
class SsmParameterStoreContractTest extends SecretStoreContract {

    private static final String PATH = "/contract";

    private final MockServer server;

    SsmParameterStoreContractTest(MockServer server) {
        this.server = server;
        TestProfiles.install();
    }

    @Override
    protected String store() {
        return "ssm";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.ssm.region",
                "us-east-1",
                "mpsecrets.ssm.endpoint",
                server.endpoint().toString(),
                "mpsecrets.ssm.profile",
                TestProfiles.WORKER1,
                "mpsecrets.ssm.max-attempts",
                "1",
                "mpsecrets.ssm.path",
                PATH);
    }

    @Override
    protected SecretId put(String name, String text) {
        server.ssm().putParameter(PATH + "/" + name, text, true);
        return SecretId.of(PATH + "/" + name);
    }

    @Override
    protected SecretId absent(String name) {
        return SecretId.of(PATH + "/" + name);
    }

    @Override
    protected boolean breakStore() {
        server.ssm().faults().errorRate(1.0);
        return true;
    }

    @Override
    protected void repairStore() {
        server.ssm().faults().reset();
    }
}
