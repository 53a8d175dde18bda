package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.Map;

/** AWS KMS: the real SDK client against the testkit's mock KMS. */
@WithMockServer
class AwsKmsContractTest extends KmsContract {

    private final MockServer server;
    private final String key;

    AwsKmsContractTest(MockServer server) {
        this.server = server;
        TestProfiles.install();
        this.key = server.kms().createKeyWithAlias("alias/contract-" + System.nanoTime());
    }

    @Override
    protected String kms() {
        return "aws";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.kms.aws.region",
                "us-east-1",
                "mpsecrets.kms.aws.endpoint",
                server.endpoint().toString(),
                "mpsecrets.kms.aws.profile",
                TestProfiles.WORKER1,
                "mpsecrets.kms.aws.max-attempts",
                "1");
    }

    @Override
    protected String keyId() {
        return key;
    }

    @Override
    protected String absentKeyId() {
        return "arn:aws:kms:us-east-1:" + MockServer.DEFAULT_ACCOUNT + ":key/00000000-0000-0000-0000-000000000000";
    }
}
