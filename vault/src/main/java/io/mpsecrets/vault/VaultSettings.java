package io.mpsecrets.vault;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach HashiCorp Vault, from {@code mpsecrets.vault.*}, falling back to Vault's own environment variables
 * ({@code VAULT_ADDR}, {@code VAULT_TOKEN}, {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}) as the Vault CLI does.
 *
 * @param address the server, e.g. {@code https://vault:8200} (with {@code auth=agent}, the local agent's listener)
 * @param namespace sent as {@code X-Vault-Namespace} (Vault Enterprise / HCP) with every request
 * @param authNamespace the namespace of the login mount, when it is another one (logins and the token's own renewal
 *     and lookup are sent there)
 * @param auth how to get a token
 * @param kvVersion the KV secrets engine version of mounts not listed in {@code kv1Mounts}: 2 (default) or 1
 * @param kv1Mounts mounts that are KV version 1 when the default is 2
 * @param caBundle PEM certificates to trust instead of the JVM's defaults, for a private CA
 * @param clientIdentity the TLS client certificate and key presented on every connection (the {@code cert} login's,
 *     or a listener's that requires client certificates)
 * @param timeout per request
 * @param maxAttempts tries per request when Vault is throttling, sealed or failing (jittered backoff between)
 * @param maxResponseSize the largest answer read, in bytes; a larger one is refused, never read whole
 */
public record VaultSettings(
        URI address,
        Optional<String> namespace,
        Optional<String> authNamespace,
        Auth auth,
        int kvVersion,
        Set<String> kv1Mounts,
        Optional<Path> caBundle,
        Optional<ClientIdentity> clientIdentity,
        Duration timeout,
        int maxAttempts,
        long maxResponseSize) {

    /**
     * The store's name ({@code vault}, as in {@code ${vault::secret/orders}}), here rather than on the store so
     * that the client and the leases name it in their failures without reaching up into the store.
     */
    public static final String STORE = "vault";

    public static final String PREFIX = "mpsecrets." + STORE + ".";

    /** Every setting {@link #read} and the lease settings read, relative to {@link #PREFIX}. */
    public static final Set<String> NAMES = Set.of(
            "address",
            "token",
            "token-file",
            "wrapped-token-file",
            "namespace",
            "auth-namespace",
            "ca-bundle",
            "client-cert",
            "client-key",
            "client-key-store",
            "client-key-store-password-file",
            "kv-version",
            "kv1-mounts",
            "max-attempts",
            "timeout",
            "max-response-size",
            "auth",
            "approle.mount",
            "approle.role-id",
            "approle.secret-id",
            "approle.secret-id-file",
            "approle.wrapped-secret-id-file",
            "kubernetes.jwt-file",
            "kubernetes.mount",
            "kubernetes.role",
            "jwt.role",
            "jwt.jwt-file",
            "jwt.mount",
            "userpass.username",
            "userpass.password-file",
            "userpass.mount",
            "ldap.username",
            "ldap.password-file",
            "ldap.mount",
            "cert.role",
            "cert.mount",
            "aws.role",
            "aws.mount",
            "aws.region",
            "aws.sts-endpoint",
            "aws.server-id",
            "leased-mounts",
            "revoke-leases-on-shutdown",
            "pki-mounts",
            "pki-revoke-replaced");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;
    static final Path KUBERNETES_JWT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /** The largest file of secret material read (a JWT, a password, a secret id, a wrapping token, a key). */
    public static final long MAX_FILE_SIZE = 64 * 1024;

    /**
     * How the store logs in. Every variant prints without its credentials: files are named by their path, never
     * their content.
     */
    public sealed interface Auth
            permits TokenAuth, AppRoleAuth, KubernetesAuth, JwtAuth, PasswordAuth, CertAuth, AwsAuth, AgentAuth {}

    /**
     * A token given directly, in a file (a Vault agent sink, read again when Vault stops accepting the old one), or
     * delivered wrapped: a wrapping token in {@code wrappedFile}, unwrapped once through {@code sys/wrapping/unwrap}.
     */
    public record TokenAuth(Optional<String> token, Optional<Path> file, Optional<Path> wrappedFile) implements Auth {
        public TokenAuth(Optional<String> token, Optional<Path> file) {
            this(token, file, Optional.empty());
        }

        @Override
        public String toString() {
            return "token" + file.map(f -> " file=" + f).orElse("")
                    + wrappedFile.map(f -> " wrapped-token-file=" + f).orElse("");
        }
    }

    /**
     * {@code POST /v1/auth/<mount>/login} with a role id and secret id: given, in a file, or delivered wrapped (a
     * wrapping token in {@code wrappedSecretIdFile}, unwrapped once).
     */
    public record AppRoleAuth(
            String mount,
            String roleId,
            Optional<String> secretId,
            Optional<Path> secretIdFile,
            Optional<Path> wrappedSecretIdFile)
            implements Auth {
        public AppRoleAuth(String mount, String roleId, Optional<String> secretId, Optional<Path> secretIdFile) {
            this(mount, roleId, secretId, secretIdFile, Optional.empty());
        }

        @Override
        public String toString() {
            return "approle mount=" + mount + " role_id=" + roleId;
        }
    }

    /** {@code POST /v1/auth/<mount>/login} with the pod's service-account JWT, read fresh at each login. */
    public record KubernetesAuth(String mount, String role, Path jwtFile) implements Auth {
        @Override
        public String toString() {
            return "kubernetes mount=" + mount + " role=" + role;
        }
    }

    /**
     * {@code jwt} or {@code oidc} ({@code method}): {@code POST /v1/auth/<mount>/login} with a role and a JWT read from
     * a file at each login (projected service-account tokens and CI tokens rotate); no role: the mount's default role.
     */
    public record JwtAuth(String method, String mount, Optional<String> role, Path jwtFile) implements Auth {
        @Override
        public String toString() {
            return method + " mount=" + mount + role.map(r -> " role=" + r).orElse("") + " jwt-file=" + jwtFile;
        }
    }

    /**
     * {@code userpass} or {@code ldap} ({@code method}): {@code POST /v1/auth/<mount>/login/<username>} with the
     * password read from a file at each login, never from a setting.
     */
    public record PasswordAuth(String method, String mount, String username, Path passwordFile) implements Auth {
        @Override
        public String toString() {
            return method + " mount=" + mount + " username=" + username;
        }
    }

    /**
     * {@code cert}: {@code POST /v1/auth/<mount>/login} over a connection that presents the client certificate
     * ({@link VaultSettings#clientIdentity()}); {@code role} is Vault's {@code name} (none: any role that trusts it).
     */
    public record CertAuth(String mount, Optional<String> role) implements Auth {
        @Override
        public String toString() {
            return "cert mount=" + mount + role.map(r -> " role=" + r).orElse("");
        }
    }

    /**
     * {@code aws}, the IAM method: {@code POST /v1/auth/<mount>/login} with an {@code sts:GetCallerIdentity} request
     * to {@code stsEndpoint} signed (SigV4, {@code region}) with the credentials of the AWS SDK's default chain, by
     * {@code mpsecrets-aws}; {@code serverId} is sent, signed, as {@code X-Vault-AWS-IAM-Server-ID}.
     */
    public record AwsAuth(
            String mount, Optional<String> role, String region, URI stsEndpoint, Optional<String> serverId)
            implements Auth {
        @Override
        public String toString() {
            return "aws mount=" + mount + role.map(r -> " role=" + r).orElse("") + " region=" + region;
        }
    }

    /**
     * {@code agent}: requests go to a local Vault Agent or Vault Proxy ({@code address}) with no token; the agent adds
     * its auto-auth token ({@code use_auto_auth_token}), logs in and keeps that token alive.
     */
    public record AgentAuth() implements Auth {
        @Override
        public String toString() {
            return "agent";
        }
    }

    /** The TLS client identity: PEM files, or a PKCS#12 key store (with its password in a file, if it has one). */
    public sealed interface ClientIdentity permits PemIdentity, KeyStoreIdentity {}

    /** A PEM certificate (and its chain) and its private key (PKCS#8, or PKCS#1 RSA, or SEC1 EC), unencrypted. */
    public record PemIdentity(Path certificate, Path key) implements ClientIdentity {}

    /** A PKCS#12 key store holding one key and its certificate chain. */
    public record KeyStoreIdentity(Path keyStore, Optional<Path> passwordFile) implements ClientIdentity {}

    public static VaultSettings read(Settings settings, Map<String, String> environment) {
        String addressText = settings.string(PREFIX + "address")
                .or(() -> nonBlank(environment.get("VAULT_ADDR")))
                .orElseThrow(() -> new ConfigurationException(
                        PREFIX + "address is not set (nor VAULT_ADDR); it names the Vault server"));
        URI address = address(addressText);
        Optional<String> namespace =
                settings.string(PREFIX + "namespace").or(() -> nonBlank(environment.get("VAULT_NAMESPACE")));
        Optional<Path> caBundle = settings.string(PREFIX + "ca-bundle")
                .or(() -> nonBlank(environment.get("VAULT_CACERT")))
                .map(Path::of);
        int kvVersion = settings.positiveInt(PREFIX + "kv-version", 2);
        if (kvVersion != 1 && kvVersion != 2) {
            throw new ConfigurationException(PREFIX + "kv-version must be 1 or 2");
        }
        int attempts = settings.intBetween(PREFIX + "max-attempts", 1, 20, 3);
        Auth auth = auth(settings, environment);
        Optional<ClientIdentity> clientIdentity = clientIdentity(settings, environment);
        if (auth instanceof CertAuth && clientIdentity.isEmpty()) {
            throw new ConfigurationException(PREFIX + "auth=cert needs a client certificate: " + PREFIX
                    + "client-cert and " + PREFIX + "client-key (PEM), or " + PREFIX + "client-key-store (PKCS#12)");
        }
        return new VaultSettings(
                address,
                namespace,
                settings.string(PREFIX + "auth-namespace"),
                auth,
                kvVersion,
                Set.copyOf(settings.list(PREFIX + "kv1-mounts")),
                caBundle,
                clientIdentity,
                settings.duration(PREFIX + "timeout", DEFAULT_TIMEOUT),
                attempts,
                settings.bytes(PREFIX + "max-response-size", DEFAULT_MAX_RESPONSE_SIZE));
    }

    /** The {@code mpsecrets.vault.auth} values. */
    static final String METHODS = "token, approle, kubernetes, jwt, oidc, userpass, ldap, cert, aws or agent";

    private static Auth auth(Settings settings, Map<String, String> environment) {
        String method = settings.string(PREFIX + "auth").orElse("token");
        switch (method) {
            case "token": {
                Optional<String> token = settings.string(PREFIX + "token");
                Optional<Path> file = settings.path(PREFIX + "token-file");
                Optional<Path> wrapped = settings.path(PREFIX + "wrapped-token-file");
                if (token.isEmpty() && file.isEmpty() && wrapped.isEmpty()) {
                    token = nonBlank(environment.get("VAULT_TOKEN"));
                }
                int given = (token.isPresent() ? 1 : 0) + (file.isPresent() ? 1 : 0) + (wrapped.isPresent() ? 1 : 0);
                if (given == 0) {
                    throw new ConfigurationException(PREFIX + "token, " + PREFIX + "token-file or " + PREFIX
                            + "wrapped-token-file is not set (nor VAULT_TOKEN); or choose another " + PREFIX
                            + "auth (" + METHODS + ")");
                }
                if (given > 1) {
                    throw new ConfigurationException("set one of " + PREFIX + "token, " + PREFIX + "token-file and "
                            + PREFIX + "wrapped-token-file");
                }
                return new TokenAuth(token, file, wrapped);
            }
            case "approle": {
                String roleId = settings.required(PREFIX + "approle.role-id", "AppRole login needs the role id");
                Optional<String> secretId = settings.string(PREFIX + "approle.secret-id");
                Optional<Path> secretIdFile = settings.path(PREFIX + "approle.secret-id-file");
                Optional<Path> wrapped = settings.path(PREFIX + "approle.wrapped-secret-id-file");
                int given = (secretId.isPresent() ? 1 : 0)
                        + (secretIdFile.isPresent() ? 1 : 0)
                        + (wrapped.isPresent() ? 1 : 0);
                if (given != 1) {
                    throw new ConfigurationException("set one of " + PREFIX + "approle.secret-id, " + PREFIX
                            + "approle.secret-id-file and " + PREFIX + "approle.wrapped-secret-id-file");
                }
                return new AppRoleAuth(
                        settings.string(PREFIX + "approle.mount").orElse("approle"),
                        roleId,
                        secretId,
                        secretIdFile,
                        wrapped);
            }
            case "kubernetes":
                return new KubernetesAuth(
                        settings.string(PREFIX + "kubernetes.mount").orElse("kubernetes"),
                        settings.required(PREFIX + "kubernetes.role", "Kubernetes login needs the Vault role"),
                        settings.path(PREFIX + "kubernetes.jwt-file").orElse(KUBERNETES_JWT));
            case "jwt":
            case "oidc":
                return new JwtAuth(
                        method,
                        settings.string(PREFIX + "jwt.mount").orElse(method),
                        settings.string(PREFIX + "jwt.role"),
                        settings.path(PREFIX + "jwt.jwt-file")
                                .orElseThrow(() -> new ConfigurationException(PREFIX + "jwt.jwt-file is not set; a "
                                        + method + " login reads its JWT from a file, again at each login")));
            case "userpass":
            case "ldap":
                settings.string(PREFIX + method + ".password").ifPresent(set -> {
                    throw new ConfigurationException(PREFIX + method + ".password is not read: put the password in a"
                            + " file and name it with " + PREFIX + method + ".password-file");
                });
                return new PasswordAuth(
                        method,
                        settings.string(PREFIX + method + ".mount").orElse(method),
                        settings.required(PREFIX + method + ".username", "a " + method + " login needs the username"),
                        settings.path(PREFIX + method + ".password-file")
                                .orElseThrow(() -> new ConfigurationException(PREFIX + method
                                        + ".password-file is not set; a " + method
                                        + " login reads its password from a file")));
            case "cert":
                return new CertAuth(
                        settings.string(PREFIX + "cert.mount").orElse("cert"), settings.string(PREFIX + "cert.role"));
            case "aws": {
                String region = settings.string(PREFIX + "aws.region").orElse("us-east-1");
                URI sts = settings.url(PREFIX + "aws.sts-endpoint")
                        .orElse(URI.create(
                                region.equals("us-east-1")
                                        ? "https://sts.amazonaws.com/"
                                        : "https://sts." + region + ".amazonaws.com/"));
                return new AwsAuth(
                        settings.string(PREFIX + "aws.mount").orElse("aws"),
                        settings.string(PREFIX + "aws.role"),
                        region,
                        sts,
                        settings.string(PREFIX + "aws.server-id"));
            }
            case "agent":
                if (settings.string(PREFIX + "token").isPresent()
                        || settings.string(PREFIX + "token-file").isPresent()) {
                    throw new ConfigurationException(PREFIX + "auth=agent sends no token: the agent adds its own;"
                            + " remove " + PREFIX + "token and " + PREFIX + "token-file");
                }
                return new AgentAuth();
            default:
                throw new ConfigurationException(PREFIX + "auth must be " + METHODS);
        }
    }

    /**
     * {@code client-cert} and {@code client-key} (PEM; else Vault's {@code VAULT_CLIENT_CERT} and
     * {@code VAULT_CLIENT_KEY}), or {@code client-key-store} (PKCS#12).
     */
    private static Optional<ClientIdentity> clientIdentity(Settings settings, Map<String, String> environment) {
        Optional<Path> keyStore = settings.path(PREFIX + "client-key-store");
        Optional<Path> certificate = settings.path(PREFIX + "client-cert");
        Optional<Path> key = settings.path(PREFIX + "client-key");
        if (keyStore.isPresent()) {
            if (certificate.isPresent() || key.isPresent()) {
                throw new ConfigurationException("set either " + PREFIX + "client-key-store or " + PREFIX
                        + "client-cert and " + PREFIX + "client-key, not both");
            }
            return Optional.of(
                    new KeyStoreIdentity(keyStore.get(), settings.path(PREFIX + "client-key-store-password-file")));
        }
        if (certificate.isEmpty() && key.isEmpty()) {
            certificate = nonBlank(environment.get("VAULT_CLIENT_CERT")).map(Path::of);
            key = nonBlank(environment.get("VAULT_CLIENT_KEY")).map(Path::of);
        }
        if (certificate.isPresent() != key.isPresent()) {
            throw new ConfigurationException(PREFIX + "client-cert and " + PREFIX + "client-key go together");
        }
        Path keyFile = key.orElse(null);
        return certificate.map(c -> new PemIdentity(c, keyFile));
    }

    /** The KV engine version of a mount. */
    public int kvVersion(String mount) {
        return kv1Mounts.contains(mount) ? 1 : kvVersion;
    }

    private static URI address(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ConfigurationException(PREFIX + "address must be an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException | NullPointerException e) {
            throw new ConfigurationException(PREFIX + "address is not a URL");
        }
    }

    private static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }
}
