package io.mpsecrets.azure;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.exception.UnknownKeyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a secret or key is in Key Vault, from the forms Azure users write: a name in the configured vault
 * ({@code db-password}), a secret identifier ({@code https://orders.vault.azure.net/secrets/db-password/<version>}),
 * App Service's reference ({@code @Microsoft.KeyVault(SecretUri=...)} or
 * {@code @Microsoft.KeyVault(VaultName=orders;SecretName=db-password;SecretVersion=...)}), and a key id
 * ({@code https://orders.vault.azure.net/keys/orders-key[/<version>]}). Names and versions are checked against Key
 * Vault's rules before they go into a URL (a name: 1 to 127 letters, digits and dashes; a version: letters and
 * digits), so that no id can reach another path; vaults are https URLs.
 */
final class KeyVaultIds {

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z]{1,64}");
    private static final String APP_SERVICE = "@Microsoft.KeyVault(";

    private KeyVaultIds() {}

    /** A secret (or a key): its vault, name and version (null: the current one). */
    record Location(URI vault, String collection, String name, String version) {

        /** {@code <vault>/<collection>/<name>[/<version>]} */
        URI url() {
            return URI.create(vault + "/" + collection + "/" + name + (version == null ? "" : "/" + version));
        }

        Location withVersion(String newVersion) {
            return new Location(vault, collection, name, newVersion);
        }
    }

    /** Where {@code id} (whole: its field is the caller's) is, its vault defaulting to {@code settings}'. */
    static Location secret(SecretId id, AzureSettings settings, SecretRef ref) {
        if (id.stage() != null) {
            throw new SecretNotFoundException(ref, "Key Vault has versions, not stages: use ?version=<id>");
        }
        String path = id.path().trim();
        Location at;
        if (path.regionMatches(true, 0, APP_SERVICE, 0, APP_SERVICE.length())) {
            at = appService(path, settings, ref);
        } else if (path.regionMatches(true, 0, "https://", 0, 8) || path.regionMatches(true, 0, "http://", 0, 7)) {
            at = identifier(path, "secrets", ref);
        } else {
            URI vault = settings.vaultUrl()
                    .orElseThrow(() -> new ConfigurationException(
                            ref,
                            AzureSettings.PREFIX + "vault-url is not set (nor AZURE_KEYVAULT_URL): it names the vault"
                                    + " of secrets given by name",
                            null));
            at = new Location(vault, "secrets", name(path, ref), null);
        }
        if (id.versionId() != null) {
            String pinned = version(id.versionId(), ref);
            if (at.version() != null && !at.version().equals(pinned)) {
                throw new SecretNotFoundException(ref, "the id names two versions: its own and ?version=");
            }
            at = at.withVersion(pinned);
        }
        return at;
    }

    /** A key id's URL part: {@code https://<vault>/keys/<name>[/<version>]}. */
    static Location key(String url, SecretRef ref) {
        try {
            return identifier(url, "keys", ref);
        } catch (SecretNotFoundException e) {
            throw new UnknownKeyException(ref, e.detail(), null);
        }
    }

    /** {@code https://<vault>/<collection>/<name>[/<version>]}, from Key Vault's own {@code id} or {@code kid}. */
    static Location identifier(String text, String collection, SecretRef ref) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new SecretNotFoundException(ref, "not a Key Vault identifier URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new SecretNotFoundException(
                    ref, "a Key Vault identifier is an https URL without user, query or fragment");
        }
        String[] segments = uri.getRawPath().replaceAll("/+$", "").split("/", -1);
        // "", collection, name[, version]
        if (segments.length < 3 || segments.length > 4 || !segments[0].isEmpty() || !segments[1].equals(collection)) {
            throw new SecretNotFoundException(
                    ref, "a Key Vault identifier is https://<vault>/" + collection + "/<name>[/<version>]");
        }
        URI vault = URI.create("https://" + uri.getRawAuthority());
        return new Location(
                vault, collection, name(segments[2], ref), segments.length == 4 ? version(segments[3], ref) : null);
    }

    /** {@code @Microsoft.KeyVault(SecretUri=...)} or {@code (VaultName=...;SecretName=...[;SecretVersion=...])}. */
    private static Location appService(String text, AzureSettings settings, SecretRef ref) {
        if (!text.endsWith(")")) {
            throw new SecretNotFoundException(ref, "an App Service reference ends with ')'");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part :
                text.substring(APP_SERVICE.length(), text.length() - 1).split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0) {
                parts.put(
                        part.substring(0, equals).trim().toLowerCase(Locale.ROOT),
                        part.substring(equals + 1).trim());
            }
        }
        if (parts.containsKey("secreturi")) {
            return identifier(parts.get("secreturi"), "secrets", ref);
        }
        String vaultName = parts.get("vaultname");
        String secretName = parts.get("secretname");
        if (vaultName == null || secretName == null || !NAME.matcher(vaultName).matches()) {
            throw new SecretNotFoundException(
                    ref, "an App Service reference names SecretUri=, or VaultName= and SecretName=");
        }
        URI vault = AzureSettings.vaultUrl(
                AzureSettings.PREFIX + "vault-dns-suffix",
                "https://" + vaultName.toLowerCase(Locale.ROOT) + "." + settings.vaultDnsSuffix());
        String version = parts.get("secretversion");
        return new Location(
                vault,
                "secrets",
                name(secretName, ref),
                version == null || version.isEmpty() ? null : version(version, ref));
    }

    static String name(String text, SecretRef ref) {
        if (!NAME.matcher(text).matches()) {
            throw new SecretNotFoundException(
                    ref, "not a Key Vault name (1 to 127 letters, digits and dashes): nothing was asked");
        }
        return text;
    }

    static String version(String text, SecretRef ref) {
        if (!VERSION.matcher(text).matches()) {
            throw new SecretNotFoundException(ref, "not a Key Vault version (letters and digits): nothing was asked");
        }
        return text;
    }
}
