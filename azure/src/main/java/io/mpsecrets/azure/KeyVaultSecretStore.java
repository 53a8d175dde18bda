package io.mpsecrets.azure;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Azure Key Vault's secrets as a secret store: Get Secret ({@code GET <vault>/secrets/<name>[/<version>]}) for a value,
 * its version the last segment of the answer's {@code id}; a JSON secret's fields are the caller's
 * ({@code ${azure::db#password}}). A secret that is disabled (Key Vault refuses it: 403 {@code SecretDisabled}),
 * expired ({@code exp} passed) or not yet valid ({@code nbf} ahead) is an {@link InvalidSecretValueException}, never a
 * value: Key Vault still hands out expired and not-yet-valid secrets, so the client checks; a value's {@code exp} is
 * also its {@link SecretValue#expiresAt()}, after which no cache serves it.
 *
 * <p>Rotation is polled with Get Secret of the current version ({@link #currentVersion}): one request, whose value is
 * zeroed at once. Key Vault has no cheaper call that names the current version: Get Secret Versions lists every version
 * unordered, 25 to a page, more requests as a secret ages; Get Secrets shows each secret's {@code updated} time but no
 * version id. Each is one Key Vault transaction, as a Get Secret is.
 *
 * <p>Listed as a whole ({@code mpsecrets.sources=azure} without {@code mpsecrets.azure.secrets}), the vault's secrets
 * come from Get Secrets, 25 to a page, following {@code nextLink} only within the vault; at most
 * {@code max-secrets} secrets and a bounded number of pages are read. Disabled, expired and not-yet-valid secrets and
 * those backing certificates ({@code managed}) are left out. A secret's property is its name with {@code --} read as a
 * dot ({@link #propertyName}).
 */
public final class KeyVaultSecretStore implements SecretStore {

    public static final String NAME = AzureSettings.STORE;

    /** Key Vault's largest page of Get Secrets. */
    static final int PAGE = 25;

    /** Pages that may come back with fewer than 25 secrets (Key Vault answers some empty pages) beyond the needed. */
    static final int SHORT_PAGES = 20;

    private final KeyVaultClient client;

    public KeyVaultSecretStore(AzureSettings settings) {
        this.client = new KeyVaultClient(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretId whole = id.withoutField();
        SecretRef ref = ref(whole);
        KeyVaultIds.Location at = KeyVaultIds.secret(whole, client.settings(), ref);
        return value(client.get(at.url(), ref), at, ref, Instant.now());
    }

    /** A Get Secret answer as a value: checked, or a typed failure. */
    static SecretValue value(JsonObject bundle, KeyVaultIds.Location asked, SecretRef ref, Instant now) {
        String id = AzureJson.requiredString(bundle, "id", ref, "Key Vault");
        KeyVaultIds.Location answered = KeyVaultIds.identifier(id, "secrets", ref);
        if (!answered.name().equalsIgnoreCase(asked.name())
                || answered.version() == null
                || (asked.version() != null && !asked.version().equalsIgnoreCase(answered.version()))) {
            throw new InvalidSecretValueException(ref, "Key Vault answered with another secret or no version");
        }
        AzureJson.Attributes attributes = AzureJson.Attributes.of(bundle, ref);
        attributes.unusable(now).ifPresent(why -> {
            throw new InvalidSecretValueException(
                    ref.withVersion(answered.version()), "the secret may not be used now: it is " + why);
        });
        String value = AzureJson.string(bundle, "value", ref, "Key Vault")
                .orElseThrow(() -> new InvalidSecretValueException(ref, "Key Vault answered without a value"));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            return SecretValue.of(bytes, answered.version(), attributes.created(), attributes.expires());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The secrets Get Secrets lists, paged and bounded, usable ones only. */
    @Override
    public List<String> list() {
        URI vault = client.settings()
                .vaultUrl()
                .orElseThrow(() -> new ConfigurationException(AzureSettings.PREFIX
                        + "vault-url is not set (nor AZURE_KEYVAULT_URL): it names the vault whose"
                        + " secrets are served"));
        SecretRef ref = SecretRef.secret(NAME, vault.toString());
        int maxSecrets = client.settings().maxSecrets();
        int maxPages = (maxSecrets + PAGE - 1) / PAGE + SHORT_PAGES;
        List<String> names = new ArrayList<>();
        int seen = 0;
        URI next = URI.create(vault + "/secrets?maxresults=" + PAGE);
        Instant now = Instant.now();
        for (int page = 1; next != null; page++) {
            if (page > maxPages) {
                throw new InvalidSecretValueException(
                        ref,
                        "Get Secrets answered more than " + maxPages + " pages (" + PAGE + " secrets a page for "
                                + AzureSettings.PREFIX + "max-secrets, " + maxSecrets + ", and " + SHORT_PAGES
                                + " short pages)");
            }
            JsonObject answer = client.get(next, ref);
            JsonValue items = answer.get("value");
            if (!(items instanceof JsonArray array)) {
                throw new InvalidSecretValueException(ref, "Get Secrets answered without a 'value' array");
            }
            for (JsonValue item : array) {
                if (!(item instanceof JsonObject secret)) {
                    throw new InvalidSecretValueException(ref, "Get Secrets answered an item that is not an object");
                }
                if (++seen > maxSecrets) {
                    throw new InvalidSecretValueException(
                            ref,
                            "the vault holds more than " + AzureSettings.PREFIX + "max-secrets (" + maxSecrets
                                    + ") secrets: list the ones to serve in " + AzureSettings.PREFIX + "secrets");
                }
                KeyVaultIds.Location at = KeyVaultIds.identifier(
                        AzureJson.requiredString(secret, "id", ref, "Key Vault"), "secrets", ref);
                boolean managed = secret.get("managed") == JsonValue.TRUE;
                if (!managed
                        && AzureJson.Attributes.of(secret, ref).unusable(now).isEmpty()) {
                    names.add(at.name());
                }
            }
            next = nextLink(answer, vault, ref);
        }
        return names;
    }

    /** The answer's {@code nextLink}, followed only within {@code vault} and its secrets. */
    static URI nextLink(JsonObject answer, URI vault, SecretRef ref) {
        String link = AzureJson.string(answer, "nextLink", ref, "Key Vault").orElse(null);
        if (link == null || link.isEmpty()) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretValueException(ref, "Get Secrets answered a nextLink that is not a URL");
        }
        if (!"https".equals(uri.getScheme())
                || !KeyVaultClient.vault(uri).equalsIgnoreCase(KeyVaultClient.vault(vault))
                || !"/secrets".equals(uri.getRawPath())
                || uri.getRawUserInfo() != null) {
            // A token goes with every request: a link elsewhere is not followed.
            throw new InvalidSecretValueException(
                    ref, "Get Secrets answered a nextLink outside the vault's secrets: not followed");
        }
        return uri;
    }

    /**
     * A secret's property when the vault is served without a prefix: its name, with {@code --} read as a dot (Key
     * Vault names hold only letters, digits and dashes, so {@code orders--db--password} serves
     * {@code orders.db.password}, the rule .NET's Key Vault configuration provider follows with {@code :}), in the case
     * Key Vault gives it.
     */
    @Override
    public String propertyName(String secretId) {
        return secretId.replace("--", ".");
    }

    private static SecretRef ref(SecretId id) {
        return SecretRef.secret(NAME, id.toString());
    }

    @Override
    public String toString() {
        return "KeyVaultSecretStore["
                + client.settings().vaultUrl().map(URI::toString).orElse("no vault") + ", "
                + client.settings().auth().toString().toLowerCase(Locale.ROOT).split(" ")[0] + "]";
    }
}
