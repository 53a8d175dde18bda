package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core runs without the AWS SDK: impl's test class path has none of it (the AWS backends are a module of their
 * own), and an application with a local-keyring {@code ENC} value and a mounted-file secret deploys in Weld and gets
 * both decrypted and resolved.
 */
class CoreWithoutAwsTest {

    @TempDir
    Path dir;

    @Dependent
    public static class Holder {
        @Inject
        @ConfigProperty(name = "db.password")
        String password;

        @Inject
        @ConfigProperty(name = "api.key")
        String apiKey;
    }

    @Test
    void noAwsSdkOnTheClassPathAndTheCoreWorks() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("software.amazon.awssdk.core.SdkBytes"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.mpsecrets.aws.kms.AwsKmsFactory"));

        Path keyringFile = dir.resolve("keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        Files.writeString(
                Files.createDirectories(dir.resolve("secrets")).resolve("api-key"), "key-" + LeakGuard.CANARY);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                                "mpsecrets.file.dir", dir.resolve("secrets").toString(),
                                "db.password", Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password"),
                                "api.key", "${file::api-key}"),
                        "app",
                        100))
                .build();
        try (WeldApplication application = WeldApplication.start(config, Holder.class)) {
            Holder holder = application.bean(Holder.class);
            assertEquals("pw-" + LeakGuard.CANARY, holder.password);
            assertEquals("key-" + LeakGuard.CANARY, holder.apiKey);
        }
        assertThat(LeakGuard.capturedOutput()).doesNotContain(LeakGuard.CANARY);
    }
}
