package io.mpsecrets.testkit.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.mpsecrets.testkit.mock.CallCounter;
import io.mpsecrets.testkit.mock.Faults;
import io.mpsecrets.testkit.vault.VaultTokens.Token;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * HashiCorp Vault's HTTP API as {@code vault server -dev} gives it, for what mp-secrets uses and what setting it up
 * with Vault's own CLI takes: KV v2 mounted at {@code secret/} (data, metadata, versions), a KV v1 mount at
 * {@code kv/}, Transit at {@code transit/} ({@link MockTransit}), the database engine at {@code database/} with leases
 * and static roles ({@link MockDatabase}), the PKI engine at {@code pki/} ({@link MockPki}); the mount table
 * ({@code sys/mounts}: list, enable, disable; engines at any path, {@link Mounts}); ACL policies in Vault's policy
 * language ({@code sys/policies/acl}, {@code sys/policy}; {@link VaultPolicy}) applied as Vault applies them
 * ({@link Acl}: 403 with Vault's error JSON); a root token, tokens
 * with policies ({@code auth/token/create}, lookup, renewal up to a max TTL, revocation); logins by AppRole (and its
 * {@code secret-id} endpoint), Kubernetes, JWT/OIDC, userpass, LDAP, TLS certificates and AWS IAM
 * ({@link AuthMethods});
 * response wrapping ({@code X-Vault-Wrap-TTL}, {@code sys/wrapping/wrap|unwrap|lookup}, {@link Wrapping}); the sealed
 * state (503); namespaces ({@code X-Vault-Namespace}: a token is good in the namespace it was made in and below, auth
 * methods may live in a namespace of their own); and an agent mode, where a request without a token carries the
 * agent's. Faults and counters as for the AWS mocks.
 *
 * <p>Everything is in memory unless it is given a state directory, where the mounts, KV values, Transit keys,
 * policies and tokens are kept across restarts ({@link VaultState}); the database engine's connections, roles and
 * leases, AppRole and Kubernetes roles, faults and counters never are.
 */
public final class MockVault {

    /** Vault's default {@code max_request_size}: a larger body is its 413. */
    static final int MAX_REQUEST_BYTES = 32 << 20;

    /** Bounds on what requests may make. */
    static final int MAX_POLICIES = 1_000;

    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    /**
     * Vault's {@code default} policy, the part of it that names what the mock serves: a token may look itself up,
     * renew and revoke itself, and renew and look up leases.
     */
    static final String DEFAULT_POLICY = "# Allow tokens to look up their own properties\n"
            + "path \"auth/token/lookup-self\" {\n    capabilities = [\"read\"]\n}\n\n"
            + "# Allow tokens to renew themselves\n"
            + "path \"auth/token/renew-self\" {\n    capabilities = [\"update\"]\n}\n\n"
            + "# Allow tokens to revoke themselves\n"
            + "path \"auth/token/revoke-self\" {\n    capabilities = [\"update\"]\n}\n\n"
            + "# Allow a token to renew a lease via lease_id in the request body\n"
            + "path \"sys/renew\" {\n    capabilities = [\"update\"]\n}\n"
            + "path \"sys/leases/renew\" {\n    capabilities = [\"update\"]\n}\n\n"
            + "# Allow looking up lease properties\n"
            + "path \"sys/leases/lookup\" {\n    capabilities = [\"update\"]\n}\n";

    private final String rootToken;
    private final Faults faults = new Faults();
    private final CallCounter counter = new CallCounter();
    private final Mounts mounts = new Mounts();
    private final ConcurrentHashMap<String, List<Version>> kv2 = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, String>> kv1 = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, VaultPolicy> policies = new ConcurrentHashMap<>();
    private final VaultTokens tokens;
    private final ConcurrentHashMap<String, AppRole> appRoles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KubernetesRole> kubernetesRoles = new ConcurrentHashMap<>();
    private final List<String> namespacesSeen = new CopyOnWriteArrayList<>();
    private final AuthMethods auth = new AuthMethods();
    private final Wrapping wrapping = new Wrapping();
    private final VaultState state;
    private volatile boolean sealed;
    private volatile String requiredNamespace;
    private volatile String authNamespace;
    private volatile Duration tokenMaxTtl;
    private volatile String agentToken;

    record Version(Map<String, String> data, Instant created, Instant deleted) {}

    /** A role's secret ids: the one it was made with, and those {@code auth/approle/role/<role id>/secret-id} made. */
    record AppRole(String roleId, Set<String> secretIds, List<String> policies, Duration ttl) {}

    record KubernetesRole(String role, String jwt, List<String> policies, Duration ttl) {}

    /** In memory only. */
    public MockVault(String rootToken) {
        this(rootToken, null);
    }

    /**
     * Keeping its mounts, KV values, Transit keys, policies and tokens in {@code stateDirectory} (null: in memory),
     * starting from what is there.
     *
     * @throws IllegalStateException when the directory cannot be used or holds a state the mock cannot read
     */
    public MockVault(String rootToken, Path stateDirectory) {
        this.rootToken = rootToken;
        this.tokens = new VaultTokens(rootToken);
        policies.put("default", parsed("default", DEFAULT_POLICY));
        this.state = stateDirectory == null ? null : VaultState.open(stateDirectory);
        if (state != null) {
            try {
                JsonObject saved = state.load();
                if (saved != null) {
                    restore(saved);
                }
            } catch (IllegalArgumentException e) {
                state.close();
                throw new IllegalStateException("cannot start the mock Vault from "
                        + state.directory().resolve(VaultState.FILE) + ": " + e.getMessage());
            } catch (RuntimeException e) {
                state.close();
                throw e;
            }
        }
    }

    private static VaultPolicy parsed(String name, String text) {
        try {
            return VaultPolicy.parse(name, text);
        } catch (VaultError e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    // ---- Java API for tests ----

    public String rootToken() {
        return rootToken;
    }

    /**
     * The database secrets engine at {@code database/}.
     *
     * @throws IllegalStateException when none is mounted there (it was disabled, or replaced by another engine)
     */
    public MockDatabase database() {
        Mounts.Mount mount = mounts.at(MockDatabase.MOUNT + "/");
        if (mount == null || mount.database == null) {
            throw new IllegalStateException("no database engine is mounted at " + MockDatabase.MOUNT + "/");
        }
        return mount.database;
    }

    /** The PKI secrets engine at {@code pki/} (a preset, as the database engine is). */
    public MockPki pki() {
        Mounts.Mount mount = mounts.at(MockPki.MOUNT + "/");
        if (mount == null || mount.pki == null) {
            throw new IllegalStateException("no pki engine is mounted at " + MockPki.MOUNT + "/");
        }
        return mount.pki;
    }

    private MockTransit transit() {
        Mounts.Mount mount = mounts.at(MockTransit.MOUNT + "/");
        if (mount == null || mount.transit == null) {
            throw new IllegalStateException("no transit engine is mounted at " + MockTransit.MOUNT + "/");
        }
        return mount.transit;
    }

    /** Stops the database engines' expiry timers and lets go of the state directory. */
    public void close() {
        mounts.close();
        if (state != null) {
            state.close();
        }
    }

    public Faults faults() {
        return faults;
    }

    public CallCounter counter() {
        return counter;
    }

    public long calls(String operation) {
        return counter.calls(operation);
    }

    /** Writes a new KV v2 version at {@code mount/path} (e.g. {@code secret/orders}); returns its version number. */
    public int putV2(String path, Map<String, String> data) {
        int number = storeV2(path, data);
        saved();
        return number;
    }

    private int storeV2(String path, Map<String, String> data) {
        List<Version> versions = kv2.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
        synchronized (versions) {
            versions.add(new Version(Map.copyOf(data), Instant.now(), null));
            return versions.size();
        }
    }

    /** Creates a derived Transit key at {@code transit/keys/<name>}, as {@code derived=true} does in Vault. */
    public void transitKey(String name) {
        transit().create(name);
        saved();
    }

    /** Rotates a Transit key: new data keys are wrapped under its next version, old ones still unwrap. */
    public void rotateTransitKey(String name) {
        try {
            transit().rotate(name);
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        saved();
    }

    /** The Transit key's {@code min_decryption_version}: older versions no longer unwrap. */
    public void minDecryptionVersion(String name, int version) {
        try {
            transit().minDecryptionVersion(name, version);
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        saved();
    }

    /** Writes a KV v1 secret at {@code mount/path} (e.g. {@code kv/orders}). */
    public void putV1(String path, Map<String, String> data) {
        kv1.put(path, Map.copyOf(data));
        saved();
    }

    /**
     * Adds to a policy (made if absent) the capabilities ({@code read}, {@code create}, {@code update},
     * {@code delete}, {@code list}, {@code deny}, ...) on a path as Vault's policies write it: exact, a prefix glob
     * ({@code secret/data/orders*}) or with {@code +} segments; applied as Vault applies them ({@link Acl}). As
     * {@code path "<path>" { capabilities = [...] }} in {@code vault policy write}; names are lower-cased, as Vault
     * does.
     */
    public void policy(String name, String path, String... capabilities) {
        Set<String> checked = new LinkedHashSet<>();
        for (String capability : capabilities) {
            checked.add(VaultPolicy.capability(capability));
        }
        VaultPolicy.PathRule rule = new VaultPolicy.PathRule(path.startsWith("/") ? path.substring(1) : path, checked);
        policies.compute(
                name.toLowerCase(Locale.ROOT),
                (n, existing) -> existing == null ? VaultPolicy.of(n, List.of(rule)) : existing.with(rule));
        saved();
    }

    /** A token with policies (and Vault's {@code default}) and a TTL (zero: never expires, and not renewable). */
    public String token(Duration ttl, String... policyNames) {
        Token token = tokens.issue(
                VaultTokens.withDefault(List.of(policyNames), false),
                ttl,
                !ttl.isZero(),
                "token",
                Map.of(),
                "auth/token/create");
        saved();
        return token.id;
    }

    public void appRole(String roleId, String secretId, Duration ttl, String... policyNames) {
        Set<String> secretIds = ConcurrentHashMap.newKeySet();
        secretIds.add(secretId);
        appRoles.put(roleId, new AppRole(roleId, secretIds, List.of(policyNames), ttl));
    }

    /**
     * A new secret id of an AppRole, wrapped for {@code wrapTtl}, as {@code vault write -wrap-ttl=<ttl> -f
     * auth/approle/role/<role>/secret-id} gives it (the mock names a role by its role id): the wrapping token, whose
     * {@code sys/wrapping/unwrap} gives the secret id once.
     */
    public String wrappedSecretId(String roleId, Duration wrapTtl) {
        try {
            return wrapInfoToken(
                    wrapping.wrap(newSecretId(roleId), wrapTtl, "auth/approle/role/" + roleId + "/secret-id"));
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * A new token with policies and a TTL, wrapped for {@code wrapTtl}, as {@code vault token create -wrap-ttl=<ttl>}
     * gives it: the wrapping token, whose {@code sys/wrapping/unwrap} gives the token once.
     */
    public String wrappedToken(Duration wrapTtl, Duration ttl, String... policyNames) {
        Token token = tokens.issue(
                VaultTokens.withDefault(List.of(policyNames), false),
                ttl,
                !ttl.isZero(),
                "token",
                Map.of(),
                "auth/token/create");
        saved();
        try {
            return wrapInfoToken(wrapping.wrap(
                    Json.createObjectBuilder()
                            .add("request_id", UUID.randomUUID().toString())
                            .add("lease_id", "")
                            .add("renewable", false)
                            .add("lease_duration", 0)
                            .add("data", JsonValue.NULL)
                            .add("auth", VaultTokens.auth(token))
                            .build(),
                    wrapTtl,
                    "auth/token/create"));
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** {@code data} wrapped for {@code wrapTtl}, as {@code sys/wrapping/wrap} does: the wrapping token. */
    public String wrap(Map<String, String> data, Duration wrapTtl) {
        try {
            return wrapInfoToken(wrapping.wrap(envelope(object(data).build()), wrapTtl, "sys/wrapping/wrap"));
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String wrapInfoToken(JsonObject wrapped) {
        return wrapped.getJsonObject("wrap_info").getString("token");
    }

    private JsonObject newSecretId(String roleId) throws VaultError {
        AppRole role = appRoles.get(roleId);
        if (role == null) {
            throw new VaultError(400, "role \"" + AuthMethods.printable(roleId) + "\" does not exist");
        }
        String secretId = UUID.randomUUID().toString();
        role.secretIds().add(secretId);
        return envelope(Json.createObjectBuilder()
                .add("secret_id", secretId)
                .add("secret_id_accessor", UUID.randomUUID().toString())
                .add("secret_id_ttl", 0)
                .add("secret_id_num_uses", 0)
                .build());
    }

    /**
     * Vault's {@code jwt} auth method (or {@code oidc}, for roles of type {@code jwt}) at {@code auth/<mount>}:
     * signatures verified with these keys (its {@code jwt_validation_pubkeys}; RS256 for RSA keys, ES256 for P-256
     * keys), tokens bound to {@code boundIssuer} (null: any).
     */
    public void jwtAuth(String mount, String boundIssuer, PublicKey... keys) {
        AuthMethods.Jwt jwt = auth.jwt(mount);
        jwt.keys.clear();
        jwt.keys.addAll(List.of(keys));
        jwt.boundIssuer = boundIssuer;
    }

    /**
     * A role of the {@code jwt} method at {@code mount}: a JWT must name one of {@code boundAudiences} in its
     * {@code aud} (none: it must have no {@code aud}), and have each of {@code boundClaims}; its {@code sub} is the
     * user. The role's tokens live {@code ttl}.
     */
    public void jwtRole(
            String mount,
            String role,
            Set<String> boundAudiences,
            Map<String, String> boundClaims,
            Duration ttl,
            String... policyNames) {
        auth.jwt(mount)
                .roles
                .put(
                        role.toLowerCase(Locale.ROOT),
                        new AuthMethods.JwtRole(
                                role.toLowerCase(Locale.ROOT),
                                Set.copyOf(boundAudiences),
                                null,
                                Map.copyOf(boundClaims),
                                new AuthMethods.TokenSpec(List.of(policyNames), ttl)));
    }

    /** A user of the {@code userpass} method at {@code auth/<mount>} ({@code vault write auth/userpass/users/...}). */
    public void userpassUser(String mount, String username, String password, Duration ttl, String... policyNames) {
        auth.passwords(mount, "userpass")
                .users
                .put(
                        username.toLowerCase(Locale.ROOT),
                        new AuthMethods.User(password, new AuthMethods.TokenSpec(List.of(policyNames), ttl)));
    }

    /**
     * A user of the {@code ldap} method at {@code auth/<mount>}: the mock's directory is this table; a login binds as
     * the user with the password given, as Vault binds to the directory.
     */
    public void ldapUser(String mount, String username, String password, Duration ttl, String... policyNames) {
        auth.passwords(mount, "ldap")
                .users
                .put(
                        username.toLowerCase(Locale.ROOT),
                        new AuthMethods.User(password, new AuthMethods.TokenSpec(List.of(policyNames), ttl)));
    }

    /**
     * A role of the {@code cert} method at {@code auth/<mount>} ({@code vault write auth/cert/certs/<name>
     * certificate=@ca.pem}): a login over HTTPS whose TLS client certificate is {@code certificate} or signed by it
     * (and meant for client authentication, and valid now) is granted the role's policies. The server must ask for
     * client certificates: {@code MockServer.builder().tls(...).wantClientCertificates()}.
     */
    public void certRole(String mount, String name, X509Certificate certificate, Duration ttl, String... policyNames) {
        auth.cert(mount)
                .roles
                .put(
                        name.toLowerCase(Locale.ROOT),
                        new AuthMethods.CertRole(
                                name.toLowerCase(Locale.ROOT),
                                certificate,
                                new AuthMethods.TokenSpec(List.of(policyNames), ttl)));
    }

    /**
     * A role of the {@code aws} method's IAM login at {@code auth/<mount>}, bound to one IAM principal's ARN
     * ({@code auth_type=iam bound_iam_principal_arn=...}).
     */
    public void awsRole(String mount, String role, String boundIamPrincipalArn, Duration ttl, String... policyNames) {
        auth.aws(mount)
                .roles
                .put(
                        role.toLowerCase(Locale.ROOT),
                        new AuthMethods.AwsRole(
                                role.toLowerCase(Locale.ROOT),
                                boundIamPrincipalArn,
                                new AuthMethods.TokenSpec(List.of(policyNames), ttl)));
    }

    /**
     * The value the {@code aws} method at {@code auth/<mount>} requires in a signed {@code X-Vault-AWS-IAM-Server-ID}
     * header ({@code iam_server_id_header_value}; null: none).
     */
    public void awsServerId(String mount, String value) {
        auth.aws(mount).serverId = value;
    }

    /**
     * AWS credentials the mock's STS knows: a forwarded {@code sts:GetCallerIdentity} signed with them is the
     * principal {@code arn}; any other signature is STS's {@code SignatureDoesNotMatch}.
     */
    public void awsCredentials(String accessKeyId, String secretAccessKey, String arn) {
        auth.awsCredentials(accessKeyId, secretAccessKey, arn);
    }

    /**
     * The max TTL of the tokens logins give from now on (null: none): a token is not renewed past it, as with a role's
     * {@code token_max_ttl}.
     */
    public void tokenMaxTtl(Duration maxTtl) {
        this.tokenMaxTtl = maxTtl;
    }

    /**
     * The live tokens logins at {@code auth/<mount>/login} gave, oldest first: for a test to watch them with the leak
     * guard, or to revoke one.
     */
    public List<String> loginTokens(String mount) {
        return tokensMadeAt("auth/" + mount + "/login");
    }

    /** Revokes every token logins at {@code auth/<mount>/login} gave, as an operator would; how many. */
    public int revokeLoginTokens(String mount) {
        return revokeTokensMadeAt("auth/" + mount + "/login");
    }

    /** The live tokens made at {@code path} ({@code auth/token/create}, a login's path), oldest first. */
    public List<String> tokensMadeAt(String path) {
        return tokens.from(path);
    }

    /** Revokes every token made at {@code path}, as an operator would; how many. */
    public int revokeTokensMadeAt(String path) {
        int revoked = 0;
        for (String token : tokensMadeAt(path)) {
            revoked += tokens.revoke(token) ? 1 : 0;
        }
        saved();
        return revoked;
    }

    /** Revokes a token, as {@code vault token revoke} does; whether there was one. */
    public boolean revoke(String token) {
        boolean revoked = tokens.revoke(token);
        saved();
        return revoked;
    }

    /**
     * The namespace the auth methods are mounted in (null: the root namespace, as without Vault Enterprise): a login in
     * another namespace finds no route, and a login's token belongs to this namespace, good in it and below it.
     */
    public void authNamespace(String namespace) {
        this.authNamespace = namespace == null ? null : normalized(namespace);
    }

    /**
     * Agent mode (null: off): a request without a token is served as if it carried {@code token}, as Vault Agent's (or
     * Vault Proxy's) API proxy does with {@code use_auto_auth_token}, so the application holds no token.
     */
    public void agentToken(String token) {
        this.agentToken = token;
    }

    public void kubernetesRole(String role, String jwt, Duration ttl, String... policyNames) {
        kubernetesRoles.put(role, new KubernetesRole(role, jwt, List.of(policyNames), ttl));
    }

    public void seal() {
        sealed = true;
    }

    public void unseal() {
        sealed = false;
    }

    /** Requests must carry this {@code X-Vault-Namespace} (null: any). */
    public void requireNamespace(String namespace) {
        this.requiredNamespace = namespace;
    }

    public List<String> namespacesSeen() {
        return List.copyOf(namespacesSeen);
    }

    /** Seconds until a token expires; -1 if it never does or does not exist. */
    public long secondsLeft(String token) {
        Token t = tokens.get(token);
        Instant end = t == null ? null : t.expires;
        return end == null ? -1 : Duration.between(Instant.now(), end).getSeconds();
    }

    /** The state directory, if it keeps one. */
    public Optional<Path> stateDirectory() {
        return state == null ? Optional.empty() : Optional.of(state.directory());
    }

    // ---- HTTP ----

    static final class VaultError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        VaultError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Serves one request under {@code /v1/}. */
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/v1/".length());
        String method = exchange.getRequestMethod();
        String operation = operation(path, method);
        counter.count(operation);
        String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
        if (namespace != null) {
            namespacesSeen.add(namespace);
        }
        try {
            switch (faults.apply(operation)) {
                case THROTTLE:
                    throw new VaultError(429, "request path \"" + path + "\": rate limit quota exceeded");
                case INTERNAL_ERROR:
                    throw new VaultError(500, "internal error");
                case RESET:
                    throw new Faults.ConnectionReset();
                default:
                    break;
            }
            if (sealed) {
                throw new VaultError(503, "Vault is sealed");
            }
            String requestNamespace = namespace == null ? "" : normalized(namespace);
            boolean login = isLogin(path);
            if (login && authNamespace != null && !authNamespace.equals(requestNamespace)) {
                throw noRoute(path); // no such auth mount in the request's namespace
            }
            if (!login && requiredNamespace != null && !requiredNamespace.equals(namespace)) {
                throw new VaultError(403, "permission denied");
            }
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            if ((token == null || token.isEmpty()) && agentToken != null) {
                token = agentToken; // what the agent's API proxy adds
            }
            String wrapTtl = exchange.getRequestHeaders().getFirst("X-Vault-Wrap-TTL");
            JsonObject body = readBody(exchange);
            boolean write = method.equals("POST") || method.equals("PUT");
            String loginMount = auth.mountOf(path);
            JsonObject answer;
            if (loginMount != null && write) {
                AuthMethods.Grant grant = auth.login(loginMount, path, body, peerCertificates(exchange));
                answer = login(
                        grant.policies(),
                        grant.ttl(),
                        grant.method(),
                        path,
                        grant.meta(),
                        authNamespace == null ? requestNamespace : authNamespace);
            } else if (path.equals("sys/wrapping/wrap") && write) {
                authenticate(token, requestNamespace);
                answer =
                        wrapping.wrap(envelope(body), wrapTtl == null ? Duration.ofMinutes(5) : wrapTtl(wrapTtl), path);
                wrapTtl = null;
            } else {
                answer = route(
                        path, method, body, token, exchange.getRequestURI().getRawQuery(), requestNamespace);
            }
            if (wrapTtl != null && answer != null && !path.startsWith("sys/wrapping/")) {
                answer = wrapping.wrap(answer, wrapTtl(wrapTtl), path);
            }
            if (changes(operation, method)) {
                save();
            }
            respond(exchange, answer);
        } catch (VaultError e) {
            JsonArrayBuilder errors = Json.createArrayBuilder();
            if (e.getMessage() != null) {
                errors.add(e.getMessage());
            }
            send(
                    exchange,
                    e.status,
                    Json.createObjectBuilder().add("errors", errors).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(
                    exchange,
                    500,
                    Json.createObjectBuilder()
                            .add("errors", Json.createArrayBuilder().add("interrupted"))
                            .build());
        }
    }

    /** A namespace as Vault names it: without slashes at either end; {@code ""} is the root namespace. */
    private static String normalized(String namespace) {
        String trimmed = namespace.trim();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** {@code auth/<mount>/login} or {@code auth/<mount>/login/<user>}. */
    private static boolean isLogin(String path) {
        return loginMount(path) != null;
    }

    private static String loginMount(String path) {
        if (!path.startsWith("auth/") || path.startsWith("auth/token/")) {
            return null;
        }
        int login = path.indexOf("/login");
        while (login > "auth/".length()) {
            int end = login + "/login".length();
            if (end == path.length() || path.charAt(end) == '/') {
                return path.substring("auth/".length(), login);
            }
            login = path.indexOf("/login", end);
        }
        return null;
    }

    /** {@code X-Vault-Wrap-TTL}: seconds, or a Go duration ({@code 5m}, {@code 90s}). */
    private static Duration wrapTtl(String header) throws VaultError {
        return MockDatabase.duration(Json.createValue(header), Duration.ZERO);
    }

    /** The TLS client certificates of the connection, when it is HTTPS and the client gave one. */
    private static java.security.cert.Certificate[] peerCertificates(HttpExchange exchange) {
        if (exchange instanceof HttpsExchange https && https.getSSLSession() != null) {
            try {
                return https.getSSLSession().getPeerCertificates();
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }
        return null;
    }

    /** Whether a request may have changed what the state file keeps (a read, a data key or a lease has not). */
    private static boolean changes(String operation, String method) {
        return !method.equals("GET")
                && !method.equals("LIST")
                && !method.equals("HEAD")
                && !operation.equals("transit:datakey")
                && !operation.equals("transit:decrypt")
                && !operation.equals("lookup")
                && !operation.startsWith("lease:");
    }

    private String operation(String path, String method) {
        String loginMount = loginMount(path);
        if (loginMount != null) {
            return "login:" + loginMount;
        }
        if (path.equals("sys/wrapping/unwrap")) {
            return "unwrap";
        }
        if (path.equals("sys/wrapping/lookup")) {
            return "wrapping:lookup";
        }
        if (path.equals("sys/wrapping/wrap")) {
            return "wrap";
        }
        if (path.startsWith("auth/token/")) {
            return path.substring("auth/token/".length());
        }
        if (path.contains("/metadata/")) {
            return "metadata";
        }
        if (path.startsWith("sys/leases/")) {
            return "lease:" + path.substring("sys/leases/".length());
        }
        if (path.startsWith("sys/")) {
            return "sys";
        }
        Mounts.Mount mount = mounts.resolve(path);
        String rest = mount == null || path.length() <= mount.path.length() ? "" : path.substring(mount.path.length());
        if (mount != null && mount.database != null && rest.startsWith("creds/")) {
            return "database:creds";
        }
        if (mount != null && mount.database != null && rest.startsWith("static-creds/")) {
            return "database:static-creds";
        }
        if (mount != null && mount.pki != null && !rest.isEmpty()) {
            return "pki:" + (rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
        }
        if (mount != null && mount.transit != null && !rest.isEmpty()) {
            return "transit:" + (rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
        }
        return method.equals("GET") ? "read" : method.equals("DELETE") ? "delete" : "write";
    }

    private JsonObject route(String path, String method, JsonObject body, String token, String query, String namespace)
            throws VaultError {
        if (path.equals("sys/health")) {
            return Json.createObjectBuilder()
                    .add("initialized", true)
                    .add("sealed", false)
                    .add("standby", false)
                    .build();
        }
        if (path.equals("sys/seal-status") && method.equals("GET")) {
            return Json.createObjectBuilder()
                    .add("type", "shamir")
                    .add("initialized", true)
                    .add("sealed", false)
                    .add("t", 1)
                    .add("n", 1)
                    .add("progress", 0)
                    .add("nonce", "")
                    .add("version", "mpsecrets-testkit")
                    .add("migration", false)
                    .add("recovery_seal", false)
                    .add("storage_type", state == null ? "inmem" : "file")
                    .build();
        }
        boolean write = method.equals("POST") || method.equals("PUT");
        String loginNamespace = authNamespace == null ? namespace : authNamespace;
        if (path.equals("auth/approle/login") && method.equals("POST")) {
            AppRole role = appRoles.get(string(body, "role_id"));
            if (role == null || !role.secretIds().contains(string(body, "secret_id"))) {
                throw new VaultError(400, "invalid role or secret ID");
            }
            return login(role.policies(), role.ttl(), "approle", "auth/approle/login", Map.of(), loginNamespace);
        }
        if (path.equals("auth/kubernetes/login") && method.equals("POST")) {
            KubernetesRole role = kubernetesRoles.get(string(body, "role"));
            if (role == null || !role.jwt().equals(string(body, "jwt"))) {
                throw new VaultError(403, "permission denied");
            }
            return login(role.policies(), role.ttl(), "kubernetes", "auth/kubernetes/login", Map.of(), loginNamespace);
        }
        if (path.equals("sys/wrapping/unwrap") && write) {
            String inBody = string(body, "token");
            if (inBody != null && !inBody.isEmpty()) {
                authenticate(token, namespace); // a third party unwrapping: its own token, the wrapping one in the body
                return wrapping.unwrap(inBody);
            }
            return wrapping.unwrap(token);
        }
        if (path.equals("sys/wrapping/lookup") && write) {
            String inBody = string(body, "token");
            return wrapping.lookup(inBody != null && !inBody.isEmpty() ? inBody : token);
        }
        Token caller = authenticate(token, namespace);
        if (path.startsWith("auth/approle/role/") && path.endsWith("/secret-id") && write) {
            authorize(caller, path, "update");
            return newSecretId(path.substring("auth/approle/role/".length(), path.length() - "/secret-id".length()));
        }
        if (path.startsWith("auth/token/")) {
            return tokenRoute(path, method, body, caller);
        }
        if (path.startsWith("sys/")) {
            boolean list = method.equals("LIST") || (method.equals("GET") && "list=true".equals(query));
            return sys(path, method, body, caller, list);
        }
        Mounts.Mount mount = mounts.resolve(path);
        if (mount == null) {
            throw noRoute(path);
        }
        String rest = path.length() <= mount.path.length() ? "" : path.substring(mount.path.length());
        if (mount.type.equals("kv") && mount.kvVersion == 2) {
            return kv2(path, mount.name(), method, body, caller, query);
        }
        if (mount.type.equals("kv")) {
            return kv1(path, method, body, caller);
        }
        if (mount.transit != null) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            return mount.transit.route(rest, method, body);
        }
        if (mount.database != null) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            return mount.database.route(rest, method, body);
        }
        if (mount.pki != null) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            return mount.pki.route(rest, method, body);
        }
        throw noRoute(path);
    }

    private static VaultError noRoute(String path) {
        return new VaultError(404, "no handler for route \"" + path + "\". route entry not found.");
    }

    // ---- auth/token ----

    private JsonObject tokenRoute(String path, String method, JsonObject body, Token caller) throws VaultError {
        boolean write = method.equals("POST") || method.equals("PUT");
        switch (path.substring("auth/token/".length())) {
            case "renew-self":
                if (!write) {
                    break;
                }
                authorize(caller, path, "update");
                if (!caller.renewable) {
                    throw new VaultError(400, "lease is not renewable");
                }
                caller.renew(MockDatabase.duration(body.get("increment"), Duration.ZERO));
                return Json.createObjectBuilder()
                        .add("auth", VaultTokens.auth(caller))
                        .build();
            case "lookup-self":
                if (!method.equals("GET")) {
                    break;
                }
                authorize(caller, path, "read");
                return envelope(VaultTokens.describe(caller));
            case "lookup":
                if (!write) {
                    break;
                }
                authorize(caller, path, "update");
                Token other = tokens.get(string(body, "token"));
                if (other == null || other.expired(Instant.now())) {
                    throw new VaultError(403, "bad token");
                }
                return envelope(VaultTokens.describe(other));
            case "revoke-self":
                if (!write) {
                    break;
                }
                authorize(caller, path, "update");
                tokens.revoke(caller);
                return null;
            case "revoke":
                if (!write) {
                    break;
                }
                authorize(caller, path, "update");
                tokens.revoke(string(body, "token"));
                return null;
            case "create":
            case "create-orphan":
                if (!write) {
                    break;
                }
                authorize(caller, path, "update");
                return tokens.create(body, caller);
            default:
                throw noRoute(path);
        }
        throw new VaultError(405, "unsupported operation");
    }

    // ---- sys/ ----

    private JsonObject sys(String path, String method, JsonObject body, Token caller, boolean list) throws VaultError {
        boolean write = method.equals("POST") || method.equals("PUT");
        if (path.startsWith("sys/leases/") && write) {
            authorize(caller, path, "update");
            String operation = path.substring("sys/leases/".length());
            String leaseId = string(body, "lease_id");
            for (Mounts.Mount mount : mounts.all()) {
                if (mount.database != null && mount.database.owns(leaseId)) {
                    return mount.database.leases(operation, body);
                }
            }
            return MockDatabase.unknownLease(operation);
        }
        if (path.equals("sys/mounts") && method.equals("GET")) {
            authorize(caller, path, "read");
            return sysAnswer(mounts.list());
        }
        if (path.startsWith("sys/mounts/")) {
            return mount(path, path.substring("sys/mounts/".length()), method, body, caller);
        }
        if (path.startsWith("sys/internal/ui/mounts/") && method.equals("GET")) {
            // The CLI's preflight for vault kv: which mount, and which KV version.
            String under = path.substring("sys/internal/ui/mounts/".length());
            Mounts.Mount mount = mounts.resolve(under);
            if (mount == null) {
                throw new VaultError(
                        403,
                        "preflight capability check returned 403, please ensure client's policies grant access to"
                                + " path \"" + under + "/\"");
            }
            JsonObjectBuilder data =
                    Json.createObjectBuilder(Mounts.describe(mount)).add("path", mount.path);
            return envelope(data.build());
        }
        if ((path.equals("sys/policies/acl") || path.equals("sys/policies/acl/")) && list) {
            authorize(caller, "sys/policies/acl", "list");
            List<String> names = new ArrayList<>(new TreeSet<>(policies.keySet()));
            names.add("root");
            return sysAnswer(
                    Json.createObjectBuilder().add("keys", array(names)).build());
        }
        if (path.startsWith("sys/policies/acl/")) {
            return policy(path, path.substring("sys/policies/acl/".length()), method, body, caller, "policy");
        }
        if (path.equals("sys/policy") && method.equals("GET")) {
            authorize(caller, path, "read");
            List<String> names = new ArrayList<>(new TreeSet<>(policies.keySet()));
            names.add("root");
            return sysAnswer(Json.createObjectBuilder()
                    .add("keys", array(names))
                    .add("policies", array(names))
                    .build());
        }
        if (path.startsWith("sys/policy/")) {
            return policy(path, path.substring("sys/policy/".length()), method, body, caller, "rules");
        }
        throw noRoute(path);
    }

    /** {@code sys/mounts/<path>}: enable (POST), read (GET), disable (DELETE). */
    private JsonObject mount(String path, String mountPath, String method, JsonObject body, Token caller)
            throws VaultError {
        if (mountPath.equals("tune") || mountPath.endsWith("/tune")) {
            throw new VaultError(400, "the mock Vault does not tune mounts");
        }
        switch (method) {
            case "POST":
            case "PUT":
                authorize(caller, path, "update");
                mounts.enable(mountPath, body).forEach(this::dropData);
                return null;
            case "GET": {
                authorize(caller, path, "read");
                Mounts.Mount mount = mounts.at(Mounts.path(mountPath));
                if (mount == null) {
                    throw new VaultError(400, "No secret engine mount at " + Mounts.path(mountPath));
                }
                return sysAnswer(Mounts.describe(mount));
            }
            case "DELETE": {
                authorize(caller, path, "delete");
                Mounts.Mount gone = mounts.disable(mountPath);
                if (gone != null) {
                    dropData(gone);
                }
                return null;
            }
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    /** What a mount held goes with it, as in Vault: its KV values, its keys, its leases' users. */
    private void dropData(Mounts.Mount mount) {
        kv2.keySet().removeIf(key -> key.startsWith(mount.path));
        kv1.keySet().removeIf(key -> key.startsWith(mount.path));
        Mounts.close(mount);
    }

    /**
     * {@code sys/policies/acl/<name>} ({@code member} {@code policy}) and the older {@code sys/policy/<name>}
     * ({@code rules}; it takes either): read, write, delete, with Vault's rules for {@code root} and {@code default}.
     * A policy's text may come base64-encoded, as Vault allows.
     */
    private JsonObject policy(String path, String rawName, String method, JsonObject body, Token caller, String member)
            throws VaultError {
        String name = rawName.trim().toLowerCase(Locale.ROOT);
        if (!POLICY_NAME.matcher(name).matches()) {
            throw new VaultError(400, "invalid policy name");
        }
        switch (method) {
            case "GET": {
                authorize(caller, path, "read");
                VaultPolicy policy = policies.get(name);
                if (policy == null) {
                    throw new VaultError(404, null);
                }
                return sysAnswer(Json.createObjectBuilder()
                        .add("name", name)
                        .add(member, policy.text())
                        .build());
            }
            case "POST":
            case "PUT": {
                authorize(caller, path, "update");
                if (name.equals("root")) {
                    throw new VaultError(400, "cannot update \"root\" policy");
                }
                String text = string(body, "policy");
                if (text == null && member.equals("rules")) {
                    text = string(body, "rules");
                }
                if (text == null || text.isEmpty()) {
                    throw new VaultError(400, "'policy' parameter not supplied or empty");
                }
                VaultPolicy policy = VaultPolicy.parse(name, decoded(text));
                if (!policies.containsKey(name) && policies.size() >= MAX_POLICIES) {
                    throw new VaultError(400, "the mock Vault holds at most " + MAX_POLICIES + " policies");
                }
                policies.put(name, policy);
                return null;
            }
            case "DELETE":
                authorize(caller, path, "delete");
                if (name.equals("root") || name.equals("default")) {
                    throw new VaultError(400, "cannot delete \"" + name + "\" policy");
                }
                policies.remove(name);
                return null;
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    /** Vault tries a policy as base64 first; text that is not (HCL never is) stays as it is. */
    private static String decoded(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return text;
        }
    }

    /** A {@code sys/} answer: Vault puts its data at the top level too, where older clients read it. */
    private static JsonObject sysAnswer(JsonObject data) {
        JsonObject envelope = envelope(data);
        JsonObjectBuilder out = Json.createObjectBuilder(envelope);
        data.forEach((key, value) -> {
            if (!envelope.containsKey(key)) {
                out.add(key, value);
            }
        });
        return out.build();
    }

    private JsonObject kv2(String path, String mount, String method, JsonObject body, Token caller, String query)
            throws VaultError {
        if (path.length() <= mount.length() + 1) {
            throw new VaultError(404, null);
        }
        String rest = path.substring(mount.length() + 1);
        boolean data = rest.startsWith("data/");
        boolean metadata = rest.startsWith("metadata/");
        if (!data && !metadata) {
            throw new VaultError(404, null);
        }
        String secretPath = mount + "/" + rest.substring(rest.indexOf('/') + 1);
        List<Version> versions = kv2.get(secretPath);
        if (metadata) {
            authorize(caller, path, method.equals("GET") ? "read" : "update");
            if (versions == null) {
                throw new VaultError(404, null);
            }
            JsonObjectBuilder all = Json.createObjectBuilder();
            for (int i = 0; i < versions.size(); i++) {
                Version v = versions.get(i);
                all.add(
                        Integer.toString(i + 1),
                        Json.createObjectBuilder()
                                .add("created_time", v.created().toString())
                                .add(
                                        "deletion_time",
                                        v.deleted() == null ? "" : v.deleted().toString())
                                .add("destroyed", false));
            }
            return envelope(Json.createObjectBuilder()
                    .add("current_version", versions.size())
                    .add("oldest_version", 1)
                    .add("created_time", versions.get(0).created().toString())
                    .add(
                            "updated_time",
                            versions.get(versions.size() - 1).created().toString())
                    .add("max_versions", 0)
                    .add("cas_required", false)
                    .add("versions", all)
                    .build());
        }
        switch (method) {
            case "GET": {
                authorize(caller, path, "read");
                if (versions == null || versions.isEmpty()) {
                    throw new VaultError(404, null);
                }
                int number = versions.size();
                if (query != null && query.startsWith("version=")) {
                    try {
                        number = Integer.parseInt(query.substring("version=".length()));
                    } catch (NumberFormatException e) {
                        throw new VaultError(400, "invalid version");
                    }
                    if (number == 0) {
                        number = versions.size();
                    }
                }
                if (number < 1 || number > versions.size()) {
                    throw new VaultError(404, null);
                }
                Version version = versions.get(number - 1);
                JsonObjectBuilder metadataOut = Json.createObjectBuilder()
                        .add("created_time", version.created().toString())
                        .add("custom_metadata", JsonValue.NULL)
                        .add(
                                "deletion_time",
                                version.deleted() == null
                                        ? ""
                                        : version.deleted().toString())
                        .add("destroyed", false)
                        .add("version", number);
                if (version.deleted() != null) {
                    // Vault answers a deleted version with 404 and its metadata.
                    throw new VaultError(404, null);
                }
                return envelope(Json.createObjectBuilder()
                        .add("data", object(version.data()))
                        .add("metadata", metadataOut)
                        .build());
            }
            case "POST":
            case "PUT": {
                authorize(caller, path, versions == null ? "create" : "update");
                JsonObject payload = body.getJsonObject("data");
                if (payload == null) {
                    throw new VaultError(400, "no data provided");
                }
                int number = storeV2(secretPath, strings(payload));
                return envelope(Json.createObjectBuilder()
                        .add("created_time", Instant.now().toString())
                        .add("deletion_time", "")
                        .add("destroyed", false)
                        .add("version", number)
                        .build());
            }
            case "DELETE": {
                authorize(caller, path, "delete");
                if (versions != null && !versions.isEmpty()) {
                    synchronized (versions) {
                        Version last = versions.get(versions.size() - 1);
                        versions.set(versions.size() - 1, new Version(last.data(), last.created(), Instant.now()));
                    }
                }
                return null;
            }
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    private JsonObject kv1(String path, String method, JsonObject body, Token caller) throws VaultError {
        switch (method) {
            case "GET": {
                authorize(caller, path, "read");
                Map<String, String> data = kv1.get(path);
                if (data == null) {
                    throw new VaultError(404, null);
                }
                return Json.createObjectBuilder()
                        .add("request_id", UUID.randomUUID().toString())
                        .add("lease_id", "")
                        .add("renewable", false)
                        .add("lease_duration", 2764800)
                        .add("data", object(data))
                        .add("wrap_info", JsonValue.NULL)
                        .add("warnings", JsonValue.NULL)
                        .add("auth", JsonValue.NULL)
                        .build();
            }
            case "POST":
            case "PUT":
                authorize(caller, path, kv1.containsKey(path) ? "update" : "create");
                kv1.put(path, Map.copyOf(strings(body)));
                return null;
            case "DELETE":
                authorize(caller, path, "delete");
                kv1.remove(path);
                return null;
            default:
                throw new VaultError(405, "unsupported operation");
        }
    }

    private JsonObject login(List<String> policyNames, Duration ttl, String method, String path) throws VaultError {
        return login(policyNames, ttl, method, path, Map.of(), "");
    }

    private JsonObject login(
            List<String> policyNames,
            Duration ttl,
            String method,
            String path,
            Map<String, String> meta,
            String namespace)
            throws VaultError {
        Token token = tokens.login(policyNames, ttl, tokenMaxTtl, method, path, meta, namespace);
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", JsonValue.NULL)
                .add("auth", VaultTokens.auth(token))
                .build();
    }

    private Token authenticate(String token, String namespace) throws VaultError {
        Token caller = token == null ? null : tokens.get(token);
        if (caller == null || caller.expired(Instant.now()) || !caller.usableIn(namespace)) {
            throw new VaultError(403, "permission denied");
        }
        return caller;
    }

    /**
     * Whether the caller's policies allow {@code capability} on {@code path}, as Vault decides ({@link Acl}). Where
     * the mock cannot tell a create from an update (an engine without Vault's existence check), either grant does.
     */
    private void authorize(Token caller, String path, String capability) throws VaultError {
        Acl acl = Acl.of(caller.policies, policies);
        if (acl.allows(path, capability) || (capability.equals("update") && acl.allows(path, "create"))) {
            return;
        }
        throw new VaultError(403, "1 error occurred:\n\t* permission denied\n\n");
    }

    // ---- state ----

    /** After a change over HTTP: saved, or the caller is told it was not. */
    private void save() throws VaultError {
        if (state == null) {
            return;
        }
        try {
            synchronized (state) {
                state.save(snapshot());
            }
        } catch (IOException e) {
            throw new VaultError(
                    500,
                    "the mock Vault could not save its state: " + e.getClass().getSimpleName());
        }
    }

    /** After a change through the Java API. */
    private void saved() {
        try {
            save();
        } catch (VaultError e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /** What the state file keeps: mounts, KV values, Transit keys, policies, tokens other than the root token. */
    private JsonObject snapshot() {
        JsonObjectBuilder kv2Out = Json.createObjectBuilder();
        kv2.forEach((path, versions) -> {
            JsonArrayBuilder out = Json.createArrayBuilder();
            for (Version version : versions) {
                out.add(Json.createObjectBuilder()
                        .add("data", object(version.data()))
                        .add("created", version.created().toString())
                        .add(
                                "deleted",
                                version.deleted() == null
                                        ? JsonValue.NULL
                                        : Json.createValue(version.deleted().toString())));
            }
            kv2Out.add(path, out);
        });
        JsonObjectBuilder kv1Out = Json.createObjectBuilder();
        kv1.forEach((path, data) -> kv1Out.add(path, object(data)));
        JsonObjectBuilder transitOut = Json.createObjectBuilder();
        for (Mounts.Mount mount : mounts.all()) {
            if (mount.transit != null) {
                transitOut.add(mount.path, mount.transit.snapshot());
            }
        }
        JsonObjectBuilder policiesOut = Json.createObjectBuilder();
        policies.forEach((name, policy) -> policiesOut.add(name, policy.text()));
        return Json.createObjectBuilder()
                .add("format", 1)
                .add("mounts", mounts.snapshot())
                .add("kv2", kv2Out)
                .add("kv1", kv1Out)
                .add("transit", transitOut)
                .add("policies", policiesOut)
                .add("tokens", tokens.snapshot())
                .build();
    }

    /**
     * Puts back what {@link #snapshot()} wrote, checking all of it.
     *
     * @throws IllegalArgumentException naming the first thing that is not as the mock writes it
     */
    private void restore(JsonObject saved) {
        if (VaultState.integer(saved.get("format"), "format") != 1) {
            throw new IllegalArgumentException("format is not 1");
        }
        mounts.restore(VaultState.array(saved.get("mounts"), "mounts"));
        for (Map.Entry<String, JsonValue> entry :
                VaultState.object(saved.get("kv2"), "kv2").entrySet()) {
            Mounts.Mount mount = mounts.resolve(entry.getKey());
            if (mount == null || !mount.type.equals("kv") || mount.kvVersion != 2) {
                throw new IllegalArgumentException("a KV v2 value is outside any KV v2 mount");
            }
            List<Version> versions = new CopyOnWriteArrayList<>();
            for (JsonValue value : VaultState.array(entry.getValue(), "kv2 versions")) {
                JsonObject version = VaultState.object(value, "kv2 version");
                versions.add(new Version(
                        Map.copyOf(savedStrings(version.get("data"), "kv2 data")),
                        VaultState.instant(version.get("created"), "kv2 created"),
                        VaultState.optionalInstant(version.get("deleted"), "kv2 deleted")));
            }
            kv2.put(entry.getKey(), versions);
        }
        for (Map.Entry<String, JsonValue> entry :
                VaultState.object(saved.get("kv1"), "kv1").entrySet()) {
            Mounts.Mount mount = mounts.resolve(entry.getKey());
            if (mount == null || !mount.type.equals("kv") || mount.kvVersion != 1) {
                throw new IllegalArgumentException("a KV v1 value is outside any KV v1 mount");
            }
            kv1.put(entry.getKey(), Map.copyOf(savedStrings(entry.getValue(), "kv1 data")));
        }
        for (Map.Entry<String, JsonValue> entry :
                VaultState.object(saved.get("transit"), "transit").entrySet()) {
            Mounts.Mount mount = mounts.at(entry.getKey());
            if (mount == null || mount.transit == null) {
                throw new IllegalArgumentException("transit keys are outside any transit mount");
            }
            mount.transit.restore(VaultState.object(entry.getValue(), "transit keys"));
        }
        for (Map.Entry<String, JsonValue> entry :
                VaultState.object(saved.get("policies"), "policies").entrySet()) {
            if (!POLICY_NAME.matcher(entry.getKey()).matches() || entry.getKey().equals("root")) {
                throw new IllegalArgumentException("a policy name is not one Vault takes");
            }
            try {
                policies.put(
                        entry.getKey(),
                        VaultPolicy.parse(entry.getKey(), VaultState.string(entry.getValue(), "policy")));
            } catch (VaultError e) {
                throw new IllegalArgumentException("policy " + entry.getKey() + " does not parse");
            }
        }
        if (policies.size() > MAX_POLICIES) {
            throw new IllegalArgumentException("more than " + MAX_POLICIES + " policies");
        }
        tokens.restore(VaultState.array(saved.get("tokens"), "tokens"));
    }

    private static Map<String, String> savedStrings(JsonValue value, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        VaultState.object(value, what).forEach((k, v) -> out.put(k, VaultState.string(v, what)));
        return out;
    }

    static JsonObject envelope(JsonObject data) {
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("data", data)
                .add("wrap_info", JsonValue.NULL)
                .add("warnings", JsonValue.NULL)
                .add("auth", JsonValue.NULL)
                .build();
    }

    private static JsonObjectBuilder object(Map<String, String> data) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        new LinkedHashMap<>(data).forEach(out::add);
        return out;
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        values.forEach(out::add);
        return out;
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.forEach((k, v) -> out.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
        return out;
    }

    static String string(JsonObject body, String member) {
        JsonValue value = body.get(member);
        return value instanceof JsonString s ? s.getString() : null;
    }

    private static JsonObject readBody(HttpExchange exchange) throws VaultError, IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
            if (bytes.length > MAX_REQUEST_BYTES) {
                throw new VaultError(413, "http: request body too large");
            }
            if (bytes.length == 0) {
                return JsonValue.EMPTY_JSON_OBJECT;
            }
            try (JsonReader reader = Json.createReader(new java.io.ByteArrayInputStream(bytes))) {
                return reader.readObject();
            } catch (JsonException | IllegalStateException | NumberFormatException | ArithmeticException e) {
                throw new VaultError(400, "failed to parse JSON input");
            }
        }
    }

    private static void respond(HttpExchange exchange, JsonObject body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        send(exchange, 200, body);
    }

    private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
