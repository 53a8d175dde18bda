package io.mpsecrets.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.WithMockServer;
import io.mpsecrets.testkit.leak.LeakGuard;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock Vault's HTTP API, as documented for {@code vault server -dev}, driven over HTTP. */
@WithMockServer
class MockVaultTest {

    private final MockServer server;
    private final MockVault vault;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    MockVaultTest(MockServer server) {
        this.server = server;
        this.vault = server.vault();
    }

    @AfterEach
    void reset() {
        vault.faults().reset();
        vault.counter().reset();
        vault.unseal();
        vault.requireNamespace(null);
    }

    private record Answer(int status, JsonObject json) {}

    private Answer call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/" + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json = response.body().isEmpty()
                ? null
                : Json.createReader(new StringReader(response.body())).readObject();
        return new Answer(response.statusCode(), json);
    }

    @Test
    void kvVersion2DataMetadataAndVersions() throws Exception {
        assertEquals(
                200,
                call("POST", "secret/data/kv2", "root", "{\"data\":{\"api_key\":\"one-" + LeakGuard.CANARY + "\"}}")
                        .status());
        vault.putV2("secret/kv2", Map.of("api_key", "two-" + LeakGuard.CANARY));
        Answer latest = call("GET", "secret/data/kv2", "root", null);
        assertEquals(200, latest.status());
        JsonObject data = latest.json().getJsonObject("data");
        assertEquals("two-" + LeakGuard.CANARY, data.getJsonObject("data").getString("api_key"));
        assertEquals(2, data.getJsonObject("metadata").getInt("version"));
        assertThat(data.getJsonObject("metadata").getString("created_time")).endsWith("Z");
        assertEquals(
                "one-" + LeakGuard.CANARY,
                call("GET", "secret/data/kv2?version=1", "root", null)
                        .json()
                        .getJsonObject("data")
                        .getJsonObject("data")
                        .getString("api_key"));
        Answer metadata = call("GET", "secret/metadata/kv2", "root", null);
        assertEquals(2, metadata.json().getJsonObject("data").getInt("current_version"));
        assertThat(metadata.json()
                        .getJsonObject("data")
                        .getJsonObject("versions")
                        .keySet())
                .containsExactly("1", "2");
        assertEquals(404, call("GET", "secret/data/absent", "root", null).status());
        assertEquals(404, call("GET", "secret/data/kv2?version=9", "root", null).status());
        assertEquals(1, vault.calls("metadata"));
    }

    @Test
    void kvVersion1() throws Exception {
        assertEquals(
                204,
                call("PUT", "kv/legacy", "root", "{\"password\":\"" + LeakGuard.CANARY + "\"}")
                        .status());
        Answer read = call("GET", "kv/legacy", "root", null);
        assertEquals(LeakGuard.CANARY, read.json().getJsonObject("data").getString("password"));
        assertEquals(404, call("GET", "nomount/x", "root", null).status());
    }

    @Test
    void tokensPoliciesAndVaultsErrorShape() throws Exception {
        vault.putV2("secret/orders", Map.of("k", "v"));
        vault.putV2("secret/billing", Map.of("k", "v"));
        vault.policy("orders-read", "secret/data/orders", "read");
        String token = vault.token(Duration.ZERO, "orders-read");
        assertEquals(200, call("GET", "secret/data/orders", token, null).status());
        Answer denied = call("GET", "secret/data/billing", token, null);
        assertEquals(403, denied.status());
        assertThat(denied.json().getJsonArray("errors").getString(0)).contains("permission denied");
        assertEquals(403, call("GET", "secret/data/orders", null, null).status());
        assertEquals(403, call("GET", "secret/data/orders", "hvs.unknown", null).status());
    }

    @Test
    void appRoleAndKubernetesLoginsAndRenewal() throws Exception {
        vault.putV2("secret/app", Map.of("k", "v"));
        vault.policy("app", "secret/data/app", "read");
        vault.appRole("role-1", "secret-1", Duration.ofMinutes(10), "app");
        Answer login = call("POST", "auth/approle/login", null, "{\"role_id\":\"role-1\",\"secret_id\":\"secret-1\"}");
        assertEquals(200, login.status());
        JsonObject auth = login.json().getJsonObject("auth");
        assertThat(auth.getJsonNumber("lease_duration").longValue()).isBetween(590L, 600L);
        assertThat(auth.getBoolean("renewable")).isTrue();
        String token = auth.getString("client_token");
        assertEquals(200, call("GET", "secret/data/app", token, null).status());
        assertEquals(
                400,
                call("POST", "auth/approle/login", null, "{\"role_id\":\"role-1\",\"secret_id\":\"wrong\"}")
                        .status());
        Answer renewed = call("POST", "auth/token/renew-self", token, "{}");
        assertEquals(200, renewed.status());
        assertEquals(token, renewed.json().getJsonObject("auth").getString("client_token"));
        assertEquals(
                true,
                call("GET", "auth/token/lookup-self", token, null)
                        .json()
                        .getJsonObject("data")
                        .getBoolean("renewable"));

        vault.kubernetesRole("orders", "jwt-of-the-pod", Duration.ofMinutes(5), "app");
        Answer k8s = call("POST", "auth/kubernetes/login", null, "{\"role\":\"orders\",\"jwt\":\"jwt-of-the-pod\"}");
        assertEquals(200, k8s.status());
        assertEquals(
                403,
                call("POST", "auth/kubernetes/login", null, "{\"role\":\"orders\",\"jwt\":\"forged\"}")
                        .status());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        vault.putV2("secret/short", Map.of("k", "v"));
        vault.policy("short", "secret/data/short", "read");
        String token = vault.token(Duration.ofSeconds(1), "short");
        assertEquals(200, call("GET", "secret/data/short", token, null).status());
        Thread.sleep(1200);
        assertEquals(403, call("GET", "secret/data/short", token, null).status());
    }

    @Test
    void sealedNamespacesAndFaults() throws Exception {
        vault.putV2("secret/x", Map.of("k", "v"));
        vault.seal();
        Answer sealed = call("GET", "secret/data/x", "root", null);
        assertEquals(503, sealed.status());
        assertThat(sealed.json().getJsonArray("errors").getString(0)).isEqualTo("Vault is sealed");
        vault.unseal();

        vault.requireNamespace("team-a");
        assertEquals(403, call("GET", "secret/data/x", "root", null).status());
        HttpResponse<String> withNamespace = http.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/v1/secret/data/x"))
                        .header("X-Vault-Token", "root")
                        .header("X-Vault-Namespace", "team-a")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withNamespace.statusCode());
        assertThat(vault.namespacesSeen()).contains("team-a");
        vault.requireNamespace(null);

        vault.faults().throttleNext(1);
        assertEquals(429, call("GET", "secret/data/x", "root", null).status());
        vault.faults().failNext(1);
        assertEquals(500, call("GET", "secret/data/x", "root", null).status());
        assertEquals(200, call("GET", "secret/data/x", "root", null).status());
        assertEquals(6, vault.calls("read"), "every GET counted, whatever its answer");
    }

    /**
     * The database engine as {@code vault write database/config/...}, {@code database/roles/...}, {@code vault read
     * database/creds/...} and {@code vault lease renew|lookup|revoke} drive it, over a real H2 database.
     */
    @Test
    void databaseEngineIssuesRenewsAndRevokesRealUsers() throws Exception {
        String url = "jdbc:h2:mem:mockvault" + System.nanoTime();
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url, "sa", "admin")) {
            assertEquals(
                    204,
                    call(
                                    "POST",
                                    "database/config/h2",
                                    "root",
                                    Json.createObjectBuilder()
                                            .add("plugin_name", "h2")
                                            .add("connection_url", url)
                                            .add("username", "sa")
                                            .add("password", "admin")
                                            .build()
                                            .toString())
                            .status());
            assertEquals(
                    204,
                    call(
                                    "POST",
                                    "database/roles/reader",
                                    "root",
                                    "{\"db_name\":\"h2\",\"creation_statements\":\"CREATE USER {{name}} PASSWORD"
                                            + " '{{password}}';\",\"revocation_statements\":[\"DROP USER {{name}}\"],"
                                            + "\"default_ttl\":\"1h\",\"max_ttl\":5400}")
                            .status());
            Answer creds = call("GET", "database/creds/reader", "root", null);
            assertEquals(200, creds.status());
            String lease = creds.json().getString("lease_id");
            assertThat(lease).startsWith("database/creds/reader/");
            assertEquals(3600, creds.json().getInt("lease_duration"));
            assertEquals(true, creds.json().getBoolean("renewable"));
            String user = creds.json().getJsonObject("data").getString("username");
            String password = creds.json().getJsonObject("data").getString("password");
            java.sql.DriverManager.getConnection(url, user, password).close();

            // Renewal is capped at max_ttl from issue (1.5 h): 2 h asked, about 1.5 h granted, with Vault's warning.
            Answer renewed =
                    call("PUT", "sys/leases/renew", "root", "{\"lease_id\":\"" + lease + "\",\"increment\":7200}");
            assertEquals(200, renewed.status());
            assertThat(renewed.json().getInt("lease_duration")).isBetween(5390, 5400);
            assertThat(renewed.json().getJsonArray("warnings").getString(0)).contains("capped");
            Answer lookup = call("PUT", "sys/leases/lookup", "root", "{\"lease_id\":\"" + lease + "\"}");
            assertEquals(lease, lookup.json().getJsonObject("data").getString("id"));

            assertEquals(
                    204,
                    call("PUT", "sys/leases/revoke", "root", "{\"lease_id\":\"" + lease + "\"}")
                            .status());
            assertThat(org.junit.jupiter.api.Assertions.assertThrows(
                                    java.sql.SQLException.class,
                                    () -> java.sql.DriverManager.getConnection(url, user, password))
                            .getMessage())
                    .doesNotContain(password);
            assertEquals(
                    400,
                    call("PUT", "sys/leases/renew", "root", "{\"lease_id\":\"" + lease + "\"}")
                            .status());
            assertEquals(
                    400,
                    call("PUT", "sys/leases/lookup", "root", "{\"lease_id\":\"" + lease + "\"}")
                            .status());
            // A token without a policy for the path is refused, as Vault does.
            String reader = vault.token(Duration.ofMinutes(5));
            assertEquals(403, call("GET", "database/creds/reader", reader, null).status());
            vault.policy("creds", "database/creds/reader", "read");
            assertEquals(
                    200,
                    call("GET", "database/creds/reader", vault.token(Duration.ofMinutes(5), "creds"), null)
                            .status());
            // Every lease is accounted for: revoked, expired or live.
            assertEquals(1, vault.database().revoked("reader"));
            assertEquals(0, vault.database().expired("reader"));
            assertEquals(1, vault.database().leases("reader").size());
            assertEquals(2, vault.database().issued("reader"));
        }
    }

    /**
     * Transit's Read Key, as HashiCorp's clients (hvac's {@code read_key}, Spring Vault's {@code getKey}) call it after
     * creating or rotating a key: type, derivation, versions with creation times, latest and minimum versions.
     */
    @Test
    void transitReadKeyDescribesTheKeyAsVaultDoes() throws Exception {
        String name = "orders-" + System.nanoTime() + ".v1";
        Answer created = call("POST", "transit/keys/" + name, "root", "{\"derived\":true}");
        assertEquals(200, created.status());
        assertEquals(1, created.json().getJsonObject("data").getInt("latest_version"));
        Answer rotated = call("POST", "transit/keys/" + name + "/rotate", "root", null);
        assertEquals(2, rotated.json().getJsonObject("data").getInt("latest_version"));
        assertEquals(
                204,
                call("POST", "transit/keys/" + name + "/config", "root", "{\"min_decryption_version\":2}")
                        .status());

        Answer read = call("GET", "transit/keys/" + name, "root", null);
        assertEquals(200, read.status());
        JsonObject key = read.json().getJsonObject("data");
        assertEquals(name, key.getString("name"));
        assertEquals("aes256-gcm96", key.getString("type"));
        assertThat(key.getBoolean("derived")).isTrue();
        assertEquals("hkdf_sha256", key.getString("kdf"));
        assertEquals(2, key.getInt("latest_version"));
        assertEquals(2, key.getInt("min_decryption_version"));
        assertEquals(0, key.getInt("min_encryption_version"));
        assertThat(key.getBoolean("supports_encryption")).isTrue();
        assertThat(key.getBoolean("supports_derivation")).isTrue();
        assertThat(key.getJsonObject("keys").keySet()).containsExactly("1", "2");
        assertThat(key.getJsonObject("keys").getJsonNumber("2").longValue())
                .isBetween(
                        java.time.Instant.now().getEpochSecond() - 60,
                        java.time.Instant.now().getEpochSecond());
        assertEquals(4, vault.calls("transit:keys"), "create, rotate, config and read");

        Answer absent = call("GET", "transit/keys/absent" + System.nanoTime(), "root", null);
        assertEquals(404, absent.status());
        assertThat(absent.json().getJsonArray("errors")).isEmpty();
        // Names Vault's routes do not match: no route, whatever follows.
        assertEquals(404, call("GET", "transit/keys/-" + name, "root", null).status());
        assertEquals(
                404, call("POST", "transit/datakey/plaintext/a..", "root", "{}").status());
        // Reading needs read on the path; an update grant does not do.
        vault.policy("transit-use", "transit/*", "update");
        assertEquals(
                403,
                call("GET", "transit/keys/" + name, vault.token(Duration.ofMinutes(5), "transit-use"), null)
                        .status());
    }

    /**
     * The database engine's static roles: Vault sets the password of a user it does not create when the role is
     * written, at each rotation period and on {@code rotate-role}; {@code static-creds} answers without a lease,
     * with {@code last_vault_rotation} and the seconds to the next rotation.
     */
    @Test
    void staticRolesRotateTheirPassword() throws Exception {
        String url = "jdbc:h2:mem:mockvaultstatic" + System.nanoTime();
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(url, "sa", "admin");
                java.sql.Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER APP PASSWORD 'set-by-hand'");
            vault.database().connection("h2static", url, "sa", "admin");
            assertEquals(
                    204,
                    call(
                                    "POST",
                                    "database/static-roles/app",
                                    "root",
                                    "{\"db_name\":\"h2static\",\"username\":\"APP\",\"rotation_period\":\"1h\","
                                            + "\"rotation_statements\":[\"ALTER USER {{name}} SET PASSWORD"
                                            + " '{{password}}'\"]}")
                            .status());
            Answer first = call("GET", "database/static-creds/app", "root", null);
            assertEquals(200, first.status());
            assertEquals("", first.json().getString("lease_id"));
            assertEquals(0, first.json().getInt("lease_duration"));
            JsonObject data = first.json().getJsonObject("data");
            assertEquals("APP", data.getString("username"));
            assertEquals(3600, data.getInt("rotation_period"));
            assertThat(data.getJsonNumber("ttl").longValue()).isBetween(3590L, 3600L);
            java.time.OffsetDateTime.parse(data.getString("last_vault_rotation"));
            java.sql.DriverManager.getConnection(url, "APP", data.getString("password"))
                    .close();

            assertEquals(
                    204, call("POST", "database/rotate-role/app", "root", null).status());
            JsonObject second = call("GET", "database/static-creds/app", "root", null)
                    .json()
                    .getJsonObject("data");
            assertThat(second.getString("password")).isNotEqualTo(data.getString("password"));
            assertThat(second.getString("last_vault_rotation")).isNotEqualTo(data.getString("last_vault_rotation"));
            java.sql.DriverManager.getConnection(url, "APP", second.getString("password"))
                    .close();
            org.junit.jupiter.api.Assertions.assertThrows(
                    java.sql.SQLException.class,
                    () -> java.sql.DriverManager.getConnection(url, "APP", data.getString("password")));
            assertEquals(2, vault.database().rotations("app"));
            assertEquals(2, vault.calls("database:static-creds"));

            // A short period rotates by itself.
            vault.database()
                    .staticRole(
                            "fast",
                            "h2static",
                            "APP",
                            List.of("ALTER USER {{name}} SET PASSWORD '{{password}}'"),
                            Duration.ofSeconds(1));
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (vault.database().rotations("fast") < 2) {
                assertThat(System.nanoTime() - end).as("a rotation within 5 s").isNegative();
                Thread.sleep(20);
            }
            assertEquals(
                    400,
                    call("GET", "database/static-creds/absent", "root", null).status());
        }
    }
    /**
     * A connection whose JDBC driver is not on the testkit's class path (from {@code java -jar}, none is) is refused
     * saying so, where Vault verifies a connection (when it is written) and where the mock uses it (issuing
     * credentials), naming the URL's scheme only: the rest of a URL may hold a password.
     */
    @Test
    void aConnectionWithoutItsJdbcDriverSaysSo() throws Exception {
        String url = "jdbc:nosuchdb://db.example:5432/orders?password=" + LeakGuard.CANARY;
        String config = Json.createObjectBuilder()
                .add("plugin_name", "nosuchdb")
                .add("connection_url", url)
                .add("username", "admin")
                .add("password", "admin-" + LeakGuard.CANARY)
                .build()
                .toString();
        Answer refused = call("POST", "database/config/nodriver", "root", config);
        assertEquals(400, refused.status());
        String message = refused.json().getJsonArray("errors").getString(0);
        assertThat(message)
                .startsWith("error creating database object: no JDBC driver for jdbc:nosuchdb:...; put it on the"
                        + " class path beside the testkit: java -cp mpsecrets-testkit.jar")
                .contains("io.mpsecrets.testkit.Main", "must be reachable from the testkit")
                .doesNotContain(LeakGuard.CANARY, "db.example");

        // Not verified when written (verify_connection=false, as Vault allows): refused when used, the same way.
        String unverified = config.substring(0, config.length() - 1) + ",\"verify_connection\":false}";
        assertEquals(
                204,
                call("POST", "database/config/nodriver", "root", unverified).status());
        assertEquals(
                204,
                call(
                                "POST",
                                "database/roles/nodriver",
                                "root",
                                "{\"db_name\":\"nodriver\",\"creation_statements\":\"CREATE USER {{name}}\"}")
                        .status());
        Answer creds = call("GET", "database/creds/nodriver", "root", null);
        assertEquals(500, creds.status());
        assertThat(creds.json().getJsonArray("errors").getString(0))
                .startsWith("no JDBC driver for jdbc:nosuchdb:...; put it on the class path")
                .doesNotContain(LeakGuard.CANARY);

        // Vault's plugins take postgresql://... URLs; the mock runs JDBC and says so.
        Answer notJdbc = call(
                "POST",
                "database/config/pg",
                "root",
                config.replace(url, "postgresql://admin:" + LeakGuard.CANARY + "@db.example/orders"));
        assertEquals(400, notJdbc.status());
        assertThat(notJdbc.json().getJsonArray("errors").getString(0))
                .contains("connection_url must be a JDBC URL (jdbc:...)")
                .doesNotContain(LeakGuard.CANARY);
    }
}
