package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.api.event.SecretDecrypted;
import io.mpsecrets.api.event.SecretEvent;
import io.mpsecrets.api.event.SecretRotated;
import io.mpsecrets.cache.CachedSecret;
import io.mpsecrets.cache.SecretCache;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.testing.Fixtures;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mp-secrets' CDI extension in Weld, with an application config of its own (registered for a class loader that is
 * the thread context class loader while the container runs, as an application server does per application).
 */
class CdiSecretsTest {

    @TempDir
    Path dir;

    private ClassLoader previous;
    private ClassLoader application;
    private SmallRyeConfig config;
    private WeldContainer container;

    /** Collects the events CDI delivers, as an application would. */
    @ApplicationScoped
    public static class Observer {
        final List<SecretEvent> all = new CopyOnWriteArrayList<>();
        final List<SecretRotated> rotations = new CopyOnWriteArrayList<>();

        void any(@Observes SecretEvent event) {
            all.add(event);
        }

        void rotated(@Observes SecretRotated event) {
            rotations.add(event);
        }

        List<SecretEvent> all() {
            return all;
        }

        List<SecretRotated> rotations() {
            return rotations;
        }
    }

    @Dependent
    public static class DependentHolder {
        @Inject
        @ConfigProperty(name = "db-password")
        String password;
    }

    @RequestScoped
    public static class RequestHolder {
        @Inject
        @ConfigProperty(name = "db-password")
        String password;

        String password() {
            return password;
        }
    }

    @ApplicationScoped
    public static class LiveHolder {
        @Inject
        @ConfigProperty(name = "db-password")
        Supplier<String> supplier;

        @Inject
        @ConfigProperty(name = "db-password")
        Provider<String> provider;

        @Inject
        Config config;

        @Inject
        @ConfigProperty(name = "app.token")
        String decryptedAtDeployment;

        String fromSupplier() {
            return supplier.get();
        }

        String fromProvider() {
            return provider.get();
        }

        String fromConfig() {
            return config.getValue("db-password", String.class);
        }

        String decryptedAtDeployment() {
            return decryptedAtDeployment;
        }
    }

    /** An application-scoped pool that rebuilds itself when its secret rotates. */
    @ApplicationScoped
    public static class Pool {
        @Inject
        Config config;

        private volatile String connectedWith;

        String connectedWith() {
            if (connectedWith == null) {
                connectedWith = config.getValue("db-password", String.class);
            }
            return connectedWith;
        }

        void reconnect(@Observes SecretRotated event) {
            if ("db-password".equals(event.ref().property())) {
                connectedWith = config.getValue("db-password", String.class);
            }
        }
    }

