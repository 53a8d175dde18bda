package io.mpsecrets.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.WorkerContext;
import io.mpsecrets.api.event.SecretAccessDenied;
import io.mpsecrets.api.event.SecretFailure;
import io.mpsecrets.api.event.SecretFetched;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testing.WeldApplication;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness checks in SE: each store and KMS as the application last saw it, optional stores never making it
 * unready, rotation ages reported, and the checks registered as CDI beans where the Health API is present. No value
 * is ever part of an answer.
 */
class SecretsHealthTest {

    @TempDir
    Path dir;

    @Dependent
    public static class SomeBean {}

    private SmallRyeConfig config(Map<String, String> extra) throws Exception {
        Path app = Files.createTempDirectory(dir, "app");
        LocalKeyring keyring = LocalKeyring.generate("health");
        Path keyringFile = app.resolve("keyring.json");
        keyring.writeTo(keyringFile, false);
        Path secrets = Files.createDirectories(app.resolve("secrets"));
        Files.writeString(secrets.resolve("api-key"), "api-" + LeakGuard.CANARY);
        Map<String, String> values = new HashMap<>(extra);
        values.put("mpsecrets.kms.local.keyring", keyringFile.toString());
        values.put("mpsecrets.file.dir", secrets.toString());
        values.put("db.password", Fixtures.encrypt(keyring, Fixtures.SECRET, "db.password"));
        values.put("api.key", "${file::api-key}");
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
    }

    private static WorkerContext worker() {
        return WorkerContext.ofCurrentThread("default", null);
    }

    @Test
    void eachBackendAsLastSeenAndDownOnlyWhileARequiredOneIsDownOrDenied() throws Exception {
        SmallRyeConfig config = config(Map.of("mpsecrets.vault.required", "false"));
        SecretsReadinessCheck check = new SecretsReadinessCheck(config);
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        assertThat(check.call().getData().orElseThrow()).containsEntry("kms.local", "unused");

        assertEquals(Fixtures.SECRET, config.getValue("db.password", String.class));
        assertEquals("api-" + LeakGuard.CANARY, config.getValue("api.key", String.class));
        HealthCheckResponse healthy = check.call();
        assertEquals(HealthCheckResponse.Status.UP, healthy.getStatus());
        assertThat(healthy.getData().orElseThrow())
                .hasEntrySatisfying("kms.local", v -> assertThat((String) v).startsWith("up since "))
                .hasEntrySatisfying("store.file", v -> assertThat((String) v).startsWith("up since "));

        // A store failing while its last good value is served is degraded, not down.
        runtime.auditor()
                .emit(new SecretFailure(
                        Instant.now(), SecretRef.secret("file", "api-key"), FailureReason.TIMEOUT, true, worker()));
        HealthCheckResponse stale = check.call();
        assertEquals(HealthCheckResponse.Status.UP, stale.getStatus());
        assertThat((String) stale.getData().orElseThrow().get("store.file"))
                .startsWith("stale (TIMEOUT) since ")
                .contains(", last ok ");

        // An optional store that is down shows it and keeps the application ready.
        runtime.auditor()
                .emit(new SecretFailure(
                        Instant.now(),
                        SecretRef.secret("vault", "secret/x"),
                        FailureReason.UNAVAILABLE,
                        false,
                        worker()));
        HealthCheckResponse optionalDown = check.call();
        assertEquals(HealthCheckResponse.Status.UP, optionalDown.getStatus());
        assertThat((String) optionalDown.getData().orElseThrow().get("store.vault"))
                .startsWith("down (UNAVAILABLE) since ")
                .endsWith("(optional)");

        // A required store denying the application takes it out of service, until the store answers again.
        runtime.auditor().emit(new SecretAccessDenied(Instant.now(), SecretRef.secret("file", "api-key"), worker()));
        HealthCheckResponse denied = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, denied.getStatus());
        assertThat((String) denied.getData().orElseThrow().get("store.file")).startsWith("denied (ACCESS_DENIED)");
        runtime.auditor().emit(new SecretFetched(Instant.now(), SecretRef.secret("file", "api-key"), worker()));
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());

        // A missing secret is the application's setting, not the store's health.
        runtime.auditor()
                .emit(new SecretFailure(
                        Instant.now(), SecretRef.secret("file", "gone"), FailureReason.NOT_FOUND, false, worker()));
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        for (HealthCheckResponse answer : List.of(healthy, stale, optionalDown, denied)) {
            LeakGuard.check(answer.getData().orElseThrow().toString(), "a health answer");
        }
    }

    @Test
    void secretsDueOrOverdueForRotationAreReportedAndDownOnlyWhenAsked() throws Exception {
        // The keyring key is created now; three years on, a critical secret (90 days) is long overdue.
        Clock later = Clock.fixed(Instant.now().plusSeconds(3L * 365 * 86_400), ZoneOffset.UTC);
        SmallRyeConfig lenient = config(Map.of("mpsecrets.secret-class.critical", "db.password"));
        HealthCheckResponse reported = new SecretsRotationCheck(lenient, later).call();
        assertEquals(HealthCheckResponse.Status.UP, reported.getStatus());
        assertThat((String) reported.getData().orElseThrow().get("db.password"))
                .startsWith("rotation-overdue: ")
                .contains("class critical");

        SmallRyeConfig strict = config(Map.of(
                "mpsecrets.secret-class.critical", "db.password",
                "mpsecrets.health.rotation.overdue-is-down", "true"));
        assertEquals(
                HealthCheckResponse.Status.DOWN,
                new SecretsRotationCheck(strict, later).call().getStatus());
        assertEquals(
                HealthCheckResponse.Status.UP,
                new SecretsRotationCheck(strict, Clock.systemUTC()).call().getStatus(),
                "a fresh secret is not due");
    }

    @Test
    void theChecksAreReadinessBeansWhereTheHealthApiIsPresent() throws Exception {
        SmallRyeConfig config = config(Map.of());
        try (WeldApplication app = WeldApplication.start(config, SomeBean.class)) {
            Instance<HealthCheck> readiness = app.container().select(HealthCheck.class, Readiness.Literal.INSTANCE);
            assertThat(readiness.stream().map(c -> c.call().getName()))
                    .containsExactlyInAnyOrder("mp-secrets", "mp-secrets rotation", "mp-secrets tls");
            assertThat(readiness.stream().map(HealthCheck::call))
                    .allSatisfy(answer -> assertEquals(HealthCheckResponse.Status.UP, answer.getStatus()));
        }
    }
}
