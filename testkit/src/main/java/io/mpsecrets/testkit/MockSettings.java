package io.mpsecrets.testkit;

import io.mpsecrets.testkit.aws.TestProfiles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mp-secrets settings that point an application at a {@link MockServer}: AWS KMS and Secrets Manager on its
 * endpoint in {@link MockServer#DEFAULT_REGION} as {@link TestProfiles#WORKER1} (whose key the mock's default
 * policies allow), and Vault on its address with its root token. The AWS profiles must be installed where the
 * application runs ({@link TestProfiles#install()} in this JVM, {@link TestProfiles#main} for a server's).
 */
public final class MockSettings {

    private MockSettings() {}

    public static Map<String, String> of(MockServer server) {
        String endpoint = server.endpoint().toString();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mpsecrets.kms.aws.endpoint", endpoint);
        settings.put("mpsecrets.kms.aws.region", MockServer.DEFAULT_REGION);
        settings.put("mpsecrets.kms.aws.profile", TestProfiles.WORKER1);
        settings.put("mpsecrets.aws.endpoint", endpoint);
        settings.put("mpsecrets.aws.region", MockServer.DEFAULT_REGION);
        settings.put("mpsecrets.aws.profile", TestProfiles.WORKER1);
        settings.put("mpsecrets.ssm.endpoint", endpoint);
        settings.put("mpsecrets.ssm.region", MockServer.DEFAULT_REGION);
        settings.put("mpsecrets.ssm.profile", TestProfiles.WORKER1);
        settings.put("mpsecrets.vault.address", endpoint);
        settings.put("mpsecrets.vault.token", server.vault().rootToken());
        return settings;
    }
}
