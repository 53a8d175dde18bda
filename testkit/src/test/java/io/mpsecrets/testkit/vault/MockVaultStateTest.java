package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.VaultHttp.mountInput;
import static io.mpsecrets.testkit.vault.VaultHttp.quoted;
import static io.mpsecrets.testkit.vault.VaultHttp.tokenCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.VaultHttp.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mock Vault in memory forgets its Transit keys when it stops, so what was encrypted under them no longer
 * decrypts; with a state directory ({@code --state DIR}) its mounts, KV values, Transit keys, policies and tokens
 * outlive a restart, in an owner-only file written atomically.
 */
class MockVaultStateTest {

    private static final String CONTEXT = Base64.getEncoder().encodeToString("orders".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path temporary;

    /** What a restart of the in-memory mock does to a value encrypted under its Transit key: it stops decrypting. */
    @Test
    void inMemoryTheKeysAreGoneAfterARestart() throws Exception {
        String ciphertext;
        try (MockServer first = MockServer.start()) {
            VaultHttp vault = new VaultHttp(first.endpoint());
            vault.call("POST", "transit/keys/orders", "root", "{\"derived\":true}");
            ciphertext = vault.call("POST", "transit/datakey/plaintext/orders", "root", context())
                    .data()
                    .getString("ciphertext");
        }
        try (MockServer second = MockServer.start()) {
            Answer decrypt = new VaultHttp(second.endpoint())
                    .call("POST", "transit/decrypt/orders", "root", decryptBody(ciphertext));
            assertEquals(400, decrypt.status());
            assertEquals("encryption key not found", decrypt.error());
        }
    }

    @Test
    void withAStateDirectoryKeysValuesPoliciesAndTokensOutliveARestart() throws Exception {
        Path dir = temporary.resolve("vault-state");
        String ciphertext;
        String dataKey;
        String token;
        try (MockServer first = MockServer.builder().vaultState(dir).start()) {
            VaultHttp vault = new VaultHttp(first.endpoint());
            assertEquals(
                    204,
                    vault.call("POST", "sys/mounts/transit", "root", mountInput("transit"))
                            .status());
            assertEquals(
                    200,
                    vault.call("POST", "transit/keys/orders", "root", "{\"derived\":true}")
                            .status());
            assertEquals(
                    200,
                    vault.call("POST", "transit/keys/orders/rotate", "root", null)
                            .status());
            Answer generated = vault.call("POST", "transit/datakey/plaintext/orders", "root", context());
            ciphertext = generated.data().getString("ciphertext");
            dataKey = generated.data().getString("plaintext");
            assertThat(ciphertext).startsWith("vault:v2:");
            assertEquals(
                    200,
                    vault.call(
                                    "POST",
                                    "secret/data/orders",
                                    "root",
                                    "{\"data\":{\"api_key\":\"" + LeakGuard.CANARY + "\"}}")
                            .status());
            assertEquals(
                    204,
                    vault.call(
                                    "PUT",
                                    "sys/policies/acl/orders",
                                    "root",
                                    "{\"policy\":"
                                            + quoted("path \"transit/decrypt/orders\" { capabilities = [\"update\"] }\n"
                                                    + "path \"secret/data/orders\" { capabilities = [\"read\"] }\n")
                                            + "}")
                            .status());
            token = vault.call("POST", "auth/token/create", "root", tokenCreateRequest("orders"))
                    .json()
                    .getJsonObject("auth")
                    .getString("client_token");
            assertEquals(
                    204, vault.call("DELETE", "sys/mounts/kv", "root", null).status());
        }

        Path file = dir.resolve("vault.json");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("vault.json", ".lock");
        }

        try (MockServer second = MockServer.builder().vaultState(dir).start()) {
            VaultHttp vault = new VaultHttp(second.endpoint());
            Answer decrypted = vault.call("POST", "transit/decrypt/orders", token, decryptBody(ciphertext));
            assertEquals(200, decrypted.status(), "the token and its policy are back too");
            assertEquals(dataKey, decrypted.data().getString("plaintext"));
            assertEquals(
                    2,
                    vault.call("GET", "transit/keys/orders", "root", null)
                            .data()
                            .getInt("latest_version"));
            assertEquals(
                    LeakGuard.CANARY,
                    vault.call("GET", "secret/data/orders", token, null)
                            .data()
                            .getJsonObject("data")
                            .getString("api_key"));
            assertEquals(
                    403, vault.call("POST", "transit/keys/other", token, "{}").status());
            Answer mounts = vault.call("GET", "sys/mounts", "root", null);
            assertThat(mounts.data().keySet()).contains("transit/", "secret/").doesNotContain("kv/");
            assertEquals(
                    400,
                    vault.call("POST", "sys/mounts/transit", "root", mountInput("transit"))
                            .status(),
                    "enabled before the restart, so enabled now");
        }
    }

    @Test
    void aSecondMockIsKeptOffADirectoryInUse() {
        Path dir = temporary.resolve("shared");
        try (MockServer first = MockServer.builder().vaultState(dir).start()) {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> MockServer.builder().vaultState(dir).start());
            assertThat(refused.getMessage()).contains("in use by another mock Vault");
        }
        MockServer.builder().vaultState(dir).start().close();
    }

    /** A state the mock cannot read stops it from starting (rather than start empty over it), quoting none of it. */
    @Test
    void anUnreadableStateStopsTheStartWithoutQuotingIt() throws Exception {
        Path dir = Files.createDirectory(temporary.resolve("broken"));
        for (String content : new String[] {
            "{\"format\":1,\"mounts\":[],\"kv2\":{\"secret/x\":[]}," + LeakGuard.CANARY,
            "[\"" + LeakGuard.CANARY + "\"]",
            "{\"format\":1,\"mounts\":[],\"kv2\":{},\"kv1\":{},\"transit\":{},\"policies\":{\"p\":\"" + LeakGuard.CANARY
                    + "\"},\"tokens\":[]}",
            "{\"format\":1,\"mounts\":[{\"path\":\"transit/\",\"type\":\"transit\",\"kv_version\":0,"
                    + "\"description\":\"\",\"accessor\":\"a\",\"uuid\":\"u\",\"preset\":false}],\"kv2\":{},\"kv1\":{},"
                    + "\"transit\":{\"transit/\":{\"k\":{\"min_decryption_version\":1,\"versions\":[{\"key\":\""
                    + LeakGuard.CANARY + "\",\"created\":\"2024-01-01T00:00:00Z\"}]}}},\"policies\":{},\"tokens\":[]}"
        }) {
            Files.writeString(dir.resolve("vault.json"), content);
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> MockServer.builder().vaultState(dir).start());
            assertThat(refused.getMessage())
                    .contains(dir.resolve("vault.json").toString())
                    .doesNotContain(LeakGuard.CANARY);
            assertEquals(content, Files.readString(dir.resolve("vault.json")), "left as it was");
        }
        // The directory was let go each time.
        Files.delete(dir.resolve("vault.json"));
        MockServer.builder().vaultState(dir).start().close();
    }

    private static String context() {
        return "{\"context\":\"" + CONTEXT + "\"}";
    }

    private static String decryptBody(String ciphertext) {
        return "{\"context\":\"" + CONTEXT + "\",\"ciphertext\":\"" + ciphertext + "\"}";
    }
}
