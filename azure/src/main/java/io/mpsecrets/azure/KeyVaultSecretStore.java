package io.mpsecrets.azure;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.ConfigurationException;
import io.mpsecrets.api.exception.InvalidSecretValueException;
import io.mpsecrets.api.exception.SecretException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure Key Vault's secrets as a secret store: Get Secret ({@code GET <vault>/secrets/<name>[/<version>]}) for a value,
 * its version the last segment of the answer's {@code id}; a JSON secret's fields are the caller's
 * ({@code ${azure::db#password}}). A secret that is disabled (Key Vault refuses it: 403 {@code SecretDisabled}),
 * expired ({@code exp} passed) or not yet valid ({@code nbf} ahead) is an {@link InvalidSecretValueException}, never a
 * value: Key Vault still hands out expired and not-yet-valid secrets, so the client checks; a value's {@code exp} is
 * also its {@link SecretValue#expiresAt()}, after which no cache serves it.
 *
 * <p>Rotation is polled with Get Secret of the current version ({@link #currentVersion}): one request, whose value is
 * zeroed at once. Key Vault has no call that names many secrets' current versions: Get Secret Versions lists every
 * version of one secret unordered, 25 to a page; Get Secrets lists the vault's secrets, 25 to a page, each with its
 * current version's attributes ({@code created}, {@code updated}) but no version id. So the batched check
 * ({@link #currentVersions}, {@code rotation-check=list}, the default) vouches only for what it can tell: a secret
 * whose listed {@code created} and {@code updated} are those of the version this store last read is still on that
 * version; any other (changed, not listed, read too recently to tell) is left to Get Secret. One listing page is one
 * Key Vault transaction, as a Get Secret is: 50 secrets are 2 pages instead of 50 Get Secret (docs/scale.md).
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

    /**
     * A read that began less than this after the version's {@code updated} second is not trusted to tell that version
     * apart by its times: another version set in the same second (after the read) would list the same times. The
     * margin covers that second and a skew between this clock and Key Vault's.
     */
    static final Duration STAMP_MARGIN = Duration.ofSeconds(60);

    /** The current version's times as Key Vault lists them, and its id, as this store last read it. */
    private record Stamp(long created, long updated, String version) {}

    private final KeyVaultClient client;
    private final boolean listChecks;
    private final Clock clock;
    /** Per secret name (lower case, as Key Vault's names are case-insensitive): the current version last read. */
    private final Map<String, Stamp> stamps = new ConcurrentHashMap<>();
    /** Set once a listing ran past its page budget: the vault holds too many other secrets for listing to pay. */
    private volatile boolean unlistable;

    public KeyVaultSecretStore(AzureSettings settings) {
        this(settings, true, Clock.systemUTC());
    }

    /**
     * @param listChecks whether {@link #currentVersions} lists the vault ({@code rotation-check=list}) or names none
     *     ({@code get}: every check is a Get Secret)
     */
    KeyVaultSecretStore(AzureSettings settings, boolean listChecks, Clock clock) {
        this.client = new KeyVaultClient(settings);
        this.listChecks = listChecks;
        this.clock = clock;
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
        Instant asked = clock.instant();
        JsonObject bundle = client.get(at.url(), ref);
        SecretValue value = value(bundle, at, ref, Instant.now());
        if (at.version() == null) {
            listedKey(at).ifPresent(key -> remember(key, bundle, value, asked, ref));
        }
        return value;
    }

    /**
     * Where the listing of the configured vault would name this secret: its name in lower case (Key Vault's names are
     * case-insensitive); empty for a secret of another vault.
     */
    private Optional<String> listedKey(KeyVaultIds.Location at) {
        return client.settings()
                .vaultUrl()
                .filter(vault -> KeyVaultClient.vault(vault).equalsIgnoreCase(KeyVaultClient.vault(at.vault())))
                .map(vault -> at.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Keeps the times of the current version just read, for {@link #currentVersions}, when the read began well after
     * its last update ({@link #STAMP_MARGIN}); otherwise forgets what was kept, so the listing vouches for nothing.
     */
    private void remember(String key, JsonObject bundle, SecretValue value, Instant asked, SecretRef ref) {
        Optional<long[]> times = times(bundle, ref);
        Optional<String> version = value.version();
        if (times.isPresent()
                && version.isPresent()
                && asked.getEpochSecond() - times.get()[1] >= STAMP_MARGIN.toSeconds()) {
            stamps.put(key, new Stamp(times.get()[0], times.get()[1], version.get()));
        } else {
            stamps.remove(key);
        }
    }

    /** An item's {@code created} and {@code updated} seconds, when both are there. */
    private static Optional<long[]> times(JsonObject item, SecretRef ref) {
        Optional<JsonObject> attributes = AzureJson.object(item, "attributes", ref, "Key Vault");
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> created = AzureJson.seconds(attributes.get(), "created", ref, "Key Vault");
        Optional<Long> updated = AzureJson.seconds(attributes.get(), "updated", ref, "Key Vault");
        return created.isPresent() && updated.isPresent()
                ? Optional.of(new long[] {created.get(), updated.get()})
                : Optional.empty();
    }

    /**
     * The versions Get Secrets vouches for: a pinned id's own version, and the version this store last read of each
     * secret the listing shows with that version's {@code created} and {@code updated} times, enabled and usable now.
     * A secret listed with other times (a new version, changed attributes), not listed, or without a version read
     * long enough after its update is left out: the caller asks Get Secret. The vault's listing is read 25 to a page,
     * following {@code nextLink} only within the vault, for at most twice the pages the secrets asked for would fill
     * and one more; a listing that runs past that (a vault holding many other secrets) stops, and the store does not
     * list again (a listing would cost more than the Get Secrets it saves). A failed page throws as {@link #fetch}
     * does: nothing is vouched for.
     */
    @Override
    public Map<SecretId, String> currentVersions(Collection<SecretId> ids) {
        Map<SecretId, String> out = new LinkedHashMap<>();
        Map<String, List<SecretId>> wanted = new LinkedHashMap<>();
        for (SecretId id : ids) {
            SecretId whole = id.withoutField();
            if (whole.versionId() != null) {
                out.put(id, whole.versionId());
            } else if (listChecks && !unlistable && whole.stage() == null) {
                Optional<String> key;
                try {
                    key = listedKey(KeyVaultIds.secret(whole, client.settings(), ref(whole)))
                            .filter(stamps::containsKey);
                } catch (SecretException unusable) {
                    key = Optional.empty(); // not an id Key Vault has: Get Secret says so, typed
                }
                key.ifPresent(
                        k -> wanted.computeIfAbsent(k, x -> new ArrayList<>()).add(id));
            }
        }
        if (wanted.isEmpty()) {
            return out;
        }
        URI vault = client.settings().vaultUrl().orElse(null);
        if (vault == null) {
            return out;
        }
        SecretRef ref = SecretRef.secret(NAME, vault.toString());
        int budget = 2 * ((wanted.size() + PAGE - 1) / PAGE) + 1;
        int seen = 0;
        URI next = URI.create(vault + "/secrets?maxresults=" + PAGE);
        Instant now = Instant.now();
        for (int page = 1; next != null && seen < wanted.size(); page++) {
            if (page > budget) {
                unlistable = true;
                break;
            }
            JsonObject answer = client.get(next, ref);
            if (!(answer.get("value") instanceof JsonArray array)) {
                throw new InvalidSecretValueException(ref, "Get Secrets answered without a 'value' array");
            }
            for (JsonValue item : array) {
                if (!(item instanceof JsonObject secret)) {
                    throw new InvalidSecretValueException(ref, "Get Secrets answered an item that is not an object");
                }
                KeyVaultIds.Location at = KeyVaultIds.identifier(
                        AzureJson.requiredString(secret, "id", ref, "Key Vault"), "secrets", ref);
                String key = at.name().toLowerCase(Locale.ROOT);
                List<SecretId> listed = wanted.get(key);
                Stamp stamp = stamps.get(key);
                if (listed == null || stamp == null || listed.stream().anyMatch(out::containsKey)) {
                    continue;
                }
                seen++;
                Optional<long[]> times = times(secret, ref);
                if (times.isPresent()
                        && times.get()[0] == stamp.created()
                        && times.get()[1] == stamp.updated()
                        && secret.get("managed") != JsonValue.TRUE
                        && AzureJson.Attributes.of(secret, ref).unusable(now).isEmpty()) {
                    listed.forEach(id -> out.put(id, stamp.version()));
                }
            }
            next = nextLink(answer, vault, ref);
        }
        return out;
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
