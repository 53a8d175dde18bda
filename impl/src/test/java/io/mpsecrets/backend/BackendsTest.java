package io.mpsecrets.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.UnknownKeyException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.api.spi.KeyManagementServiceFactory;
import io.mpsecrets.api.spi.SecretStoreFactory;
import io.mpsecrets.kms.local.LocalKeyringKmsFactory;
import io.mpsecrets.store.env.EnvSecretStoreFactory;
import io.mpsecrets.store.file.FileSecretStoreFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one registry of backends: found by name, built only when enabled and used, never two of one name. */
class BackendsTest {

    /** A KMS factory that counts how often it is asked to build. */
    static final class CountingKmsFactory implements KeyManagementServiceFactory {
        final String name;
        final String prefix;
        final AtomicInteger created = new AtomicInteger();

        CountingKmsFactory(String name, String prefix) {
            this.name = name;
            this.prefix = prefix;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean supports(String keyId) {
            return keyId.startsWith(prefix);
        }

        @Override
        public KeyManagementService create(BackendContext context) {
            created.incrementAndGet();
            return new LocalKeyringKmsFactory().create(context);
        }
    }

    static final class NamedStoreFactory implements SecretStoreFactory {
        final String name;

        NamedStoreFactory(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public SecretStore create(BackendContext context) {
            throw new AssertionError("not built in this test");
        }
    }

    private static BackendContext context(String name) {
        return BackendSettings.kms(name, setting -> Optional.empty(), Map.of(), "default");
    }

    @Test
    void theShippedCoreBackendsAreFoundOnTheClassPath() {
        Backends found = Backends.discover(getClass().getClassLoader());
        assertThat(found.kmsNames()).contains("local");
        assertThat(found.storeNames()).contains("env", "file");
        assertThat(found.store("file", "test").capabilities())
                .contains(Capability.LIST)
                .doesNotContain(Capability.FIELDS);
        assertThat(found.store("env", "test").capabilities()).contains(Capability.FIELDS);
    }

    /**
     * WildFly builds an application's config on a thread whose context class loader is the server's: mp-secrets
     * still finds the backends its own class loader sees, each once.
     */
    @Test
    void backendsAreFoundThroughMpSecretsOwnLoaderWhenTheContextLoaderSeesNone() throws Exception {
        try (java.net.URLClassLoader server = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            Backends found = Backends.discover(server);
            assertThat(found.kmsNames())
                    .containsExactlyInAnyOrderElementsOf(Backends.discover(null).kmsNames())
                    .contains("local");
            assertThat(found.storeNames()).contains("env", "file");
            assertThat(found.store("file", "test")).isNotNull();
        }
    }

    @Test
    void onlyEnabledKmssAreBuiltAndRoutingIsByKeyIdForm() {
        CountingKmsFactory enabled = new CountingKmsFactory("one", "one:");
        CountingKmsFactory disabled = new CountingKmsFactory("two", "two:");
        Backends backends = Backends.of(List.of(enabled, disabled), List.of());
        KmsRegistry registry = backends.kmsRegistry(List.of("one"), BackendsTest::context);
        assertEquals(0, enabled.created.get(), "nothing is built until a key is asked for");
        assertEquals(Optional.of("one"), registry.nameFor("one:k-1"));
        UnknownKeyException refused = assertThrows(UnknownKeyException.class, () -> registry.forKeyId("two:k-1"));
        assertThat(refused.getMessage()).contains("[two]", "which mpsecrets.kms does not enable", "[one]");
        assertEquals(0, disabled.created.get(), "a KMS that is not enabled is never built");
    }

    @Test
    void twoBackendsOfOneNameAreRefusedWhereTheNameIsUsedNamingBoth() {
        Backends backends = Backends.of(
                List.of(new CountingKmsFactory("dup", "a:"), new CountingKmsFactory("dup", "b:")),
                List.of(
                        new NamedStoreFactory("twin"),
                        new NamedStoreFactory("twin"),
                        new FileSecretStoreFactory(),
                        new EnvSecretStoreFactory()));
        ConfigurationException kms = assertThrows(
                ConfigurationException.class, () -> backends.kmsRegistry(List.of("dup"), BackendsTest::context));
        assertThat(kms.getMessage())
                .contains("more than one key management service is called 'dup'", CountingKmsFactory.class.getName());
        ConfigurationException store =
                assertThrows(ConfigurationException.class, () -> backends.store("twin", "mpsecrets.sources"));
        assertThat(store.getMessage())
                .contains("more than one secret store is called 'twin'", NamedStoreFactory.class.getName());
        assertEquals("file", backends.store("file", "mpsecrets.sources").name(), "other names are unaffected");
    }

    @Test
    void twoEnabledKmssClaimingOneKeyIdAreRefusedRatherThanPicked() {
        Backends backends =
                Backends.of(List.of(new CountingKmsFactory("a", "x:"), new CountingKmsFactory("b", "x:")), List.of());
        KmsRegistry registry = backends.kmsRegistry(List.of("a", "b"), BackendsTest::context);
        assertThat(assertThrows(ConfigurationException.class, () -> registry.forKeyId("x:1"))
                        .getMessage())
                .contains("[a, b]", "both claim");
    }
}
