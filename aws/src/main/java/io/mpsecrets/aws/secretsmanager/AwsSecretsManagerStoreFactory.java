package io.mpsecrets.aws.secretsmanager;

import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
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
                Capability.VERSIONS,
                Capability.ROTATION_CHECK,
                Capability.BATCH_VERSIONS,
                Capability.BINARY,
                Capability.BATCH,
                Capability.FIELDS);
    }

    /** Without {@code BATCH_VERSIONS} when {@code rotation-check=describe}. */
    @Override
    public Set<Capability> capabilities(BackendContext context) {
        Set<Capability> all = EnumSet.copyOf(capabilities());
        if (!lists(context)) {
            all.remove(Capability.BATCH_VERSIONS);
        }
        return all;
    }

    @Override
    public SecretStore create(BackendContext context) {
        AwsClientSettings client = AwsClientSettings.read(context.prefix(), context::setting);
        return AwsSecretsManagerStore.create(
                client,
                new AwsSecretsManagerStore.VersionChecks(
                        lists(context), AwsSecretsManagerStore.VersionChecks.DEFAULT.maxPages(), client.timeout()));
    }

    private static boolean lists(BackendContext context) {
        Settings settings = context.settings();
        String check = settings.string(context.prefix() + ROTATION_CHECK).orElse("list");
        if (!"list".equals(check) && !"describe".equals(check)) {
            throw new ConfigurationException(context.prefix() + ROTATION_CHECK + " must be list or describe");
        }
        return "list".equals(check);
    }

    /** {@code list}: batched checks by ListSecrets (the default); {@code describe}: one DescribeSecret a secret. */
    static final String ROTATION_CHECK = "rotation-check";

    /** The AWS client's settings, under {@code mpsecrets.aws.}, and {@code rotation-check}. */
    @Override
    public Set<String> settingNames() {
        return AwsClientSettings.names(ROTATION_CHECK);
    }
}
