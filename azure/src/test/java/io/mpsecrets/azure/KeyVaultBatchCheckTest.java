package io.mpsecrets.azure;

import static io.mpsecrets.azure.AzureTestSettings.clientSecret;
import static io.mpsecrets.azure.AzureTestSettings.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendContext;
import io.mpsecrets.testkit.azure.MockAzure;
import io.mpsecrets.testkit.azure.MockKeyVault;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.mock.Policy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batched check ({@code rotation-check=list}, the default) against the mock Key Vault, which lists secrets 25 to a
 * page with their current version's attributes as Key Vault does: one Get Secrets page vouches for many secrets read
 * before, a new version or one read too soon after its update is left to Get Secret, a vault holding many other
 * secrets stops being listed, and a refused listing is a typed failure. A vault of its own per test.
 */
class KeyVaultBatchCheckTest {

    private MockAzure azure;
    private MockKeyVault vault;
    private Map<String, String> settings;
    private final List<KeyVaultSecretStore> stores = new ArrayList<>();

    @BeforeEach
    void start() {
        azure = MockAzure.start();
        vault = azure.vault();
        settings = clientSecret(azure);
        // The vault's secrets were set ten minutes ago, as they are when an application starts.
        vault.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
    }

    @AfterEach
    void stop() {
        stores.forEach(KeyVaultSecretStore::close);
        azure.close();
    }

    private KeyVaultSecretStore store() {
        KeyVaultSecretStore store = new KeyVaultSecretStore(read(settings, Map.of()), true, Clock.systemUTC());
        stores.add(store);
        return store;
    }

    private static List<SecretId> ids(String... names) {
        return java.util.Arrays.stream(names).map(SecretId::of).toList();
    }

    @Test
    void onePageVouchesForTheVersionsReadAndNoGetSecretIsAsked() {
        String a = vault.setSecret("orders-db", "a-" + LeakGuard.CANARY);
        String b = vault.setSecret("orders-api", "b-" + LeakGuard.CANARY);
        String c = vault.setSecret("orders-mq", "c-" + LeakGuard.CANARY);
        KeyVaultSecretStore store = store();
        List<SecretId> ids = ids("orders-db", "orders-api", "orders-mq");
        ids.forEach(id -> store.fetch(id).destroy());
        vault.counter().reset();

        Map<SecretId, String> listed = store.currentVersions(ids);

        assertEquals(Map.of(ids.get(0), a, ids.get(1), b, ids.get(2), c), listed);
        assertEquals(1, vault.counter().calls("GetSecrets"), "three secrets, one page");
        assertEquals(0, vault.counter().calls("GetSecret"));
        LeakGuard.assertNoLeak(store, listed);
    }

    @Test
    void aNewVersionIsNotVouchedForSoTheCallerAsksGetSecret() {
        vault.setSecret("rotating", "v1-" + LeakGuard.CANARY);
        String other = vault.setSecret("steady", "s-" + LeakGuard.CANARY);
        KeyVaultSecretStore store = store();
        List<SecretId> ids = ids("rotating", "steady");
        ids.forEach(id -> store.fetch(id).destroy());
        vault.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        String v2 = vault.setSecret("rotating", "v2-" + LeakGuard.CANARY);

        assertEquals(Map.of(ids.get(1), other), store.currentVersions(ids), "the rotated secret is left out");
        // Get Secret (the caller's confirmation) reads the new version; the listing then vouches for it.
        assertEquals(Optional.of(v2), store.currentVersion(ids.get(0)));
        assertEquals(v2, store.currentVersions(ids).get(ids.get(0)));
    }

    @Test
    void aVersionReadSoonAfterItsUpdateIsNotVouchedFor() {
        // Another version set in the same second, after the read, would list the same times: within the margin the
        // listing is not trusted for it.
        vault.clock(Clock.systemUTC());
        vault.setSecret("fresh", LeakGuard.CANARY);
        KeyVaultSecretStore store = store();
        store.fetch(SecretId.of("fresh")).destroy();
        vault.counter().reset();

        assertEquals(Map.of(), store.currentVersions(ids("fresh")));
        assertEquals(0, vault.counter().calls("GetSecrets"), "nothing to vouch for: no listing");
        // Nor is a secret never read, a pinned version is its own, and another vault's secret is not listed.
        String pinned = vault.setSecret("pinned", "p");
        SecretId other = SecretId.of("https://other.vault.azure.net/secrets/elsewhere");
        assertEquals(
                Map.of(SecretId.parse("pinned?version=" + pinned), pinned),
                store.currentVersions(
                        List.of(SecretId.of("never-read"), SecretId.parse("pinned?version=" + pinned), other)));
        assertEquals(0, vault.counter().calls("GetSecrets"));
    }

