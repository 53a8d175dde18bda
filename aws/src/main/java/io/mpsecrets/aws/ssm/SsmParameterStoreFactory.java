package io.mpsecrets.aws.ssm;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import io.mpsecrets.aws.AwsClientSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code ssm}: AWS Systems Manager Parameter Store through the AWS SDK v2, configured from {@code mpsecrets.ssm.*}
 * (region, endpoint, profile, timeout, max-attempts, and {@code path}, the parameters served as a config source,
 * listed within {@code max-parameters} and {@code max-list-size}).
 */
public final class SsmParameterStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return SsmParameterStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.VERSIONS,
                Capability.ROTATION_CHECK,
                Capability.BATCH_VERSIONS,
                Capability.BATCH,
                Capability.LIST);
    }

    @Override
    public SecretStore create(BackendContext context) {
        return SsmParameterStore.create(
                AwsClientSettings.read(context.prefix(), context::setting),
                context.setting(context.prefix() + "path"),
                SsmParameterStore.Listing.read(context.prefix(), context::setting));
    }

    /**
     * Without {@code BATCH_VERSIONS} when {@code rotation-check=describe}: each parameter's own
     * {@code DescribeParameters} per TTL, as before batched checks; {@code list} (the default) asks 50 a call.
     */
    @Override
    public Set<Capability> capabilities(BackendContext context) {
        String check =
                context.settings().string(context.prefix() + "rotation-check").orElse("list");
        if (!"list".equals(check) && !"describe".equals(check)) {
            throw new ConfigurationException(context.prefix() + "rotation-check must be list or describe");
        }
        Set<Capability> all = EnumSet.copyOf(capabilities());
        if ("describe".equals(check)) {
            all.remove(Capability.BATCH_VERSIONS);
        }
        return all;
    }

    /** The AWS client's settings, the listing's and {@code rotation-check}, under {@code mpsecrets.ssm.}. */
    @Override
    public Set<String> settingNames() {
        return AwsClientSettings.names("path", "max-parameters", "max-list-size", "rotation-check");
    }
}
