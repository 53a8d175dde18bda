package io.mpsecrets.aws.kms;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import io.mpsecrets.aws.AwsClientSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code aws}: AWS KMS through the AWS SDK v2, configured from {@code mpsecrets.kms.aws.*} (region, endpoint,
 * profile, timeout, max-attempts; or {@code regions}, in order of preference, with {@code endpoint.<region>} where a
 * region is reached at its own endpoint). Key ids: key and alias ARNs, {@code alias/...} names and key ids.
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
        AwsClientSettings base = AwsClientSettings.read(context.prefix(), context::setting);
        Settings settings = context.settings();
        List<String> regions = settings.list(context.prefix() + "regions");
        if (regions.isEmpty()) {
            return AwsKms.create(base);
        }
        if (Set.copyOf(regions).size() != regions.size()) {
            throw new ConfigurationException(context.prefix() + "regions lists a region twice");
        }
        if (base.region().isPresent() && !base.region().get().equals(regions.get(0))) {
            throw new ConfigurationException(
                    context.prefix() + "region (" + base.region().get() + ") is not the first of " + context.prefix()
                            + "regions (" + String.join(",", regions) + "): set one of them");
        }
        List<AwsClientSettings> each = new ArrayList<>();
        for (String region : regions) {
            each.add(base.inRegion(
                    region,
                    settings.url(context.prefix() + "endpoint." + region).or(base::endpoint)));
        }
        return AwsKms.create(each, context.events());
    }

    /** The AWS client's settings and the regions', under {@code mpsecrets.kms.aws.}. */
    @Override
    public Set<String> settingNames() {
        return AwsClientSettings.names("regions", "endpoint.*");
    }
}
