package io.mpsecrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpsecrets.api.FailureReason;
import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretAccessDeniedException;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.api.spi.SecretChanges;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.TestCertificates;
import io.mpsecrets.testkit.leak.LeakGuard;
import io.mpsecrets.testkit.vault.JwtIssuer;
import io.mpsecrets.testkit.vault.MockVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every login method against the mock Vault, as Vault checks them: JWT/OIDC, userpass, LDAP, wrapped AppRole secret
 * ids and tokens, namespaces, TLS certificates, Vault Agent, and AWS without mpsecrets-aws. For each: a login that
 * works, one Vault refuses (an access denied naming the method, not the material), a token that ends and a new login,
 * and the leak guard over what the test saw (secret material and the tokens Vault gave are watched).
 */
class VaultAuthTest {

    private static final SecretId ORDERS = SecretId.of("secret/orders");
    private static final String VALUE = "{\"k\":\"v-" + LeakGuard.CANARY + "\"}";

    @TempDir
    Path dir;

    private MockServer server;
    private MockVault vault;
    private final List<VaultSecretStore> stores = new ArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final BackendEvents events = new BackendEvents() {
        @Override
        public void failedOver(SecretRef ref, String from, String to, FailureReason reason) {}

        @Override
        public void credentialsRefused(SecretRef ref, String detail) {
            refusals.add(detail);
        }
    };

    @BeforeEach
    void start() {
        server = MockServer.start();
        vault = server.vault();
        vault.putV2("secret/orders", Map.of("k", "v-" + LeakGuard.CANARY));
        vault.policy("orders", "secret/data/orders", "read");
    }

    @AfterEach
    void stop() {
        stores.forEach(VaultSecretStore::close);
        server.close();
    }

    private VaultSecretStore store(String... settings) {
        return store(server, settings);
    }

