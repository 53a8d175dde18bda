package io.mpsecrets.tck.kms;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * AWS KMS over two regions with a Multi-Region key: the contract holds for values made through either region's
 * replica (the application lives in the first region listed).
 */
class AwsKmsRegionsContractTest extends KmsContract {

    private static final MockServer CENTRAL =
            MockServer.builder().region("eu-central-1").start();
    private static final MockServer WEST =
            MockServer.builder().region("eu-west-1").start();

    private final String key;

    AwsKmsRegionsContractTest() {
        TestProfiles.install();
        String primary = WEST.kms().createMultiRegionKey("contract");
        this.key = WEST.kms().replicateKey(primary, CENTRAL.kms());
    }

    @AfterAll
    static void stop() {
        CENTRAL.close();
        WEST.close();
    }

    @Override
    protected String kms() {
        return "aws";
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                "mpsecrets.kms.aws.regions",
                "eu-central-1,eu-west-1",
                "mpsecrets.kms.aws.endpoint.eu-central-1",
                CENTRAL.endpoint().toString(),
                "mpsecrets.kms.aws.endpoint.eu-west-1",
                WEST.endpoint().toString(),
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
        return "arn:aws:kms:eu-central-1:" + MockServer.DEFAULT_ACCOUNT + ":key/mrk-00000000000000000000000000000000";
    }
}
