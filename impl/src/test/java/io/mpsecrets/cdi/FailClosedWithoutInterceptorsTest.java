package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An application whose MicroProfile Config does not run mp-secrets' interceptors (here: SmallRye built without
 * discovered interceptors, as a non-SmallRye server would be) never starts with a ciphertext or an unresolved
 * reference where it expects a secret.
 */
class FailClosedWithoutInterceptorsTest {

    @Dependent
    public static class SomeBean {}

    private static void deploy(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        WeldApplication.start(config, SomeBean.class).close();
    }

    private static String printed(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void encryptedValuesAndReferencesStopTheDeploymentNamingEachProperty() {
        String encrypted = Fixtures.encrypt(LocalKeyring.generate("dev"), "s3cr3t-" + LeakGuard.CANARY, "db.password");
        Throwable failure = assertThrows(
                DeploymentException.class,
                () -> deploy(Map.of(
                        "db.password", encrypted,
                        "padded.password", " " + encrypted + " ",
                        "api.key", "${aws::prod/payments#api_key}",
                        "jdbc.url", "jdbc:postgresql://db/orders?password=${file::db-password}",
                        "app.greeting", "hello")));
        assertThat(printed(failure))
                .contains("does not run mp-secrets' interceptors", "api.key, db.password, jdbc.url, padded.password")
                .doesNotContain("app.greeting");
        LeakGuard.assertNoLeak(failure);
        assertThat(printed(failure)).doesNotContain(encrypted);
    }

    @Test
    void anApplicationWithoutSecretsStillDeploys() {
        deploy(Map.of("app.greeting", "hello", "escaped", "\\${aws::not-a-reference-but-text}x"));
    }
}
