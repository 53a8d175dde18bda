package io.mpsecrets.quarkus.it;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.files.TempDirectory;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the tests run against: the committed test keyring, the testkit's mock AWS KMS on a free loopback port (a
 * key, and the KMS signing key encrypted under it), and a directory of mounted secret files. Handed to the
 * application as config, at run time only.
 */
public class MockServicesResource implements QuarkusTestResourceLifecycleManager {

    static final String SIGNING_KEY = "orders-signing-" + LeakGuard.CANARY;
    static final String KMS_SIGNING_KEY = "kms-signing-" + LeakGuard.CANARY;
    static final String PARTNER_KEY = "partner-1-" + LeakGuard.CANARY;
    static final String VENDOR_KEY = "vendor-" + LeakGuard.CANARY;
    static final String POOL_1 = "{\"user\":\"pool-1\",\"password\":\"pool-1-" + LeakGuard.CANARY + "\"}";

    static final String DB_PASSWORD = "db-" + LeakGuard.CANARY;

    /** The H2 login AgroalCredentialsTest's datasource starts with. */
    static final String ORDERS_DB_1 = "{\"user\":\"ORDERS_1\",\"password\":\"orders-1-" + LeakGuard.CANARY + "\"}";

    static Path secrets;
    private static TempDirectory secretsDirectory;
    static MockServer mock;

    @Override
    public Map<String, String> start() {
        try {
            TestProfiles.install();
            mock = MockServer.start();
            String keyArn = mock.kms().createKeyWithAlias("alias/orders-quarkus");
            mock.secretsManager().createSecret("orders/db", "{\"password\":\"" + DB_PASSWORD + "\"}");
            Map<String, String> aws = Map.of(
                    "region", "us-east-1", "endpoint", mock.endpoint().toString(), "profile", TestProfiles.WORKER1);
            String kmsValue;
            try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                    AwsKms.create(AwsClientSettings.read("", name -> Optional.ofNullable(aws.get(name)))),
                    keyArn,
                    EncryptionContext.forApplication("orders"))) {
                kmsValue =
                        encryptor.encrypt(KMS_SIGNING_KEY.getBytes(StandardCharsets.UTF_8), "orders.kms-signing-key");
            }
            secretsDirectory = TempDirectory.create("mpsecrets-quarkus-secrets");
            secrets = secretsDirectory.path();
            Files.writeString(secrets.resolve("partner"), PARTNER_KEY);
            Files.writeString(secrets.resolve("vendor"), VENDOR_KEY);
            Files.writeString(secrets.resolve("pool"), POOL_1);
            Files.writeString(secrets.resolve("orders-db"), ORDERS_DB_1);
            Map<String, String> config = new HashMap<>();
            // Every KMS a test class here uses: this resource's config applies to all of them, and a class with a
            // resource of its own (AzureResource, GoogleCloudResource) cannot count on its value of a shared key
            // winning. A KMS is built only when a value names it.
            config.put("mpsecrets.kms", "local,aws,azure-keyvault,gcp-kms");
            config.put(
                    "mpsecrets.kms.local.keyring",
                    Path.of(getClass().getResource("/test-keyring.json").toURI())
                            .toString());
            config.put("mpsecrets.kms.aws.region", "us-east-1");
            config.put("mpsecrets.kms.aws.endpoint", mock.endpoint().toString());
            config.put("mpsecrets.kms.aws.profile", TestProfiles.WORKER1);
            config.put("orders.kms-signing-key", kmsValue);
            config.put("mpsecrets.file.dir", secrets.toString());
            config.put("mpsecrets.sources", "file");
            config.put("mpsecrets.file.ttl", "PT0.1S");
            config.put("mpsecrets.rotation.interval", "PT0.2S");
            config.put("partner.api-key", "${file::partner}");
            // A @RotationScoped bean's user and password, from one secret; retired instances live 0.5 s.
            config.put("pool.user", "${file::pool#user}");
            config.put("pool.password", "${file::pool#password}");
            config.put("mpsecrets.rotation.grace", "PT0.5S");
            // Secrets Manager: a value kept 0.2 s and served stale 0.01 s past that, so an outage shows at once.
            config.put("mpsecrets.aws.region", "us-east-1");
            config.put("mpsecrets.aws.endpoint", mock.endpoint().toString());
            config.put("mpsecrets.aws.profile", TestProfiles.WORKER1);
            config.put("mpsecrets.aws.ttl", "PT0.2S");
            config.put("mpsecrets.aws.max-stale", "PT0.01S");
            config.put("mpsecrets.aws.max-attempts", "1");
            config.put("orders.db-password", "${aws::orders/db#password}");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (mock != null) {
            mock.close();
        }
        if (secretsDirectory != null) {
            secretsDirectory.close();
        }
    }
}