    @BeforeEach
    void start() throws IOException {
        write("v1-" + LeakGuard.CANARY);
        Path keyringFile = dir.resolve("keyring.json");
        LocalKeyring keyring = LocalKeyring.generate("dev");
        keyring.writeTo(keyringFile, false);
        config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.sources",
                                "file",
                                "mpsecrets.file.dir",
                                dir.resolve("secrets").toString(),
                                "mpsecrets.file.ttl",
                                "PT1H",
                                "mpsecrets.rotation.interval",
                                "PT1H",
                                "mpsecrets.kms.local.keyring",
                                keyringFile.toString(),
                                "app.token",
                                Fixtures.encrypt(keyring, "token-" + LeakGuard.CANARY, "app.token")),
                        "app",
                        100))
                .build();
        previous = Thread.currentThread().getContextClassLoader();
        application = new URLClassLoader(new URL[0], previous);
        ConfigProviderResolver.instance().registerConfig(config, application);
        Thread.currentThread().setContextClassLoader(application);
        // With discovery off Weld SE loads no extension from META-INF/services; a container does (see
        // ServiceRegistrationTest).
        container = new Weld()
                .disableDiscovery()
                .addExtension(new ConfigExtension())
                .addExtension(new MpSecretsExtension())
                .addBeanClasses(
                        Observer.class, DependentHolder.class, RequestHolder.class, LiveHolder.class, Pool.class)
                .initialize();
    }

    @AfterEach
    void stop() {
        if (container.isRunning()) {
            container.shutdown();
        }
        ConfigProviderResolver.instance().releaseConfig(config);
        Thread.currentThread().setContextClassLoader(previous);
    }

    private void write(String value) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path temp = Files.createTempFile(secrets, ".w", ".tmp");
        Files.writeString(temp, value);
        Files.move(
                temp,
                secrets.resolve("db-password"),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private SecretsRuntime runtime() {
        return ConfigRegistry.runtimeOf(config).orElseThrow();
    }

    private void rotate(String value) throws IOException {
        write(value);
        runtime().stores().checkRotation();
    }

    private String inRequest() {
        RequestContextController request =
                container.select(RequestContextController.class).get();
        request.activate();
        try {
            return container.select(RequestHolder.class).get().password();
        } finally {
            request.deactivate();
        }
    }

    @Test
    void eventsReachObserversWithNamesVersionsAndTheWorker() throws IOException {
        Observer observer = container.select(Observer.class).get();
        // Decrypted while the application deployed (injection validation), before the bridge attached: replayed.
        assertThat(observer.all())
                .filteredOn(e -> e instanceof SecretDecrypted)
                .singleElement()
                .satisfies(e -> assertThat(e.ref().property()).isEqualTo("app.token"));
        assertEquals(
                "v1-" + LeakGuard.CANARY,
                container.select(DependentHolder.class).get().password);
        rotate("v2-" + LeakGuard.CANARY);
        SecretRotated rotated = observer.rotations().get(0);
        assertEquals("db-password", rotated.ref().property());
        assertEquals("file", rotated.ref().backend());
        assertEquals("db-password", rotated.ref().secretId());
        assertThat(rotated.previousVersion())
                .startsWith("h-")
                .isNotEqualTo(rotated.ref().version());
        assertEquals("default", rotated.context().application());
        LeakGuard.assertNoLeak(observer.all().toArray());
    }

    @Test
    void eachScopeSeesTheValueItsDocumentedWay() throws IOException {
        DependentHolder before = container.select(DependentHolder.class).get();
        String requestBefore = inRequest();
        LiveHolder live = container.select(LiveHolder.class).get();
        Pool pool = container.select(Pool.class).get();
        assertEquals("v1-" + LeakGuard.CANARY, pool.connectedWith());
        assertEquals("token-" + LeakGuard.CANARY, live.decryptedAtDeployment());

        rotate("v2-" + LeakGuard.CANARY);

        // @Dependent and @RequestScoped: the value at creation; the next instance sees the new one.
        assertEquals("v1-" + LeakGuard.CANARY, before.password);
        assertEquals("v1-" + LeakGuard.CANARY, requestBefore);
        assertEquals(
                "v2-" + LeakGuard.CANARY,
                container.select(DependentHolder.class).get().password);
        assertEquals("v2-" + LeakGuard.CANARY, inRequest());
        // Supplier, Provider and Config.getValue: always the current value.
        assertEquals("v2-" + LeakGuard.CANARY, live.fromSupplier());
        assertEquals("v2-" + LeakGuard.CANARY, live.fromProvider());
        assertEquals("v2-" + LeakGuard.CANARY, live.fromConfig());
        // @ApplicationScoped: rebuilt by its SecretRotated observer.
        assertEquals("v2-" + LeakGuard.CANARY, pool.connectedWith());
    }

    @Test
    void shutdownZeroesCachedValuesAndForgetsPlaintexts() {
        container.select(DependentHolder.class).get();
        SecretsRuntime runtime = runtime();
        CachedSecret cached = runtime.stores()
                .cache()
                .peek(new SecretCache.Key("file", io.mpsecrets.api.SecretId.of("db-password")))
                .orElseThrow();
        assertThat(runtime.readCounts()).containsKeys("db-password", "app.token");

        container.shutdown();

        assertThat(cached.value().isDestroyed()).isTrue();
        assertThat(runtime.stores().cache().keys()).isEmpty();
        assertThat(runtime.readCounts()).isEmpty();
        assertThat(runtime.stores().watching()).isFalse();
    }
}
