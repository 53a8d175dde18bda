package io.mpsecrets.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RotationScoped} in Weld: an instance built with a store secret is replaced when that secret rotates (the old
 * one destroyed after the grace period), whether it read the secret in a field, its constructor or a producer's
 * parameter; an instance built with another secret stays.
 */
class RotationScopedTest {

    static final List<String> CLOSED = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private ClassLoader previous;
    private SmallRyeConfig config;
    private WeldContainer container;

    /** A connection pool that connects with the password it was built with, and drains at @PreDestroy. */
    @RotationScoped
    public static class Pool {
        @Inject
        @ConfigProperty(name = "db.password")
        String password;

        String connectedWith() {
            return password;
        }

        @PreDestroy
        void close() {
            CLOSED.add("pool:" + password);
        }
    }

    /** Reads its secret in its constructor. */
    @RotationScoped
    public static class Client {
        private final Object instance = new Object();
        private final String key;

        protected Client() {
            this.key = null; // for the client proxy
        }

        @Inject
        public Client(@ConfigProperty(name = "api.key") String key) {
            this.key = key;
        }

        String key() {
            return key;
        }

        /** This instance, whichever proxy answers. */
        Object instance() {
            return instance;
        }
    }

    /** What a producer makes from a secret. */
    public static class Connection {
        private final String password;

        protected Connection() {
            this(null);
        }

        Connection(String password) {
            this.password = password;
        }

        String password() {
            return password;
        }
    }

    public static class Producers {
        @Produces
        @RotationScoped
        Connection connection(@ConfigProperty(name = "db.password") String password) {
            return new Connection(password);
        }
    }

    @BeforeEach
    void start() throws IOException {
        CLOSED.clear();
        write("db-password", "v1-" + LeakGuard.CANARY);
        write("api-key", "key-" + LeakGuard.CANARY);
        config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(
                        Map.of(
                                "mpsecrets.file.dir", dir.resolve("secrets").toString(),
                                "mpsecrets.file.ttl", "PT1H",
                                "mpsecrets.rotation.interval", "PT1H",
                                "mpsecrets.rotation.grace", "PT0.2S",
                                "db.password", "${file::db-password}",
                                "api.key", "${file::api-key}"),
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
                .addBeanClasses(Pool.class, Client.class, Producers.class)
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

    private void write(String name, String value) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path temp = Files.createTempFile(secrets, ".w", ".tmp");
        Files.writeString(temp, value);
        Files.move(temp, secrets.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void rotate(String name, String value) throws IOException {
        write(name, value);
        ConfigRegistry.runtimeOf(config).orElseThrow().stores().checkRotation();
    }

    @Test
    void aRotatedSecretRebuildsTheBeansThatReadItAndOnlyThose() throws Exception {
        Pool pool = container.select(Pool.class).get();
        Client client = container.select(Client.class).get();
        Connection connection = container.select(Connection.class).get();
        assertEquals("v1-" + LeakGuard.CANARY, pool.connectedWith());
        assertEquals("v1-" + LeakGuard.CANARY, connection.password());
        assertEquals("key-" + LeakGuard.CANARY, client.key());
        Object clientInstance = client.instance();

        rotate("db-password", "v2-" + LeakGuard.CANARY);

        // The same client proxies, new instances behind the two that read db.password.
        assertEquals("v2-" + LeakGuard.CANARY, pool.connectedWith());
        assertEquals("v2-" + LeakGuard.CANARY, connection.password());
        assertSame(clientInstance, client.instance(), "api.key did not rotate: the client's instance stays");
        assertThat(CLOSED).as("the old pool lives on for the grace period").isEmpty();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (CLOSED.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of("pool:v1-" + LeakGuard.CANARY), CLOSED);

        rotate("api-key", "key2-" + LeakGuard.CANARY);
        assertEquals("key2-" + LeakGuard.CANARY, client.key());
        assertNotSame(clientInstance, client.instance());
        assertEquals("v2-" + LeakGuard.CANARY, pool.connectedWith());
    }

    @Test
    void shutdownDestroysTheInstancesAndThoseWaitingOutTheirGrace() throws Exception {
        Pool pool = container.select(Pool.class).get();
        pool.connectedWith();
        rotate("db-password", "v2-" + LeakGuard.CANARY);
        pool.connectedWith();
        container.shutdown();
        assertThat(CLOSED).containsExactlyInAnyOrder("pool:v1-" + LeakGuard.CANARY, "pool:v2-" + LeakGuard.CANARY);
    }
}
