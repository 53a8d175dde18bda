package io.mpsecrets.tck.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretProvider;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.provider.SecretFields;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretProvider} must do, whatever the store: fetch a current value with its version, say a
 * missing secret is missing, hand out JSON secrets whose fields the caller reads, tell a new version apart (and
 * read old ones where the store keeps them), serve binary secrets byte for byte, batch-fetch leaving the missing
 * out, fail with typed errors naming the provider and secret, and never show a value in a message or
 * {@code toString()}. A store that cannot do something (an environment variable has no versions) says so with
 * the capability methods, and the test is skipped for it.
 */
abstract class SecretProviderContract {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private SecretProvider provider;

    /** The provider under test, talking to a store the subclass set up. */
    protected abstract SecretProvider provider();

    /** Stores {@code text} as a new secret, or as a new version of an existing one; returns the id to fetch it by. */
    protected abstract SecretId put(String name, String text);

    /** The id of a secret that does not exist. */
    protected abstract SecretId absent(String name);

    /** Stores bytes as a secret (only if {@link #binary()}); returns the id to fetch it by. */
    protected SecretId putBinary(String name, byte[] bytes) {
        throw new UnsupportedOperationException();
    }

    /** Whether the store holds a secret as any text (Secrets Manager, files, env), not only as a JSON object (Vault KV). */
    protected boolean plainText() {
        return true;
    }

    /** Whether the store holds binary secrets as such. */
    protected boolean binary() {
        return false;
    }

    /** The id of an earlier version of a secret, if the store keeps versions that can be read. */
    protected Optional<SecretId> earlierVersion(SecretId current, String versionId) {
        return Optional.empty();
    }

    /** Makes the store fail as an outage would (down, sealed, failing); false if the store cannot be made to. */
    protected boolean breakStore() {
        return false;
    }

    /** Undoes {@link #breakStore()}. */
    protected void repairStore() {
    }

    /** A unique secret name for one test. */
    protected static String name(String hint) {
        return "contract-" + hint + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }

    @BeforeEach
    void open() {
        provider = provider();
    }

    @AfterEach
    void close() {
        repairStore();
        provider.close();
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
        SecretValue value = provider.fetch(id);
        assertEquals("fetched-" + LeakGuard.CANARY, field(value));
        assertThat(value.version()).isPresent();
        assertEquals(value.version(), provider.currentVersion(id));
        LeakGuard.assertNoLeak(value, provider);
    }

    @Test
    void plainTextComesBackAsItWasStored() {
        assumeTrue(plainText(), "the store holds JSON objects only");
        SecretId id = put(name("text"), "plain text-" + LeakGuard.CANARY);
        assertEquals("plain text-" + LeakGuard.CANARY, provider.fetch(id).asString());
        assertThat(SecretFields.fields(provider.fetch(id))).isEmpty();
    }

    @Test
    void aMissingSecretIsNotFoundNamingProviderAndSecret() {
        SecretId id = absent(name("missing"));
        SecretNotFoundException e = assertThrows(SecretNotFoundException.class, () -> provider.fetch(id));
        assertEquals(FailureReason.NOT_FOUND, e.reason());
        assertEquals(provider.name(), e.ref().provider());
        assertThat(e.ref().secretId()).contains(id.path());
    }

    @Test
    void jsonSecretsHandOutTheirFields() {
        SecretId id = put(name("json"), "{\"username\":\"orders\",\"password\":\"pw-" + LeakGuard.CANARY + "\",\"port\":5432}");
        Map<String, String> fields = SecretFields.fields(provider.fetch(id)).orElseThrow();
        assertEquals("orders", fields.get("username"));
        assertEquals("pw-" + LeakGuard.CANARY, fields.get("password"));
        assertEquals("5432", fields.get("port"));
    }

    @Test
    void aNewVersionIsToldApartAndEarlierOnesStayReadableWhereTheStoreKeepsThem() {
        String name = name("versions");
        SecretId id = put(name, "{\"v\":\"one-" + LeakGuard.CANARY + "\"}");
        SecretValue first = provider.fetch(id);
        String firstVersion = first.version().orElseThrow();
        SecretId again = put(name, "{\"v\":\"two-" + LeakGuard.CANARY + "\"}");
        assertEquals(id, again, "a new version keeps the secret's id");
        String current = provider.currentVersion(id).orElseThrow();
        assertNotEquals(firstVersion, current);
        assertEquals("{\"v\":\"two-" + LeakGuard.CANARY + "\"}", provider.fetch(id).asString().replace(" ", ""));
        assertEquals(current, provider.fetch(id).version().orElseThrow());
        earlierVersion(id, firstVersion).ifPresent(earlier ->
                assertEquals("{\"v\":\"one-" + LeakGuard.CANARY + "\"}", provider.fetch(earlier).asString().replace(" ", "")));
    }

    @Test
    void binarySecretsComeBackByteForByte() {
        assumeTrue(binary(), "the store has no binary secrets");
        byte[] bytes = {0, 1, 2, (byte) 0x80, (byte) 0xff, 'k', 'e', 'y'};
        assertArrayEquals(bytes, provider.fetch(putBinary(name("binary"), bytes)).bytes());
    }

    @Test
    void fetchAllReturnsWhatExistsAndLeavesTheMissingOut() {
        SecretId a = put(name("batch-a"), json("a-" + LeakGuard.CANARY));
        SecretId b = put(name("batch-b"), json("b-" + LeakGuard.CANARY));
        SecretId missing = absent(name("batch-missing"));
        Map<SecretId, SecretValue> all = provider.fetchAll(List.of(a, missing, b));
        assertThat(all).containsOnlyKeys(a, b);
        assertEquals("a-" + LeakGuard.CANARY, field(all.get(a)));
        assertEquals("b-" + LeakGuard.CANARY, field(all.get(b)));
    }

    @Test
    void anOutageIsATransientTypedFailureThatShowsNoValue() {
        SecretId id = put(name("outage"), json("outage-" + LeakGuard.CANARY));
        assumeTrue(breakStore(), "the store cannot be made to fail");
        SecretException e = assertThrows(SecretException.class, () -> provider.fetch(id));
        assertThat(e.reason().transientFailure()).as(e.reason().name()).isTrue();
        assertEquals(provider.name(), e.ref().provider());
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void valuesDestroyThemselves() {
        SecretId id = put(name("destroy"), json("destroy-" + LeakGuard.CANARY));
        SecretValue value = provider.fetch(id);
        value.destroy();
        assertThat(value.isDestroyed()).isTrue();
        assertThrows(IllegalStateException.class, value::bytes);
        assertThat(value.toString()).contains("destroyed").doesNotContain(LeakGuard.CANARY);
        assertEquals("destroy-" + LeakGuard.CANARY, field(provider.fetch(id)), "the store still has it");
    }
}