    private VaultSecretStore store(MockServer on, String... settings) {
        Map<String, String> values = new HashMap<>(
                Map.of("mpsecrets.vault.address", on.endpoint().toString(), "mpsecrets.vault.max-attempts", "1"));
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        VaultSecretStore store = new VaultSecretStore(
                VaultSettings.read(new Settings(name -> Optional.ofNullable(values.get(name))), Map.of()),
                LeaseSettings.DEFAULT,
                SecretChanges.NONE,
                events,
                "test");
        stores.add(store);
        return store;
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content + "\n");
    }

    /** The tokens the mock gave, watched: none may appear in what the test saw. */
    private void watchTokens(String mount) {
        vault.loginTokens(mount).forEach(LeakGuard::watch);
    }

    // ---- JWT / OIDC ----

    @Test
    void jwtLogsInWithTheJwtInItsFileReadAgainAtEachLogin() throws Exception {
        JwtIssuer first = JwtIssuer.rsa();
        vault.jwtAuth("jwt", first.issuer(), first.publicKey());
        vault.jwtRole("jwt", "orders", Set.of("vault"), Map.of(), Duration.ofHours(1), "orders");
        String jwt = first.issue("system:serviceaccount:shop:orders", "vault", Duration.ofMinutes(10), Map.of());
        LeakGuard.watch(jwt);
        Path file = file("token", jwt);
        VaultSecretStore store = store(
                "mpsecrets.vault.auth", "jwt",
                "mpsecrets.vault.jwt.role", "orders",
                "mpsecrets.vault.jwt.jwt-file", file.toString());
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        watchTokens("jwt");

        // The issuer's key rotates and the file is replaced (a projected token's refresh); an operator revokes the
        // token: the next read logs in again, with the new file's JWT, which alone verifies now.
        JwtIssuer second = JwtIssuer.ec();
        vault.jwtAuth("jwt", second.issuer(), second.publicKey());
        String next = second.issue("system:serviceaccount:shop:orders", "vault", Duration.ofMinutes(10), Map.of());
        LeakGuard.watch(next);
        Files.writeString(file, next);
        assertEquals(1, vault.revokeLoginTokens("jwt"));
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(2, vault.calls("login:jwt"));
        assertThat(refusals).singleElement().asString().contains("no longer accepts", "jwt mount=jwt role=orders");
        watchTokens("jwt");
        LeakGuard.assertNoLeak(store, refusals);
    }

    @Test
    void aJwtVaultRefusesIsAnAccessDeniedNamingTheMethodNeverTheJwt() throws Exception {
        JwtIssuer issuer = JwtIssuer.rsa();
        vault.jwtAuth("ci", issuer.issuer(), issuer.publicKey());
        vault.jwtRole("ci", "deploy", Set.of("vault"), Map.of("ref", "main"), Duration.ofHours(1), "orders");
        String wrongBranch = issuer.issue("repo:acme/orders", "vault", Duration.ofMinutes(10), Map.of("ref", "dev"));
        LeakGuard.watch(wrongBranch);
        VaultSecretStore store = store(
                "mpsecrets.vault.auth", "oidc",
                "mpsecrets.vault.jwt.mount", "ci",
                "mpsecrets.vault.jwt.role", "deploy",
                "mpsecrets.vault.jwt.jwt-file", file("ci-token", wrongBranch).toString());
        SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
        assertThat(e.getMessage())
                .contains("Vault refused the oidc mount=ci role=deploy", "does not match any associated bound claim")
                .contains("jwt-file=" + dir.resolve("ci-token"));
        LeakGuard.assertNoLeak(e, store);
    }

    /**
     * A token cut short by its max TTL: the renewal grants less than asked, so the next login is due before the token
     * ends, rather than a renewal that would only shorten it again.
     */
    @Test
    void aTokenAtItsMaxTtlIsReplacedByANewLoginBeforeItEnds() throws Exception {
        JwtIssuer issuer = JwtIssuer.rsa();
        vault.jwtAuth("jwt", issuer.issuer(), issuer.publicKey());
        vault.jwtRole("jwt", "orders", Set.of("vault"), Map.of(), Duration.ofHours(1), "orders");
        vault.tokenMaxTtl(Duration.ofSeconds(2));
        VaultSecretStore store = store(
                "mpsecrets.vault.auth",
                "jwt",
                "mpsecrets.vault.jwt.role",
                "orders",
                "mpsecrets.vault.jwt.jwt-file",
                file("token", issuer.issue("orders", "vault", Duration.ofMinutes(10), Map.of()))
                        .toString());
        store.fetch(ORDERS);
        Thread.sleep(1_500); // past two thirds of the 2 s the login gave: renewal is due
        store.fetch(ORDERS);
        assertEquals(1, vault.calls("renew-self"));
        assertEquals(1, vault.calls("login:jwt"), "the renewal came back short: the token serves, a login is due");
        store.fetch(ORDERS);
        assertEquals(2, vault.calls("login:jwt"));
        assertEquals(1, vault.calls("renew-self"), "no renewal of a token at its max TTL");
        assertThat(refusals).isEmpty();
    }

    /** A token revoked between requests is found at its renewal: audited as a refusal, and one login replaces it. */
    @Test
    void aTokenRevokedBeforeItsRenewalIsAuditedAndReplacedByOneLogin() throws Exception {
        JwtIssuer issuer = JwtIssuer.rsa();
        vault.jwtAuth("jwt", issuer.issuer(), issuer.publicKey());
        vault.jwtRole("jwt", "orders", Set.of("vault"), Map.of(), Duration.ofSeconds(2), "orders");
        VaultSecretStore store = store(
                "mpsecrets.vault.auth",
                "jwt",
                "mpsecrets.vault.jwt.role",
                "orders",
                "mpsecrets.vault.jwt.jwt-file",
                file("token", issuer.issue("orders", "vault", Duration.ofMinutes(10), Map.of()))
                        .toString());
        store.fetch(ORDERS);
        assertEquals(1, vault.revokeLoginTokens("jwt"));
        Thread.sleep(1_500); // past two thirds of the 2 s the login gave: renewal is due
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(1, vault.calls("renew-self"));
        assertEquals(2, vault.calls("login:jwt"));
        assertThat(refusals).singleElement().asString().contains("refuses to renew the token", "jwt mount=jwt");
    }

    /** Vault revokes every token it gives: one login after the first refusal, then logins wait, the refusal stands. */
    @Test
    void aVaultThatKeepsRevokingItsTokensIsNotAnsweredWithALoginPerRequest() throws Exception {
        vault.userpassUser("userpass", "orders", "pw-" + LeakGuard.CANARY, Duration.ofHours(1), "orders");
        VaultSecretStore store = store(
                "mpsecrets.vault.auth", "userpass",
                "mpsecrets.vault.userpass.username", "orders",
                "mpsecrets.vault.userpass.password-file",
                        file("password", "pw-" + LeakGuard.CANARY).toString());
        store.fetch(ORDERS);
        vault.revokeLoginTokens("userpass");
        store.fetch(ORDERS);
        assertEquals(2, vault.calls("login:userpass"), "one login again after the first refusal");
        vault.revokeLoginTokens("userpass");
        for (int i = 0; i < 5; i++) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
            assertThat(e.getMessage()).contains("within a minute of their login", "the next login is in");
        }
        assertEquals(2, vault.calls("login:userpass"), "no login per request while Vault keeps revoking");
        assertEquals(2, refusals.size());
    }

    /**
     * A refused login is not sent again with every request: the next waits a backoff, and requests meanwhile fail at
     * once with the refusal (a password file not yet updated is not a login per request against Vault's limits).
     */
    @Test
    void aRefusedLoginIsNotRepeatedByEveryRequest() throws Exception {
        vault.userpassUser("userpass", "orders", "right-" + LeakGuard.CANARY, Duration.ofHours(1), "orders");
        VaultSecretStore store = store(
                "mpsecrets.vault.auth", "userpass",
                "mpsecrets.vault.userpass.username", "orders",
                "mpsecrets.vault.userpass.password-file",
                        file("password", "wrong-" + LeakGuard.CANARY).toString());
        for (int i = 0; i < 5; i++) {
            SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
            assertThat(e.getMessage()).contains("Vault refused the userpass mount=userpass username=orders");
            LeakGuard.assertNoLeak(e);
        }
        assertEquals(1, vault.calls("login:userpass"), "one login, then a backoff before the next");
    }

    // ---- userpass, LDAP ----

    @Test
    void userpassAndLdapReadThePasswordFromAFile() throws Exception {
        vault.userpassUser("userpass", "orders", "up-" + LeakGuard.CANARY, Duration.ofHours(1), "orders");
        vault.ldapUser("corp", "svc-orders", "ldap-" + LeakGuard.CANARY, Duration.ofHours(1), "orders");
        assertEquals(
                VALUE,
                store(
                                "mpsecrets.vault.auth",
                                "userpass",
                                "mpsecrets.vault.userpass.username",
                                "orders",
                                "mpsecrets.vault.userpass.password-file",
                                file("up", "up-" + LeakGuard.CANARY).toString())
                        .fetch(ORDERS)
                        .asString());
        VaultSecretStore ldap = store(
                "mpsecrets.vault.auth", "ldap",
                "mpsecrets.vault.ldap.mount", "corp",
                "mpsecrets.vault.ldap.username", "svc-orders",
                "mpsecrets.vault.ldap.password-file",
                        file("ldap", "ldap-" + LeakGuard.CANARY).toString());
        assertEquals(VALUE, ldap.fetch(ORDERS).asString());
        watchTokens("userpass");
        watchTokens("corp");

        VaultSecretStore wrong = store(
                "mpsecrets.vault.auth", "ldap",
                "mpsecrets.vault.ldap.mount", "corp",
                "mpsecrets.vault.ldap.username", "svc-orders",
                "mpsecrets.vault.ldap.password-file",
                        file("stale", "old-" + LeakGuard.CANARY).toString());
        SecretException e = assertThrows(SecretAccessDeniedException.class, () -> wrong.fetch(ORDERS));
        assertThat(e.getMessage()).contains("ldap mount=corp username=svc-orders", "failed to bind as user");
        LeakGuard.assertNoLeak(e, ldap, wrong);
    }

    @Test
    void aPasswordIsNeverASetting() {
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> store(
                        "mpsecrets.vault.auth", "userpass",
                        "mpsecrets.vault.userpass.username", "orders",
                        "mpsecrets.vault.userpass.password", LeakGuard.CANARY));
        assertThat(e.getMessage()).contains("mpsecrets.vault.userpass.password-file");
        LeakGuard.assertNoLeak(e);
    }

    // ---- response wrapping ----

    @Test
    void aWrappedSecretIdIsUnwrappedOnceAndSecondUseIsAnAuditedDenial() throws Exception {
        vault.appRole("orders-role", "first", Duration.ofHours(1), "orders");
        String wrapping = vault.wrappedSecretId("orders-role", Duration.ofMinutes(5));
        LeakGuard.watch(wrapping);
        Path file = file("wrapped-secret-id", wrapping);
        String[] settings = {
            "mpsecrets.vault.auth", "approle",
            "mpsecrets.vault.approle.role-id", "orders-role",
            "mpsecrets.vault.approle.wrapped-secret-id-file", file.toString()
        };
        VaultSecretStore store = store(settings);
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        vault.revokeLoginTokens("approle");
        assertEquals(VALUE, store.fetch(ORDERS).asString(), "logged in again with the secret id unwrapped before");
        assertEquals(1, vault.calls("unwrap"));
        assertEquals(2, vault.calls("login:approle"));
        watchTokens("approle");

        // Another process used it (here: a second store, as an attacker who read the file would): refused, audited.
        SecretException e = assertThrows(
                SecretAccessDeniedException.class, () -> store(settings).fetch(ORDERS));
        assertThat(e.getMessage()).contains("is not valid", "someone else may have", file.toString());
        assertThat(refusals).anySatisfy(refusal -> assertThat(refusal).contains("is not valid"));
        LeakGuard.assertNoLeak(e, store, refusals);
    }

    @Test
    void aWrappingTokenMadeElsewhereIsNotUnwrapped() throws Exception {
        vault.appRole("orders-role", "first", Duration.ofHours(1), "orders");
        String substituted = vault.wrap(Map.of("secret_id", "attackers-" + LeakGuard.CANARY), Duration.ofMinutes(5));
        VaultSecretStore store = store(
                "mpsecrets.vault.auth", "approle",
                "mpsecrets.vault.approle.role-id", "orders-role",
                "mpsecrets.vault.approle.wrapped-secret-id-file",
                        file("wrapped", substituted).toString());
        SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
        assertThat(e.getMessage()).contains("does not wrap an AppRole secret id", "sys/wrapping/wrap", "substituted");
        assertEquals(0, vault.calls("unwrap"), "looked up, never unwrapped");
        assertThat(refusals).hasSize(1);
        LeakGuard.assertNoLeak(e);
    }

    @Test
    void aWrappedTokenIsUnwrappedAndANewWrappingTokenInTheFileIsUsedWhenVaultRefusesTheFirst() throws Exception {
        Path file = file("wrapped-token", vault.wrappedToken(Duration.ofMinutes(5), Duration.ofHours(1), "orders"));
        VaultSecretStore store = store("mpsecrets.vault.wrapped-token-file", file.toString());
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(1, vault.revokeTokensMadeAt("auth/token/create"));
        Files.writeString(file, vault.wrappedToken(Duration.ofMinutes(5), Duration.ofHours(1), "orders"));
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(2, vault.calls("unwrap"));

        // Revoked again, and no new wrapping token: the spent one is not sent again. (A second token refused within a
        // minute of its login also holds the next login back: the denial says that first.)
        assertEquals(1, vault.revokeTokensMadeAt("auth/token/create"));
        SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
        assertThat(e.getMessage()).contains("within a minute of their login");
        assertEquals(2, vault.calls("unwrap"), "a spent wrapping token is not sent again");
    }

    @Test
    void aSpentWrappedTokenIsNotSentAgain() throws Exception {
        Path file = file("wrapped-token", vault.wrappedToken(Duration.ofMinutes(5), Duration.ofHours(1), "orders"));
        VaultSecretStore store = store("mpsecrets.vault.wrapped-token-file", file.toString());
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(1, vault.revokeTokensMadeAt("auth/token/create"));
        SecretException e = assertThrows(SecretAccessDeniedException.class, () -> store.fetch(ORDERS));
        assertThat(e.getMessage()).contains("was unwrapped already", "deliver a new wrapping token", file.toString());
        assertEquals(1, vault.calls("unwrap"));
        LeakGuard.assertNoLeak(e);
    }

    // ---- namespaces ----

    @Test
    void theNamespaceGoesWithEveryRequestAndTheLoginToTheAuthNamespace() throws Exception {
        vault.userpassUser("userpass", "orders", "pw", Duration.ofHours(1), "orders");
        vault.authNamespace("team-a");
        vault.requireNamespace("team-a/orders");
        String[] base = {
            "mpsecrets.vault.auth", "userpass",
            "mpsecrets.vault.namespace", "team-a/orders",
            "mpsecrets.vault.userpass.username", "orders",
            "mpsecrets.vault.userpass.password-file", file("pw", "pw").toString()
        };
        SecretException e = assertThrows(
                SecretAccessDeniedException.class, () -> store(base).fetch(ORDERS));
        assertThat(e.getMessage()).contains("no handler for route");
        List<String> withAuthNamespace = new ArrayList<>(List.of(base));
        withAuthNamespace.addAll(List.of("mpsecrets.vault.auth-namespace", "team-a"));
        assertEquals(
                VALUE,
                store(withAuthNamespace.toArray(String[]::new)).fetch(ORDERS).asString());
        assertThat(vault.namespacesSeen()).contains("team-a", "team-a/orders");
    }

    // ---- TLS certificates ----

    @Test
    void certLogsInWithTheClientCertificateOfTheConnection() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir);
        try (MockServer https = MockServer.builder()
                .tls(certificates.serverContext())
                .wantClientCertificates()
                .start()) {
            https.vault().putV2("secret/orders", Map.of("k", "v-" + LeakGuard.CANARY));
            https.vault().policy("orders", "secret/data/orders", "read");
            https.vault().certRole("cert", "web", certificates.clientCa(), Duration.ofHours(1), "orders");
            TestCertificates.ClientCertificate client = certificates.clientCertificate("orders");
            String ca = certificates.caBundle().toString();
            assertEquals(
                    VALUE,
                    store(
                                    https,
                                    "mpsecrets.vault.auth",
                                    "cert",
                                    "mpsecrets.vault.cert.role",
                                    "web",
                                    "mpsecrets.vault.ca-bundle",
                                    ca,
                                    "mpsecrets.vault.client-cert",
                                    client.certificatePem().toString(),
                                    "mpsecrets.vault.client-key",
                                    client.privateKeyPem().toString())
                            .fetch(ORDERS)
                            .asString());
            assertEquals(
                    VALUE,
                    store(
                                    https,
                                    "mpsecrets.vault.auth",
                                    "cert",
                                    "mpsecrets.vault.ca-bundle",
                                    ca,
                                    "mpsecrets.vault.client-key-store",
                                    client.keyStore().toString(),
                                    "mpsecrets.vault.client-key-store-password-file",
                                    file("store-password", client.password()).toString())
                            .fetch(ORDERS)
                            .asString());
            TestCertificates other = TestCertificates.create(Files.createDirectories(dir.resolve("other")));
            TestCertificates.ClientCertificate stranger = other.clientCertificate("orders");
            SecretException e = assertThrows(
                    SecretAccessDeniedException.class,
                    () -> store(
                                    https,
                                    "mpsecrets.vault.auth",
                                    "cert",
                                    "mpsecrets.vault.ca-bundle",
                                    ca,
                                    "mpsecrets.vault.client-cert",
                                    stranger.certificatePem().toString(),
                                    "mpsecrets.vault.client-key",
                                    stranger.privateKeyPem().toString())
                            .fetch(ORDERS));
            assertThat(e.getMessage()).contains("cert mount=cert", "invalid certificate");
            LeakGuard.assertNoLeak(e);
        }
    }

    @Test
    void certNeedsAClientCertificate() {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> store("mpsecrets.vault.auth", "cert"));
        assertThat(e.getMessage()).contains("mpsecrets.vault.client-cert", "mpsecrets.vault.client-key-store");
    }

    // ---- Vault Agent ----

    @Test
    void agentModeSendsNoTokenAndTheAgentAddsIts() {
        vault.agentToken(vault.token(Duration.ofHours(1), "orders"));
        VaultSecretStore store = store("mpsecrets.vault.auth", "agent");
        assertEquals(VALUE, store.fetch(ORDERS).asString());
        assertEquals(0, vault.calls("lookup-self"), "no token of its own to look up, renew or replace");
        vault.agentToken(null);
        SecretException e =
                assertThrows(SecretAccessDeniedException.class, () -> store.fetch(SecretId.of("secret/other")));
        assertEquals(FailureReason.ACCESS_DENIED, e.reason());
        ConfigurationException both = assertThrows(
                ConfigurationException.class,
                () -> store("mpsecrets.vault.auth", "agent", "mpsecrets.vault.token", LeakGuard.CANARY));
        assertThat(both.getMessage()).contains("sends no token");
        LeakGuard.assertNoLeak(both);
    }

    // ---- AWS without mpsecrets-aws ----

    @Test
    void awsWithoutMpsecretsAwsIsAConfigurationErrorAtOnce() {
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> store("mpsecrets.vault.auth", "aws", "mpsecrets.vault.aws.role", "orders"));
        assertThat(e.getMessage()).contains("needs mpsecrets-aws", "sts:GetCallerIdentity");
    }
}
