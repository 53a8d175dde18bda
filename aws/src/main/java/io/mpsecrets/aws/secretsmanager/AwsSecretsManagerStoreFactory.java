package io.mpsecrets.aws.secretsmanager;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.SecretStoreFactory;
import io.mpsecrets.aws.AwsClientSettings;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code aws}: AWS Secrets Manager through the AWS SDK v2, configured from {@code mpsecrets.aws.*} (region, endpoint,
 * profile, timeout, max-attempts).
 */
public final class AwsSecretsManagerStoreFactory implements SecretStoreFactory {

    @Override
    public String name() {
        return AwsSecretsManagerStore.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.VERSIONS, Capability.ROTATION_CHECK, Capability.BINARY, Capability.BATCH, Capability.FIELDS);
    }

    @Override
    public SecretStore create(BackendContext context) {
        return AwsSecretsManagerStore.create(AwsClientSettings.read(context.prefix(), context::setting));
    }

    /** The AWS client's settings, under {@code mpsecrets.aws.}. */
    @Override
    public Set<String> settingNames() {
        return AwsClientSettings.NAMES;
    }
}
