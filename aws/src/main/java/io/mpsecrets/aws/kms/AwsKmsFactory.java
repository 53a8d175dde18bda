package io.mpsecrets.aws.kms;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import io.mpsecrets.aws.AwsClientSettings;

/**
 * {@code aws}: AWS KMS through the AWS SDK v2, configured from {@code mpsecrets.kms.aws.*} (region, endpoint,
 * profile, timeout, max-attempts). Key ids: key and alias ARNs, {@code alias/...} names and key ids.
 */
public final class AwsKmsFactory implements KeyManagementServiceFactory {

    public static final String NAME = "aws";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean supports(String keyId) {
        return AwsKms.isAwsKeyId(keyId);
    }

    @Override
    public KeyManagementService create(BackendContext context) {
        return AwsKms.create(AwsClientSettings.read(context.prefix(), context::setting));
    }
}
