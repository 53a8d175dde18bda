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
 * @param address the server, e.g. {@code https://vault:8200}
 * @param namespace sent as {@code X-Vault-Namespace} (Vault Enterprise / HCP)
 * @param auth how to get a token
 * @param kvVersion the KV secrets engine version of mounts not listed in {@code kv1Mounts}: 2 (default) or 1
 * @param kv1Mounts mounts that are KV version 1 when the default is 2
 * @param caBundle PEM certificates to trust instead of the JVM's defaults, for a private CA
 * @param timeout per request
 * @param maxAttempts tries per request when Vault is throttling, sealed or failing (jittered backoff between)
 * @param maxResponseSize the largest answer read, in bytes; a larger one is refused, never read whole
 */
public record VaultSettings(
        URI address,
        Optional<String> namespace,
        Auth auth,
        int kvVersion,
        Set<String> kv1Mounts,
        Optional<Path> caBundle,
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
            "namespace",
            "ca-bundle",
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
            "kubernetes.jwt-file",
            "kubernetes.mount",
            "kubernetes.role",
            "leased-mounts",
            "revoke-leases-on-shutdown");

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;
    static final Path KUBERNETES_JWT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /** How the store logs in. Every variant prints without its credentials. */
    public sealed interface Auth permits TokenAuth, AppRoleAuth, KubernetesAuth {}

    /** A token given directly or in a file (a Vault agent sink); renewed before expiry when renewable. */
    public record TokenAuth(Optional<String> token, Optional<Path> file) implements Auth {
        @Override
        public String toString() {
            return "token" + file.map(f -> " file=" + f).orElse("");
        }
    }

    /** {@code POST /v1/auth/<mount>/login} with a role id and secret id. */
    public record AppRoleAuth(String mount, String roleId, Optional<String> secretId, Optional<Path> secretIdFile)
            implements Auth {
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
        return new VaultSettings(
                address,
                namespace,
                auth(settings, environment),
                kvVersion,
                Set.copyOf(settings.list(PREFIX + "kv1-mounts")),
                caBundle,
                settings.duration(PREFIX + "timeout", DEFAULT_TIMEOUT),
                attempts,
                settings.bytes(PREFIX + "max-response-size", DEFAULT_MAX_RESPONSE_SIZE));
    }

    private static Auth auth(Settings settings, Map<String, String> environment) {
        String method = settings.string(PREFIX + "auth").orElse("token");
        switch (method) {
            case "token": {
                Optional<String> token = settings.string(PREFIX + "token");
                Optional<Path> file = settings.string(PREFIX + "token-file").map(Path::of);
                if (token.isEmpty() && file.isEmpty()) {
                    token = nonBlank(environment.get("VAULT_TOKEN"));
                }
                if (token.isEmpty() && file.isEmpty()) {
                    throw new ConfigurationException(
                            PREFIX + "token or " + PREFIX + "token-file is not set (nor VAULT_TOKEN); "
                                    + "or choose another " + PREFIX + "auth (approle, kubernetes)");
                }
                return new TokenAuth(token, file);
            }
            case "approle": {
                String roleId = settings.required(PREFIX + "approle.role-id", "AppRole login needs the role id");
                Optional<String> secretId = settings.string(PREFIX + "approle.secret-id");
                Optional<Path> secretIdFile =
                        settings.string(PREFIX + "approle.secret-id-file").map(Path::of);
                if (secretId.isEmpty() && secretIdFile.isEmpty()) {
                    throw new ConfigurationException(
                            PREFIX + "approle.secret-id or " + PREFIX + "approle.secret-id-file is not set");
                }
                return new AppRoleAuth(
                        settings.string(PREFIX + "approle.mount").orElse("approle"), roleId, secretId, secretIdFile);
            }
            case "kubernetes":
                return new KubernetesAuth(
                        settings.string(PREFIX + "kubernetes.mount").orElse("kubernetes"),
                        settings.required(PREFIX + "kubernetes.role", "Kubernetes login needs the Vault role"),
                        settings.string(PREFIX + "kubernetes.jwt-file")
                                .map(Path::of)
                                .orElse(KUBERNETES_JWT));
            default:
                throw new ConfigurationException(PREFIX + "auth must be token, approle or kubernetes");
        }
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
