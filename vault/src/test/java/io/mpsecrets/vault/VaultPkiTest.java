package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.SecretChanges;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.hostile.HostileHttpServer;
import io.mpsecrets.testkit.vault.MockPki;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Vault store's PKI certificates against the mock Vault's PKI engine, and against answers Vault never gives. */
@WithMockServer
class VaultPkiTest {

    private final MockServer server;
    private final List<VaultSecretStore> stores = new ArrayList<>();

    VaultPkiTest(MockServer server) {
        this.server = server;
    }

    @AfterEach
    void close() {
        stores.forEach(VaultSecretStore::close);
    }

    private VaultSecretStore store(String address, SecretChanges changes, boolean revokeReplaced) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mpsecrets.vault.address", address,
                "mpsecrets.vault.token", "root",
                "mpsecrets.vault.max-attempts", "1"));
        VaultSecretStore store = new VaultSecretStore(
                VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of()),
                new LeaseSettings(Set.of("database"), Duration.ofMillis(200), true, Set.of("pki"), revokeReplaced),
                changes,
                "test");
        stores.add(store);
        return store;
    }

    @Test
    void issuesOnFirstReadReissuesAtTwoThirdsAndRevokesTheReplacedOne() throws Exception {
        MockPki pki = server.vault().pki();
        pki.role(
                "tls",
                new MockPki.Role(
                        List.of("orders.test"),
                        true,
                        false,
                        true,
                        false,
                        true,
                        Duration.ofSeconds(3),
                        Duration.ofMinutes(1),
                        "rsa"));
        List<SecretId> changed = new CopyOnWriteArrayList<>();
        CountDownLatch reissued = new CountDownLatch(1);
        VaultSecretStore store = store(
                server.endpoint().toString(),
                new SecretChanges() {
                    @Override
                    public void changed(SecretId id) {
                        changed.add(id);
                        reissued.countDown();
                    }

                    @Override
                    public void failed(SecretId id, SecretException failure) {}
                },
                true);
        SecretId id = SecretId.of("pki/issue/tls;common_name=api.orders.test;ttl=3s");
        Instant before = Instant.now();
        SecretValue first = store.fetch(id);
        String json = first.asString();
        assertThat(json).contains("\"private_key\"").contains("\"certificate\"").contains("\"ca_chain\"");
        assertThat(first.expiresAt())
                .hasValueSatisfying(
                        end -> assertThat(end).isAfter(before.plusSeconds(2)).isBefore(before.plusSeconds(5)));
        String serial = first.version().orElseThrow();
        assertThat(store.currentVersion(id)).hasValue(serial);
        assertThat(store.fetch(id).version()).hasValue(serial); // served, not issued again
        int issuedBefore = pki.issuedCount();

        assertThat(reissued.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(changed).containsExactly(id);
        String next = store.fetch(id).version().orElseThrow();
        assertThat(next).isNotEqualTo(serial);
        assertThat(pki.issuedCount()).isEqualTo(issuedBefore + 1);
        BigInteger old = new BigInteger(serial.replace(":", ""), 16);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!pki.revoked(old) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pki.revoked(old)).isTrue();
        assertThat(first.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void answersVaultNeverGivesAreTypedFailures() {
        String noKey = "{\"data\":{\"certificate\":\"x\",\"serial_number\":\"01\",\"expiration\":4102444800}}";
        String past = "{\"data\":{\"certificate\":\"x\",\"private_key\":\"y\",\"serial_number\":\"01\","
                + "\"expiration\":946684800}}";
        String odd = "{\"data\":{\"certificate\":\"x\",\"private_key\":\"y\",\"serial_number\":\"01\","
                + "\"expiration\":\"tomorrow\"}}";
        for (String answer : List.of(noKey, past, odd)) {
            try (HostileHttpServer hostile = HostileHttpServer.start(HostileHttpServer.json(200, answer))) {
                VaultSecretStore store = store(hostile.endpoint().toString(), SecretChanges.NONE, false);
                assertThatThrownBy(() -> store.fetch(SecretId.of("pki/issue/tls;common_name=a.orders.test")))
                        .isInstanceOf(InvalidSecretValueException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"y\""));
            }
        }
        VaultSecretStore store = store(server.endpoint().toString(), SecretChanges.NONE, false);
        assertThatThrownBy(() -> store.fetch(SecretId.of("pki/issue/tls;common_name")))
                .isInstanceOf(SecretException.class)
                .hasMessageContaining("name=value");
    }
}
