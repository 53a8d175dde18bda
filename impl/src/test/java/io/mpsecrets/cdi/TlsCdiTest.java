package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.health.SecretsTlsCheck;
import io.mpsecrets.metrics.MetricsInstaller;
import io.mpsecrets.testkit.pki.TestPki;
import io.mpsecrets.tls.MpSecretsTls;
import io.mpsecrets.tls.TlsMaterial;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS materials in CDI: beans with the {@link Tls} qualifier, a deployment refused without valid material, the
 * readiness check and the seconds-until-expiry metric.
 */
class TlsCdiTest {

    @TempDir
    Path dir;

    private ClassLoader previous;
    private SmallRyeConfig config;
    private WeldContainer container;

    @ApplicationScoped
    public static class Client {
        @Inject
        @Tls("orders")
        SSLContext context;

        @Inject
        @Tls("orders")
        X509ExtendedKeyManager keys;

        @Inject
        @Tls("orders")
        X509ExtendedTrustManager trust;

        @Inject
        @Tls("orders")
        TlsMaterial material;

        /** What was injected (read through the bean's proxy). */
        List<Object> injected() {
            return List.of(context, keys, trust, material);
        }
    }

    private final TestPki pki = TestPki.create();

    private void write(String name, String text) throws IOException {
        Path temp = Files.createTempFile(dir, ".w", ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private TestPki.Issued issue() {
        return pki.issue("orders", List.of("localhost"), Duration.ofHours(1), TestPki.KeyType.EC);
    }

    private void start(Class<?>... beans) {
        config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.app",
                                "orders",
                                "mpsecrets.tls.orders.key",
                                dir.resolve("orders.pem").toString(),
                                "mpsecrets.tls.orders.trust",
                                dir.resolve("ca.pem").toString(),
                                "mpsecrets.tls.orders.refresh",
                                "PT1H"),
                        "app",
                        100))
                .build();
        previous = Thread.currentThread().getContextClassLoader();
        ClassLoader application = new URLClassLoader(new URL[0], previous);
        ConfigProviderResolver.instance().registerConfig(config, application);
        Thread.currentThread().setContextClassLoader(application);
        container = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new MpSecretsExtension())
                .addBeanClasses(beans)
                .initialize();
    }

    @AfterEach
    void stop() {
        if (container != null && container.isRunning()) {
            container.shutdown();
        }
        if (config != null) {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
        if (previous != null) {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void qualifiedBeansFollowTheMaterialAndHealthAndMetricsReportIt() throws Exception {
        TestPki.Issued first = issue();
        write("orders.pem", first.keyPem() + first.certificatePem());
        write("ca.pem", pki.rootPem());
        start(Client.class);
        Client client = container.select(Client.class).get();
        TlsMaterial material = MpSecretsTls.material(config, "orders");
        List<Object> injected = client.injected();
        assertThat(injected.get(0)).isSameAs(material.sslContext());
        assertThat(injected.get(1)).isSameAs(material.keyManager());
        assertThat(injected.get(2)).isSameAs(material.trustManager());
        assertThat(injected.get(3)).isSameAs(material);
        assertThat(material.certificate().orElseThrow().getSerialNumber()).isEqualTo(first.serial());

        HealthCheckResponse ready = new SecretsTlsCheck(config).call();
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getData().orElseThrow().get("tls.orders").toString())
                .contains("serial " + first.serial().toString(16));

        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                        .setMeterProvider(SdkMeterProvider.builder()
                                .registerMetricReader(reader)
                                .build())
                        .build();
                AutoCloseable metrics = MetricsInstaller.install(
                                ConfigRegistry.runtimeOf(config).orElseThrow(),
                                name -> Optional.empty(),
                                () -> Optional.of(telemetry))
                        .orElseThrow()) {
            MetricData expiry = reader.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("mpsecrets.tls.expiry"))
                    .findFirst()
                    .orElseThrow();
            long seconds = expiry.getLongGaugeData().getPoints().stream()
                    .filter(p -> "orders".equals(p.getAttributes().get(AttributeKey.stringKey("mpsecrets.tls.name"))))
                    .findFirst()
                    .orElseThrow()
                    .getValue();
            assertThat(seconds).isBetween(3000L, 3600L);
        }

        // a refused new material: the old one serves, readiness is down and says why
        TestPki.Issued other = issue();
        write("orders.pem", first.keyPem() + other.certificatePem());
        material.refresh();
        material.refresh();
        HealthCheckResponse refused = new SecretsTlsCheck(config).call();
        assertThat(refused.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(refused.getData().orElseThrow().get("tls.orders").toString())
                .contains("new material refused")
                .contains("serial " + first.serial().toString(16));
        assertThat(((TlsMaterial) client.injected().get(3))
                        .certificate()
                        .orElseThrow()
                        .getSerialNumber())
                .isEqualTo(first.serial());
    }

    @Test
    void aDeploymentWithoutValidMaterialFailsNamingIt() throws Exception {
        TestPki.Issued one = issue();
        write("orders.pem", one.keyPem() + issue().certificatePem());
        write("ca.pem", pki.rootPem());
        assertThatThrownBy(() -> start(Client.class))
                .hasMessageContaining("mp-secrets cannot start")
                .hasMessageContaining("TLS material orders cannot be used")
                .hasMessageContaining("does not belong to the certificate");
    }
}
