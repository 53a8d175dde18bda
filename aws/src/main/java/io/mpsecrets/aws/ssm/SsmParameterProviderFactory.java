package io.mpsecrets.aws.ssm;

import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretProvider.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretProviderFactory;
import io.mpsecrets.aws.AwsClientSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code ssm}: AWS Systems Manager Parameter Store through the AWS SDK v2, configured from {@code mpsecrets.ssm.*}
 * (region, endpoint, profile, timeout, max-attempts, and {@code path}, the parameters served as a config source,
 * listed within {@code max-parameters} and {@code max-list-size}).
 */
public final class SsmParameterProviderFactory implements SecretProviderFactory {

    @Override
    public String name() {
        return SsmParameterProvider.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.BATCH, Capability.LIST);
    }

    @Override
    public SecretProvider create(BackendContext context) {
        return SsmParameterProvider.create(
                AwsClientSettings.read(context.prefix(), context::setting),
                context.setting(context.prefix() + "path"),
                SsmParameterProvider.Listing.read(context.prefix(), context::setting));
    }
}
