package io.mpsecrets.tck.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretStore.Capability;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.backend.BackendSettings;
import io.mpsecrets.backend.Backends;
import io.mpsecrets.backend.StoreBackend;
import io.mpsecrets.cache.SecretFields;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretStore} must do, whatever the store: fetch a current value with its version, say a
 * missing secret is missing, hand out JSON secrets whose fields the caller reads, tell a new version apart (and
 * read old ones where the store keeps them), serve binary secrets byte for byte, batch-fetch leaving the missing
 * out, fail with typed errors naming the store and secret, and never show a value in a message or
 * {@code toString()}. The store is built as the runtime builds it: found by name among the backends on the class
 * path, from its settings. What it can do is what its factory declares ({@link Capability}); the contract holds it
 * to those declarations (a store without {@link Capability#VERSIONS} must refuse a pinned version) and skips what a
 * store does not declare.
 */
abstract class SecretStoreContract {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private SecretStore underTest;
    private Set<Capability> capabilities;

    /** The name of the store under test, as configuration names it; it is built through its factory, found by name. */
    protected abstract String store();

    /** The store's settings ({@code mpsecrets.<store>.*}), pointing it at the store the subclass set up. */
    protected abstract Map<String, String> settings();

    /** The environment the store's factory is given. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** The store under test: built by its factory, found by name among the backends on the class path. */
    protected SecretStore storeUnderTest() {
        return backend().store();
    }

    private StoreBackend backend() {
        Map<String, String> settings = settings();
        return Backends.discover(getClass().getClassLoader())
                .openStore(
                        store(),
                        "the contract test",
                        BackendSettings.store(
                                store(), name -> Optional.ofNullable(settings.get(name)), environment(), "contract"));
    }

    /** Stores {@code text} as a new secret, or as a new version of an existing one; returns the id to fetch it by. */
    protected abstract SecretId put(String name, String text);

    /** The id of a secret that does not exist. */
    protected abstract SecretId absent(String name);

    /** Stores bytes as a secret (only for a store with {@link Capability#BINARY}); returns the id to fetch it by. */
    protected SecretId putBinary(String name, byte[] bytes) {
        throw new UnsupportedOperationException();
    }

    /**
     * Whether the store holds a secret as any text (Secrets Manager, files, env), not only as a JSON object (Vault KV).
     */
    protected boolean plainText() {
        return true;
    }

    /**
     * Whether earlier versions stay readable: the store's {@link Capability#VERSIONS}, unless the variant under test
     * keeps none.
     */
    protected boolean keepsVersions() {
        return capabilities.contains(Capability.VERSIONS);
    }

    /** Makes the store fail as an outage would (down, sealed, failing); false if the store cannot be made to. */
    protected boolean breakStore() {
        return false;
    }

    /** Undoes {@link #breakStore()}. */
    protected void repairStore() {}

    /** A unique secret name for one test. */
    protected static String name(String hint) {
        return "contract-" + hint + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }

    @BeforeEach
    void open() {
        StoreBackend backend = backend();
        underTest = backend.store();
        capabilities = backend.capabilities();
    }

    @AfterEach
    void close() {
        repairStore();
        underTest.close();
    }

    /** A secret every store can hold: a JSON object with one field. */
    private static String json(String value) {
        return "{\"value\":\"" + value + "\"}";
    }

    private static String field(SecretValue value) {
        return SecretFields.fields(value).orElseThrow().get("value");
    }

    @Test
    void fetchesTheCurrentValueWithItsVersion() {
        SecretId id = put(name("fetch"), json("fetched-" + LeakGuard.CANARY));
        SecretValue value = underTest.fetch(id);
        assertEquals("fetched-" + LeakGuard.CANARY, field(value));
        assertThat(value.version()).isPresent();
        assertEquals(value.version(), underTest.currentVersion(id));
        LeakGuard.assertNoLeak(value, underTest);
    }

    @Test
    void plainTextComesBackAsItWasStored() {
        assumeTrue(plainText(), "the store holds JSON objects only");
        SecretId id = put(name("text"), "plain text-" + LeakGuard.CANARY);
        assertEquals("plain text-" + LeakGuard.CANARY, underTest.fetch(id).asString());
        assertThat(SecretFields.fields(underTest.fetch(id))).isEmpty();
    }

    @Test
    void aMissingSecretIsNotFoundNamingProviderAndSecret() {
        SecretId id = absent(name("missing"));
        SecretNotFoundException e = assertThrows(SecretNotFoundException.class, () -> underTest.fetch(id));
        assertEquals(FailureReason.NOT_FOUND, e.reason());
        assertEquals(underTest.name(), e.ref().backend());
        assertThat(e.ref().secretId()).contains(id.path());
    }

    @Test
    void jsonSecretsHandOutTheirFields() {
        SecretId id = put(
                name("json"), "{\"username\":\"orders\",\"password\":\"pw-" + LeakGuard.CANARY + "\",\"port\":5432}");
        Map<String, String> fields = SecretFields.fields(underTest.fetch(id)).orElseThrow();
        assertEquals("orders", fields.get("username"));
        assertEquals("pw-" + LeakGuard.CANARY, fields.get("password"));
        assertEquals("5432", fields.get("port"));
    }

    @Test
    void aNewVersionIsToldApartAndEarlierOnesStayReadableWhereTheStoreKeepsThem() {
        String name = name("versions");
        SecretId id = put(name, "{\"v\":\"one-" + LeakGuard.CANARY + "\"}");
        SecretValue first = underTest.fetch(id);
        String firstVersion = first.version().orElseThrow();
        SecretId again = put(name, "{\"v\":\"two-" + LeakGuard.CANARY + "\"}");
        assertEquals(id, again, "a new version keeps the secret's id");
        String current = underTest.currentVersion(id).orElseThrow();
        assertNotEquals(firstVersion, current);
        assertEquals(
                "{\"v\":\"two-" + LeakGuard.CANARY + "\"}",
                underTest.fetch(id).asString().replace(" ", ""));
        assertEquals(current, underTest.fetch(id).version().orElseThrow());
        SecretId earlier = new SecretId(id.path(), null, firstVersion, null);
        if (keepsVersions()) {
            assertEquals(
                    "{\"v\":\"one-" + LeakGuard.CANARY + "\"}",
                    underTest.fetch(earlier).asString().replace(" ", ""));
        } else {
            // Without VERSIONS a pinned version is missing, never answered with the current value.
            assertThrows(SecretNotFoundException.class, () -> underTest.fetch(earlier));
        }
    }

    @Test
    void aStoreThatListsNamesEveryStoredSecret() {
        assumeTrue(capabilities.contains(Capability.LIST), "the store does not list");
        SecretId a = put(name("list-a"), json("a"));
        SecretId b = put(name("list-b"), json("b"));
        assertThat(underTest.list()).contains(a.path(), b.path());
    }

    @Test
    void theNameIsTheOneConfigurationUses() {
        assertEquals(store(), underTest.name());
    }

    @Test
    void binarySecretsComeBackByteForByte() {
        assumeTrue(capabilities.contains(Capability.BINARY), "the store has no binary secrets");
        byte[] bytes = {0, 1, 2, (byte) 0x80, (byte) 0xff, 'k', 'e', 'y'};
        assertArrayEquals(
                bytes, underTest.fetch(putBinary(name("binary"), bytes)).bytes());
    }

    @Test
    void fetchAllReturnsWhatExistsAndLeavesTheMissingOut() {
        SecretId a = put(name("batch-a"), json("a-" + LeakGuard.CANARY));
        SecretId b = put(name("batch-b"), json("b-" + LeakGuard.CANARY));
        SecretId missing = absent(name("batch-missing"));
        Map<SecretId, SecretValue> all = underTest.fetchAll(List.of(a, missing, b));
        assertThat(all).containsOnlyKeys(a, b);
        assertEquals("a-" + LeakGuard.CANARY, field(all.get(a)));
        assertEquals("b-" + LeakGuard.CANARY, field(all.get(b)));
    }

    @Test
    void batchedVersionsAgreeWithTheOneByOneCheckAndNeverNameAMissingSecret() {
        SecretId a = put(name("batch-versions-a"), json("a"));
        SecretId b = put(name("batch-versions-b"), json("b"));
        SecretId missing = absent(name("batch-versions-missing"));
        // The batch is asked for cached secrets, which the store has read: a store may vouch for those only (Key
        // Vault's listing names no version: its store vouches for the version it last read).
        underTest.fetch(a).destroy();
        underTest.fetch(b).destroy();
        Map<SecretId, String> listed = underTest.currentVersions(List.of(a, missing, b));
        assertThat(listed).doesNotContainKey(missing);
        listed.forEach(
                (id, version) -> assertEquals(underTest.currentVersion(id).orElseThrow(), version));
        if (capabilities.contains(Capability.BATCH_VERSIONS)) {
            // A store that declares it answers for secrets it holds (the contract's stores are consistent at once).
            assertThat(listed).containsKeys(a, b);
        }
    }

    @Test
    void anOutageIsATransientTypedFailureThatShowsNoValue() {
        SecretId id = put(name("outage"), json("outage-" + LeakGuard.CANARY));
        assumeTrue(breakStore(), "the store cannot be made to fail");
        SecretException e = assertThrows(SecretException.class, () -> underTest.fetch(id));
        assertThat(e.reason().transientFailure()).as(e.reason().name()).isTrue();
        assertEquals(underTest.name(), e.ref().backend());
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void valuesDestroyThemselves() {
        SecretId id = put(name("destroy"), json("destroy-" + LeakGuard.CANARY));
        SecretValue value = underTest.fetch(id);
        value.destroy();
        assertThat(value.isDestroyed()).isTrue();
        assertThrows(IllegalStateException.class, value::bytes);
        assertThat(value.toString()).contains("destroyed").doesNotContain(LeakGuard.CANARY);
        assertEquals("destroy-" + LeakGuard.CANARY, field(underTest.fetch(id)), "the store still has it");
    }
}
