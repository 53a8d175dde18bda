package io.mpsecrets.azure;

import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.api.exception.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Azure Key Vault and log in to Entra ID, from {@code mpsecrets.azure.*}, falling back to the
 * {@code AZURE_*} environment variables Azure's own SDKs read ({@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID},
 * {@code AZURE_CLIENT_SECRET}, {@code AZURE_CLIENT_CERTIFICATE_PATH}, {@code AZURE_CLIENT_CERTIFICATE_PASSWORD},
 * {@code AZURE_FEDERATED_TOKEN_FILE}, {@code AZURE_AUTHORITY_HOST}) and those App Service and AKS set
 * ({@code IDENTITY_ENDPOINT}, {@code IDENTITY_HEADER}).
 *
 * @param vaultUrl the vault of secret names given without one, e.g. {@code https://orders.vault.azure.net}
 * @param auth how to get an Entra ID token
 * @param caBundle PEM certificates to trust instead of the JVM's defaults (a private CA, the testkit's mock)
 * @param verifyChallengeResource whether the resource Key Vault's 401 challenge names must be a domain of the vault's
 *     host before a token for it is sent (true but for a mock on a loopback address)
 * @param vaultDnsSuffix the domain {@code @Microsoft.KeyVault(VaultName=...)} names a vault in
 *     ({@code vault.azure.net})
 * @param timeout one exchange, body included
 * @param maxAttempts tries per request while Key Vault or Entra ID is throttling or failing
 * @param maxResponseSize the largest answer read, in bytes; a larger one is refused, never read whole
 * @param maxSecrets the most secrets a listing of the whole vault serves
 */
