package io.mpsecrets.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 7: SmallRye's converters quote a value they cannot convert in their error, and newer SmallRye logs values
 * it converted: a secret injected as an {@code int}, a {@code Duration} or a {@code URI} can end up in a log. At
 * deployment each injection point that converts a secret property to another type than text is named in a warning.
 */
class ConverterWarningTest {

    @TempDir
    Path dir;

    @Dependent
    public static class Holder {
        @Inject
        @ConfigProperty(name = "pool.size")
        int poolSize;

        @Inject
        @ConfigProperty(name = "db.password")
        String password;

        @Inject
        @ConfigProperty(name = "db.password")
        Supplier<String> passwordSupplier;

        @Inject
        @ConfigProperty(name = "api.timeout")
        Optional<Duration> timeout;

        @Inject
        @ConfigProperty(name = "app.workers")
        int workers;
    }

    @Test
    void eachInjectionPointConvertingASecretIsNamedAtDeployment() {
        LocalKeyring keyring = LocalKeyring.generate("dev");
        Path keyringFile = dir.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.kms.local.keyring", keyringFile.toString(),
                                "pool.size", Fixtures.encrypt(keyring, "42", "pool.size"),
                                "db.password", Fixtures.encrypt(keyring, "pw-" + LeakGuard.CANARY, "db.password"),
                                "api.timeout", Fixtures.encrypt(keyring, "PT5S", "api.timeout"),
                                "app.workers", "4"),
                        "app",
                        100))
                .build();
        try (WeldApplication application = WeldApplication.start(config, Holder.class)) {
            assertThat(application.bean(Holder.class).poolSize).isEqualTo(42);
        }
        String output = LeakGuard.capturedOutput();
        assertThat(output.lines()
                        .filter(l ->
                                l.startsWith("io.mpsecrets.cdi WARNING") && l.contains("converts the secret property")))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("'pool.size'", "int", Holder.class.getName() + ".poolSize"))
                .anySatisfy(
                        l -> assertThat(l).contains("'api.timeout'", "Duration", Holder.class.getName() + ".timeout"));
    }
}
