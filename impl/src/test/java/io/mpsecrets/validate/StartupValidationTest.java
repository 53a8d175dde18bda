package io.mpsecrets.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mpsecrets.validate at application start-up, in a CDI container. */
class StartupValidationTest {

    @TempDir
    Path dir;

    /** An application needs at least one bean. */
    @jakarta.enterprise.context.Dependent
    public static class SomeBean {}

    private void start(String mode, String... more) {
        Path keyringFile = dir.resolve("keyring-" + mode + ".json");
        LocalKeyring keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.kms.local.keyring",
                keyringFile.toString(),
                "mpsecrets.validate",
                mode,
                "mpsecrets.validate.required",
                "db.password,api.key",
                "db.password",
                Fixtures.encrypt(keyring, "changeme", "db.password"),
                "mail.password",
                "plain-but-" + LeakGuard.CANARY,
                "mpsecrets.secret-class.high",
                "mail.password"));
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        WeldApplication.start(config, SomeBean.class).close();
    }

    @Test
    void failStopsTheApplicationWithOneMessageListingEveryProblem() {
        Throwable failure = assertThrows(Throwable.class, () -> start("fail"));
        LeakGuard.assertNoLeak(failure);
        StringWriter printed = new StringWriter();
        failure.printStackTrace(new PrintWriter(printed));
        // A placeholder is not also reported as too short: one finding says what to fix.
        assertThat(printed.toString())
                .contains(
                        "mp-secrets: 3 secret problem(s) (mpsecrets.validate=fail)",
                        "api.key: missing",
                        "db.password: placeholder",
                        "mail.password: plaintext")
                .doesNotContain("too-short");
    }

    @Test
    void warnLogsTheProblemsAndStarts() {
        start("warn");
        assertThat(LeakGuard.capturedOutput())
                .contains("secret problem: api.key: missing", "secret problem: mail.password: plaintext");
    }

    @Test
    void aPlaintextSecretFoundByItsNameStopsTheApplication() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.validate",
                                "fail",
                                "smtp.password",
                                "Plain-Text-Passw0rd-" + LeakGuard.CANARY),
                        "app",
                        100))
                .build();
        Throwable failure = assertThrows(
                Throwable.class,
                () -> WeldApplication.start(config, SomeBean.class).close());
        LeakGuard.assertNoLeak(failure);
        StringWriter printed = new StringWriter();
        failure.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).contains("smtp.password: plaintext");
    }

    @Test
    void offChecksNothing() {
        start("off");
        assertThat(LeakGuard.capturedOutput()).doesNotContain("secret problem");
    }

    /** Issue 36, item 1: a mistyped setting was silently without effect. */
    @Test
    void aMistypedSettingIsNamedWithTheNearestKnownOneAndStopsTheApplicationUnderFail() {
        start("off", "mpsecrets.cache.tll", "PT1M", "mpsecrets.file.directory", "/run/secrets");
        assertThat(LeakGuard.capturedOutput())
                .contains(
                        "unknown setting mpsecrets.cache.tll (did you mean mpsecrets.cache.ttl?)",
                        "unknown setting mpsecrets.file.directory (did you mean mpsecrets.file.dir?)");

        Throwable failure = assertThrows(Throwable.class, () -> start("fail", "mpsecrets.rotation.intervall", "PT1M"));
        StringWriter printed = new StringWriter();
        failure.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString())
                .contains("unknown setting(s) (mpsecrets.validate=fail): mpsecrets.rotation.intervall (did you mean "
                        + "mpsecrets.rotation.interval?)");
    }
}