public record AzureSettings(
        Optional<URI> vaultUrl,
        Auth auth,
        Optional<Path> caBundle,
        boolean verifyChallengeResource,
        String vaultDnsSuffix,
        Duration timeout,
        int maxAttempts,
        long maxResponseSize,
        int maxSecrets) {

    /** The store's name, as in {@code ${azure::db-password}}. */
    public static final String STORE = "azure";

    public static final String PREFIX = "mpsecrets." + STORE + ".";

    public static final URI PUBLIC_AUTHORITY = URI.create("https://login.microsoftonline.com");
    /** The Instance Metadata Service of Azure VMs, AKS nodes and scale sets. */
    public static final URI IMDS = URI.create("http://169.254.169.254");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final long DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024;
    static final int DEFAULT_MAX_SECRETS = 500;

    /** Every setting {@link #read} reads, relative to its prefix. */
    public static final Set<String> NAMES = Set.of(
            "vault-url",
            "auth",
            "tenant-id",
            "client-id",
            "client-secret",
            "client-certificate-path",
            "client-certificate-password",
            "federated-token-file",
            "authority-host",
            "managed-identity.endpoint",
            "ca-bundle",
            "challenge-resource-verification",
            "vault-dns-suffix",
            "timeout",
            "max-attempts",
            "max-response-size",
            "max-secrets");

    /** How the backend gets its Entra ID token. Every variant prints without its credentials. */
    public sealed interface Auth permits ClientSecret, ClientCertificate, WorkloadIdentity, ManagedIdentity {}

    /** An app registration's client secret: Entra ID's {@code client_credentials} grant. */
    public record ClientSecret(Optional<String> tenant, String clientId, String secret, URI authority) implements Auth {
        @Override
        public String toString() {
            return "client-secret client-id=" + clientId
                    + tenant.map(t -> " tenant=" + t).orElse("");
        }
    }

    /** An app registration's certificate (PEM or PKCS#12 with its private key): a signed client assertion. */
    public record ClientCertificate(
            Optional<String> tenant, String clientId, Path certificate, Optional<String> password, URI authority)
            implements Auth {
        @Override
        public String toString() {
            return "client-certificate client-id=" + clientId + " file=" + certificate;
        }
    }

    /** AKS workload identity: the federated token the kubelet writes, read fresh for each token, as the assertion. */
    public record WorkloadIdentity(Optional<String> tenant, String clientId, Path tokenFile, URI authority)
            implements Auth {
        @Override
        public String toString() {
            return "workload-identity client-id=" + clientId + " file=" + tokenFile;
        }
    }

    /**
     * A managed identity: App Service's and Functions' identity endpoint when {@code IDENTITY_ENDPOINT} and
     * {@code IDENTITY_HEADER} are set, else the Instance Metadata Service.
     *
     * @param clientId a user-assigned identity's client id; empty for the system-assigned one
     */
    public record ManagedIdentity(
            Optional<String> clientId, Optional<URI> identityEndpoint, Optional<String> identityHeader, URI imds)
            implements Auth {
        @Override
        public String toString() {
            return "managed-identity" + clientId.map(c -> " client-id=" + c).orElse("")
                    + identityEndpoint.map(e -> " endpoint=" + e).orElse(" imds=" + imds);
        }
    }

    /** The settings under {@code prefix} (the store's, or a KMS's that falls back to the store's). */
    public static AzureSettings read(String prefix, Settings settings, Map<String, String> environment) {
        Optional<URI> vaultUrl = settings.string(prefix + "vault-url")
                .or(() -> nonBlank(environment.get("AZURE_KEYVAULT_URL")))
                .map(text -> vaultUrl(prefix + "vault-url", text));
        Optional<Path> caBundle = settings.string(prefix + "ca-bundle")
                .or(() -> nonBlank(environment.get("REQUESTS_CA_BUNDLE")))
                .map(Settings::expandHome);
        return new AzureSettings(
                vaultUrl,
                auth(prefix, settings, environment),
                caBundle,
                settings.bool(prefix + "challenge-resource-verification", true),
                settings.string(prefix + "vault-dns-suffix").orElse("vault.azure.net"),
                settings.duration(prefix + "timeout", DEFAULT_TIMEOUT),
                settings.intBetween(prefix + "max-attempts", 1, 10, 3),
                settings.bytes(prefix + "max-response-size", DEFAULT_MAX_RESPONSE_SIZE),
                settings.intBetween(prefix + "max-secrets", 1, 25_000, DEFAULT_MAX_SECRETS));
    }

    private static Auth auth(String prefix, Settings settings, Map<String, String> environment) {
        Optional<String> tenant = setting(settings, prefix + "tenant-id", environment, "AZURE_TENANT_ID");
        Optional<String> clientId = setting(settings, prefix + "client-id", environment, "AZURE_CLIENT_ID");
        Optional<String> secret = setting(settings, prefix + "client-secret", environment, "AZURE_CLIENT_SECRET");
        Optional<Path> certificate = setting(
                        settings, prefix + "client-certificate-path", environment, "AZURE_CLIENT_CERTIFICATE_PATH")
                .map(Settings::expandHome);
        Optional<String> password = setting(
                settings, prefix + "client-certificate-password", environment, "AZURE_CLIENT_CERTIFICATE_PASSWORD");
        Optional<Path> federated = setting(
                        settings, prefix + "federated-token-file", environment, "AZURE_FEDERATED_TOKEN_FILE")
                .map(Settings::expandHome);
        URI authority = setting(settings, prefix + "authority-host", environment, "AZURE_AUTHORITY_HOST")
                .map(text -> https(prefix + "authority-host", text))
                .orElse(PUBLIC_AUTHORITY);
        String method = settings.string(prefix + "auth").orElse("default");
        switch (method) {
            case "default":
                // Azure's EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, in that order,
                // chosen once from what is configured: no probing at run time.
                if (secret.isPresent() && clientId.isPresent()) {
                    return new ClientSecret(tenant, clientId.get(), secret.get(), authority);
                }
                if (certificate.isPresent() && clientId.isPresent()) {
                    return new ClientCertificate(tenant, clientId.get(), certificate.get(), password, authority);
                }
                if (federated.isPresent() && clientId.isPresent()) {
                    return new WorkloadIdentity(tenant, clientId.get(), federated.get(), authority);
                }
                return managedIdentity(prefix, settings, environment, clientId);
            case "client-secret":
                return new ClientSecret(
                        tenant,
                        need(clientId, prefix + "client-id", "AZURE_CLIENT_ID"),
                        need(secret, prefix + "client-secret", "AZURE_CLIENT_SECRET"),
                        authority);
            case "client-certificate":
                return new ClientCertificate(
                        tenant,
                        need(clientId, prefix + "client-id", "AZURE_CLIENT_ID"),
                        need(certificate, prefix + "client-certificate-path", "AZURE_CLIENT_CERTIFICATE_PATH"),
                        password,
                        authority);
            case "workload-identity":
                return new WorkloadIdentity(
                        tenant,
                        need(clientId, prefix + "client-id", "AZURE_CLIENT_ID"),
                        need(federated, prefix + "federated-token-file", "AZURE_FEDERATED_TOKEN_FILE"),
                        authority);
            case "managed-identity":
                return managedIdentity(prefix, settings, environment, clientId);
            default:
                throw new ConfigurationException(prefix
                        + "auth must be default, client-secret, client-certificate, workload-identity or "
                        + "managed-identity");
        }
    }

    private static ManagedIdentity managedIdentity(
            String prefix, Settings settings, Map<String, String> environment, Optional<String> clientId) {
        Optional<URI> endpoint =
                nonBlank(environment.get("IDENTITY_ENDPOINT")).map(text -> Settings.url("IDENTITY_ENDPOINT", text));
        Optional<String> header = nonBlank(environment.get("IDENTITY_HEADER"));
        if (endpoint.isPresent() != header.isPresent()) {
            throw new ConfigurationException(
                    "IDENTITY_ENDPOINT and IDENTITY_HEADER come together (App Service sets both); one is missing");
        }
        URI imds = settings.url(prefix + "managed-identity.endpoint")
                .or(() -> nonBlank(environment.get("AZURE_POD_IDENTITY_AUTHORITY_HOST"))
                        .map(text -> Settings.url("AZURE_POD_IDENTITY_AUTHORITY_HOST", text)))
                .orElse(IMDS);
        return new ManagedIdentity(clientId, endpoint, header, imds);
    }

    private static Optional<String> setting(
            Settings settings, String name, Map<String, String> environment, String variable) {
        return settings.string(name).or(() -> nonBlank(environment.get(variable)));
    }

    private static <T> T need(Optional<T> value, String setting, String variable) {
        return value.orElseThrow(() -> new ConfigurationException(setting + " is not set (nor " + variable + ")"));
    }

    /** A vault's URL: https, a host, no path beyond {@code /}. */
    static URI vaultUrl(String setting, String text) {
        URI uri = https(setting, text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigurationException(setting + " must be a vault's URL, e.g. https://orders.vault.azure.net");
        }
        return uri;
    }

    /**
     * An https URL: Key Vault and Entra ID take tokens and secrets over TLS only, and so does this client, as Azure's
     * own SDK does.
     */
    static URI https(String setting, String text) {
        URI uri = Settings.url(setting, text);
        if (!uri.getScheme().equals("https")) {
            throw new ConfigurationException(setting + " must be an https URL");
        }
        return uri;
    }

    private static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }
}