    @Test
    void pagesAreFollowedAndAVaultOfManyOtherSecretsIsNoLongerListed() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add("app-" + (char) ('a' + i / 26) + (char) ('a' + i % 26));
            vault.setSecret(names.get(i), "v" + i);
        }
        KeyVaultSecretStore store = store();
        List<SecretId> ids = names.stream().map(SecretId::of).toList();
        ids.forEach(id -> store.fetch(id).destroy());
        vault.counter().reset();
        assertEquals(30, store.currentVersions(ids).size());
        assertEquals(2, vault.counter().calls("GetSecrets"), "30 secrets, 25 a page");

        // 2 secrets of ours listed after 100 others: the budget (2 x 1 page + 1) runs out, and listing stops.
        for (int i = 0; i < 100; i++) {
            vault.setSecret("aaa-other-" + i, "o");
        }
        vault.setSecret("zz-mine-1", "m1");
        vault.setSecret("zz-mine-2", "m2");
        KeyVaultSecretStore big = store();
        List<SecretId> mine = ids("zz-mine-1", "zz-mine-2");
        mine.forEach(id -> big.fetch(id).destroy());
        vault.counter().reset();
        assertEquals(Map.of(), big.currentVersions(mine));
        assertEquals(3, vault.counter().calls("GetSecrets"));
        assertEquals(Map.of(), big.currentVersions(mine));
        assertEquals(3, vault.counter().calls("GetSecrets"), "not listed again");
    }

    @Test
    void aRefusedListingIsATypedFailureAndNothingIsVouchedFor() {
        vault.setSecret("guarded", LeakGuard.CANARY);
        KeyVaultSecretStore store = store();
        store.fetch(SecretId.of("guarded")).destroy();
        vault.vaultPolicy(Policy.of(Policy.allow("someone-else", "list")));
        SecretException refused = assertThrows(SecretException.class, () -> store.currentVersions(ids("guarded")));
        assertEquals(FailureReason.ACCESS_DENIED, refused.reason());

        vault.vaultPolicy(Policy.OPEN);
        vault.faults().throttleNext(5);
        SecretException throttled = assertThrows(SecretException.class, () -> store.currentVersions(ids("guarded")));
        assertEquals(FailureReason.THROTTLED, throttled.reason());
        LeakGuard.assertNoLeak(refused, throttled);
    }

    @Test
    void rotationCheckGetDeclaresNoBatchAndAnotherValueIsRefused() {
        KeyVaultSecretStoreFactory factory = new KeyVaultSecretStoreFactory();
        assertThat(factory.capabilities(context(Map.of()))).contains(Capability.BATCH_VERSIONS);
        assertThat(factory.capabilities(context(Map.of("mpsecrets.azure.rotation-check", "get"))))
                .doesNotContain(Capability.BATCH_VERSIONS)
                .contains(Capability.ROTATION_CHECK);
        assertThat(assertThrows(
                                SecretException.class,
                                () -> factory.capabilities(context(Map.of("mpsecrets.azure.rotation-check", "etag"))))
                        .getMessage())
                .contains("rotation-check must be list or get");
        assertThat(factory.settingNames()).contains("rotation-check", "vault-url");

        vault.setSecret("single", "x");
        KeyVaultSecretStore store = new KeyVaultSecretStore(read(settings, Map.of()), false, Clock.systemUTC());
        stores.add(store);
        store.fetch(SecretId.of("single")).destroy();
        vault.counter().reset();
        assertEquals(Map.of(), store.currentVersions(ids("single")));
        assertEquals(0, vault.counter().calls("GetSecrets"));
    }

    private static BackendContext context(Map<String, String> values) {
        return new BackendContext() {
            @Override
            public String name() {
                return "azure";
            }

            @Override
            public Map<String, String> environment() {
                return Map.of();
            }

            @Override
            public String application() {
                return "orders";
            }

            @Override
            public String prefix() {
                return "mpsecrets.azure.";
            }

            @Override
            public Optional<String> setting(String name) {
                return Optional.ofNullable(values.get(name));
            }
        };
    }
}
