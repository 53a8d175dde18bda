package io.mpsecrets.testkit.vault;

import static io.mpsecrets.testkit.vault.VaultHttp.mountInput;
import static io.mpsecrets.testkit.vault.VaultHttp.quoted;
import static io.mpsecrets.testkit.vault.VaultHttp.tokenCreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.VaultHttp.Answer;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What setting up a real Vault does, against the mock, with the requests the {@code vault} CLI sends: {@code vault
 * secrets enable|list|disable} ({@code sys/mounts}), {@code vault policy write|read|list|delete}
 * ({@code sys/policies/acl}), {@code vault token create -policy=...}, {@code vault token lookup}; and Vault's policy
 * language deciding what a token may, as Vault decides it. A fresh mock each test: these change its mount table.
 */
class MockVaultSetupTest {

    private MockServer server;
    private VaultHttp vault;

    @BeforeEach
    void start() {
        server = MockServer.start();
        vault = new VaultHttp(server.endpoint());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void secretsEnableListAndDisableAsVaultAnswersThem() throws Exception {
        Answer list = vault.call("GET", "sys/mounts", "root", null);
        assertEquals(200, list.status());
        JsonObject secret = list.data().getJsonObject("secret/");
        assertEquals("kv", secret.getString("type"));
        assertEquals("2", secret.getJsonObject("options").getString("version"));
        assertThat(list.data().keySet()).contains("sys/", "cubbyhole/", "identity/", "secret/");
        assertEquals("system", list.data().getJsonObject("sys/").getString("type"));
        // Vault puts a sys/ answer's data at the top level too, where older clients read it.
        assertEquals("kv", list.json().getJsonObject("secret/").getString("type"));

        // vault secrets enable transit: the mock serves transit/ from the start; the first enable takes it over.
        assertEquals(
                204,
                vault.call("POST", "sys/mounts/transit/", "root", mountInput("transit"))
                        .status());
        Answer again = vault.call("POST", "sys/mounts/transit/", "root", mountInput("transit"));
        assertEquals(400, again.status());
        assertEquals("path is already in use at transit/", again.error());

        // An engine at a path of one's own, used and then disabled.
        assertEquals(
                204,
                vault.call("POST", "sys/mounts/orders-transit/", "root", mountInput("transit"))
                        .status());
        assertEquals(
                200,
                vault.call("POST", "orders-transit/keys/orders", "root", "{}").status());
        assertEquals(
                "transit",
                vault.call("GET", "sys/mounts", "root", null)
                        .data()
                        .getJsonObject("orders-transit/")
                        .getString("type"));
        assertEquals(
                200,
                vault.call("GET", "orders-transit/keys/orders", "root", null).status());
        assertEquals(
                204,
                vault.call("DELETE", "sys/mounts/orders-transit/", "root", null).status());
        assertEquals(
                404,
                vault.call("GET", "orders-transit/keys/orders", "root", null).status());
        assertEquals(
                204,
                vault.call("DELETE", "sys/mounts/orders-transit/", "root", null).status(),
                "if it existed");
        assertThat(vault.call("GET", "sys/mounts", "root", null).data().keySet())
                .doesNotContain("orders-transit/");

        // KV version 2 at a nested path, and the CLI's preflight for vault kv.
        assertEquals(
                204,
                vault.call("POST", "sys/mounts/team/kv", "root", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}")
                        .status());
        assertEquals(
                200,
                vault.call("POST", "team/kv/data/app", "root", "{\"data\":{\"k\":\"" + LeakGuard.CANARY + "\"}}")
                        .status());
        assertEquals(
                LeakGuard.CANARY,
                vault.call("GET", "team/kv/data/app", "root", null)
                        .data()
                        .getJsonObject("data")
                        .getString("k"));
        JsonObject preflight = vault.call("GET", "sys/internal/ui/mounts/team/kv/app", "root", null)
                .data();
        assertEquals("team/kv/", preflight.getString("path"));
        assertEquals("2", preflight.getJsonObject("options").getString("version"));
        assertEquals(
                400,
                vault.call("POST", "sys/mounts/team/kv/inner", "root", mountInput("kv"))
                        .status(),
                "under a mount");

        // Vault's refusals.
        Answer ssh = vault.call("POST", "sys/mounts/ssh", "root", mountInput("ssh"));
        assertEquals(400, ssh.status());
        assertThat(ssh.error()).startsWith("plugin not found in the catalog: ssh");
        // the PKI engine is one the mock implements (MockPkiTest): its preset path is taken over
        assertEquals(
                204,
                vault.call("POST", "sys/mounts/pki", "root", mountInput("pki")).status());
        assertEquals(400, vault.call("POST", "sys/mounts/nothing", "root", "{}").status());
        assertEquals(
                400,
                vault.call("POST", "sys/mounts/sys", "root", mountInput("kv")).status());
        assertEquals(
                "cannot unmount \"sys/\"",
                vault.call("DELETE", "sys/mounts/sys", "root", null).error());
        assertEquals(
                400,
                vault.call("POST", "sys/mounts/a/../b", "root", mountInput("kv"))
                        .status());
        String plain = server.vault().token(java.time.Duration.ofMinutes(5));
        assertEquals(
                403,
                vault.call("POST", "sys/mounts/mine", plain, mountInput("kv")).status());
        assertEquals(403, vault.call("GET", "sys/mounts", plain, null).status());
    }

    /** A preset path enabled with another engine is that engine, empty: {@code kv/} as KV version 2. */
    @Test
    void enablingAPresetPathWithAnotherEngineReplacesIt() throws Exception {
        server.vault().putV1("kv/old", Map.of("k", "v"));
        assertEquals(
                204,
                vault.call("POST", "sys/mounts/kv", "root", "{\"type\":\"kv-v2\"}")
                        .status());
        assertEquals(404, vault.call("GET", "kv/old", "root", null).status());
        assertEquals(
                200,
                vault.call("POST", "kv/data/new", "root", "{\"data\":{\"k\":\"v\"}}")
                        .status());
        assertEquals(
                "2",
                vault.call("GET", "sys/mounts", "root", null)
                        .data()
                        .getJsonObject("kv/")
                        .getJsonObject("options")
                        .getString("version"));
    }

    /**
     * {@code vault policy write orders-read -} then {@code vault token create -policy=orders-read}: the token reads
     * what the policy grants, and is refused (403, Vault's error) elsewhere.
     */
    @Test
    void aTokenWithAPolicyWrittenInVaultsLanguageReadsOnlyWhatItGrants() throws Exception {
        String hcl = "# the orders service reads its own secrets\n"
                + "path \"secret/data/orders/*\" {\n"
                + "  capabilities = [\"read\"]\n"
                + "}\n";
        assertEquals(
                204,
                vault.call("PUT", "sys/policies/acl/orders-read", "root", "{\"policy\":" + quoted(hcl) + "}")
                        .status());
        Answer read = vault.call("GET", "sys/policies/acl/orders-read", "root", null);
        assertEquals("orders-read", read.data().getString("name"));
        assertEquals(hcl, read.data().getString("policy"));
        assertThat(vault.call("LIST", "sys/policies/acl", "root", null)
                        .data()
                        .getJsonArray("keys")
                        .getValuesAs(jakarta.json.JsonString::getString))
                .contains("default", "orders-read", "root");
        assertThat(vault.call("GET", "sys/policies/acl?list=true", "root", null)
                        .data()
                        .getJsonArray("keys")
                        .size())
                .isEqualTo(3);
        // The older sys/policy endpoints, which hvac uses: rules, and the list at the top level.
        assertEquals(
                hcl,
                vault.call("GET", "sys/policy/orders-read", "root", null).json().getString("rules"));
        assertThat(vault.call("GET", "sys/policy", "root", null).json().getJsonArray("policies"))
                .hasSize(3);

        Answer created = vault.call("POST", "auth/token/create", "root", tokenCreateRequest("orders-read"));
        assertEquals(200, created.status());
        JsonObject auth = created.json().getJsonObject("auth");
        String token = auth.getString("client_token");
        assertThat(auth.getJsonArray("policies").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("default", "orders-read");
        assertEquals(2764800, auth.getInt("lease_duration"), "768 h, a dev server's default");
        assertThat(auth.getBoolean("renewable")).isTrue();

        server.vault().putV2("secret/orders/db", Map.of("password", LeakGuard.CANARY));
        server.vault().putV2("secret/billing/db", Map.of("password", LeakGuard.CANARY));
        assertEquals(
                200, vault.call("GET", "secret/data/orders/db", token, null).status());
        Answer denied = vault.call("GET", "secret/data/billing/db", token, null);
        assertEquals(403, denied.status());
        assertEquals("1 error occurred:\n\t* permission denied\n\n", denied.error());
        assertEquals(
                403,
                vault.call("POST", "secret/data/orders/db", token, "{\"data\":{\"password\":\"x\"}}")
                        .status(),
                "read only");

        JsonObject self =
                vault.call("GET", "auth/token/lookup-self", token, null).data();
        assertThat(self.getJsonArray("policies").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("default", "orders-read");
        assertThat(self.getJsonNumber("ttl").longValue()).isBetween(2764790L, 2764800L);
        assertEquals(token, self.getString("id"));
        assertEquals(
                token,
                vault.call("POST", "auth/token/lookup", "root", "{\"token\":\"" + token + "\"}")
                        .data()
                        .getString("id"));

        // A policy changed or deleted applies at once, as in Vault.
        assertEquals(
                204,
                vault.call("DELETE", "sys/policies/acl/orders-read", "root", null)
                        .status());
        assertEquals(
                403, vault.call("GET", "secret/data/orders/db", token, null).status());
        assertEquals(
                404,
                vault.call("GET", "sys/policies/acl/orders-read", "root", null).status());
        assertEquals(
                "cannot delete \"default\" policy",
                vault.call("DELETE", "sys/policies/acl/default", "root", null).error());
        assertEquals(
                "cannot update \"root\" policy",
                vault.call("PUT", "sys/policies/acl/root", "root", "{\"policy\":" + quoted(hcl) + "}")
                        .error());
        assertEquals(
                "'policy' parameter not supplied or empty",
                vault.call("PUT", "sys/policies/acl/empty", "root", "{}").error());
    }

    /** Vault's rules for tokens made by tokens, and what the mock does not do refused rather than ignored. */
    @Test
    void tokensAreCreatedAsVaultCreatesThem() throws Exception {
        write("creator", "path \"auth/token/create\" { capabilities = [\"update\"] }\n");
        write("reader", "path \"secret/data/*\" { capabilities = [\"read\"] }\n");
        String creator = vault.call("POST", "auth/token/create", "root", tokenCreateRequest("creator", "reader"))
                .json()
                .getJsonObject("auth")
                .getString("client_token");
        Answer child = vault.call("POST", "auth/token/create", creator, tokenCreateRequest("reader"));
        assertEquals(200, child.status());
        Answer wider = vault.call("POST", "auth/token/create", creator, tokenCreateRequest("admin"));
        assertEquals(400, wider.status());
        assertEquals("child policies must be subset of parent", wider.error());
        String reader = vault.call("POST", "auth/token/create", "root", tokenCreateRequest("reader"))
                .json()
                .getJsonObject("auth")
                .getString("client_token");
        assertEquals(
                403,
                vault.call("POST", "auth/token/create", reader, tokenCreateRequest("reader"))
                        .status(),
                "creating tokens takes a grant on auth/token/create");

        JsonObject inherited =
                vault.call("POST", "auth/token/create", "root", "{}").json().getJsonObject("auth");
        assertThat(inherited.getJsonArray("policies").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("root");
        assertEquals(0, inherited.getInt("lease_duration"), "a root child without a TTL never expires");

        JsonObject shortLived = vault.call(
                        "POST",
                        "auth/token/create",
                        "root",
                        "{\"policies\":\"reader, Creator\",\"ttl\":\"90s\",\"no_default_policy\":true,"
                                + "\"renewable\":false,\"display_name\":\"ci job\",\"meta\":{\"job\":\"42\"}}")
                .json()
                .getJsonObject("auth");
        assertThat(shortLived.getJsonArray("policies").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("creator", "reader");
        assertEquals(90, shortLived.getInt("lease_duration"));
        assertThat(shortLived.getBoolean("renewable")).isFalse();
        assertEquals("42", shortLived.getJsonObject("metadata").getString("job"));
        String noDefault = shortLived.getString("client_token");
        assertEquals(
                "token-ci-job",
                vault.call("POST", "auth/token/lookup", "root", "{\"token\":\"" + noDefault + "\"}")
                        .data()
                        .getString("display_name"));
        assertEquals(
                403,
                vault.call("GET", "auth/token/lookup-self", noDefault, null).status(),
                "without the default policy a token may not look itself up");

        for (String unsupported : new String[] {
            "{\"num_uses\":3}", "{\"period\":\"1h\"}", "{\"explicit_max_ttl\":\"2h\"}", "{\"type\":\"batch\"}"
        }) {
            Answer refused = vault.call("POST", "auth/token/create", "root", unsupported);
            assertEquals(400, refused.status(), unsupported);
            assertThat(refused.error()).startsWith("the mock Vault does not implement");
        }

        assertEquals(
                204, vault.call("POST", "auth/token/revoke-self", reader, null).status());
        assertEquals(
                403, vault.call("GET", "auth/token/lookup-self", reader, null).status());
    }

    /**
     * Several policies' rules for one path are joined, {@code deny} overriding; one rule decides a request, the most
     * specific that matches (Vault's priority order), not any rule that grants.
     */
    @Test
    void rulesAreAppliedAsVaultAppliesThem() throws Exception {
        write(
                "broad",
                "path \"secret/*\" { capabilities = [\"read\"] }\n"
                        + "path \"secret/data/orders/*\" { capabilities = [\"deny\"] }\n");
        write("more", "path \"secret/data/orders/*\" { capabilities = [\"read\", \"list\"] }\n");
        write(
                "segments",
                "path \"secret/data/+/db\" { capabilities = [\"read\"] }\n"
                        + "path \"secret/data/billing/*\" { capabilities = [\"deny\"] }\n");
        write(
                "priority",
                "path \"secret/data/payments/*\" { capabilities = [\"read\"] }\n"
                        + "path \"secret/data/+/db\" { capabilities = [\"deny\"] }\n"
                        + "path \"secret/data/pay*\" { capabilities = [\"deny\"] }\n");
        for (String path : new String[] {"orders/db", "billing/db", "payments/db", "shop/db", "shop/x", "a/b/db"}) {
            server.vault().putV2("secret/" + path, Map.of("k", "v"));
        }
        String broad = token("broad", "more");
        assertEquals(200, status(broad, "shop/x"));
        assertEquals(403, status(broad, "orders/db"), "deny overrides read from another policy");

        String segments = token("segments");
        assertEquals(200, status(segments, "orders/db"), "+ is one segment");
        assertEquals(200, status(segments, "shop/db"));
        assertEquals(403, status(segments, "shop/x"));
        assertEquals(403, status(segments, "a/b/db"), "+ is not two segments");
        // secret/data/billing/* has its glob later than secret/data/+/db's +: it decides, and denies.
        assertEquals(403, status(segments, "billing/db"));

        String priority = token("priority");
        // The longest glob decides over the shorter one, and over a + that comes earlier in its path.
        assertEquals(200, status(priority, "payments/db"));
        assertEquals(403, status(priority, "shop/db"));
    }

    static Stream<Arguments> outsideTheSubset() {
        return Stream.of(
                Arguments.of(
                        "path \"a\" { capabilities = [\"read\"]\n allowed_parameters = {} }",
                        "line 2, column 2: unsupported key \"allowed_parameters\""),
                Arguments.of(
                        "// a comment\npath \"a\" { capabilities = [\"read\"] }",
                        "line 1, column 1: expected a key, found '/'"),
                Arguments.of(
                        "path \"a\" { capabilities = [\"reed\"] }",
                        "line 1, column 28: path \"a\": invalid capability \"reed\""),
                Arguments.of("path \"a\" {\n}", "line 2, column 2: path \"a\" has no capabilities"),
                Arguments.of(
                        "path \"a\" { capabilities = [\"read\"] capabilities = [\"list\"] }", "has capabilities twice"),
                Arguments.of(
                        "{\"path\": {\"a\": {\"capabilities\": [\"read\"]}}}",
                        "line 1, column 1: expected a key, found '{'"),
                Arguments.of("path \"a\" { policy = \"read\" }", "unsupported key \"policy\" in path \"a\""),
                Arguments.of("path \"a", "line 1, column 6: unterminated string"),
                Arguments.of("path \"a\" { capabilities = \"read\" }", "expected '[', found '\"'"),
                Arguments.of("path \"a\" { capabilities = [\"read\" \"list\"] }", "expected ',' or ']'"),
                Arguments.of("name = \"x\"", "line 1, column 1: unsupported key \"name\""));
    }

    /** Vault's policy language outside the subset the mock takes is refused with Vault's 400, never half-read. */
    @ParameterizedTest
    @MethodSource("outsideTheSubset")
    void policyTextOutsideTheSubsetIsRefused(String text, String expected) throws Exception {
        Answer refused = vault.call("PUT", "sys/policies/acl/bad", "root", "{\"policy\":" + quoted(text) + "}");
        assertEquals(400, refused.status());
        assertEquals(1, refused.json().getJsonArray("errors").size());
        assertThat(refused.error()).startsWith("failed to parse policy: ").contains(expected);
        assertEquals(
                404, vault.call("GET", "sys/policies/acl/bad", "root", null).status());
    }

    @Test
    void policyTextVaultTakesIsTaken() throws Exception {
        String hcl = "# comments\npath \"/secret/data/a\" {\n  # inside too\n  capabilities = [\n    \"read\",\n"
                + "    \"list\", # and after\n  ]\n}\npath \"secret/data/\\\"quoted\\\"\" { capabilities = [] }\n";
        assertEquals(
                204,
                vault.call("PUT", "sys/policies/acl/Mixed", "root", "{\"policy\":" + quoted(hcl) + "}")
                        .status());
        String base64 = Base64.getEncoder().encodeToString(hcl.getBytes(StandardCharsets.UTF_8));
        assertEquals(
                204,
                vault.call("POST", "sys/policy/encoded", "root", "{\"policy\":\"" + base64 + "\"}")
                        .status());
        assertEquals(
                hcl,
                vault.call("GET", "sys/policies/acl/encoded", "root", null)
                        .data()
                        .getString("policy"));
        server.vault().putV2("secret/a", Map.of("k", "v"));
        assertEquals(200, status(token("mixed"), "a"), "names are lower-cased; a leading / is dropped");
    }

    private void write(String name, String hcl) throws Exception {
        assertEquals(
                204,
                vault.call("PUT", "sys/policies/acl/" + name, "root", "{\"policy\":" + quoted(hcl) + "}")
                        .status());
    }

    private String token(String... policies) throws Exception {
        return vault.call("POST", "auth/token/create", "root", tokenCreateRequest(policies))
                .json()
                .getJsonObject("auth")
                .getString("client_token");
    }

    private int status(String token, String secret) throws Exception {
        return vault.call("GET", "secret/data/" + secret, token, null).status();
    }
}
