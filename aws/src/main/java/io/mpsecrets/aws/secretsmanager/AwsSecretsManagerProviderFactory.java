package io.mpsecrets.aws.secretsmanager;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretProvider.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretProviderFactory;
import io.mpsecrets.aws.AwsClientSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code aws}: AWS Secrets Manager through the AWS SDK v2, configured from {@code mpsecrets.aws.*} (region, endpoint,
 * profile, timeout, max-attempts).
 */
public final class AwsSecretsManagerProviderFactory implements SecretProviderFactory {

    @Override
    public String name() {
        return AwsSecretsManagerProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.BINARY, Capability.BATCH, Capability.FIELDS);
    }

    @Override
    public SecretProvider create(BackendContext context) {
        return AwsSecretsManagerProvider.create(AwsClientSettings.read(context.prefix(), context::setting));
    }
}
