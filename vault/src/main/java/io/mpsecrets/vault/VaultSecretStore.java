package io.mpsecrets.vault;

import io.mpsecrets.api.SecretId;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.api.SecretStore;
import io.mpsecrets.api.SecretValue;
import io.mpsecrets.api.exception.SecretNotFoundException;
import io.mpsecrets.api.spi.BackendEvents;
import io.mpsecrets.api.spi.SecretChanges;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * HashiCorp Vault's KV secrets engine as a secret store. A secret id is {@code <mount>/<path>}, e.g.
 * {@code secret/orders}: on a KV v2 mount it reads {@code /v1/secret/data/orders} (a pinned
 * {@code ?version=N} reads that version) and asks {@code /v1/secret/metadata/orders} for the current version
 * when polling for rotation; on a KV v1 mount it reads {@code /v1/<mount>/<path>}, whose version is a keyed hash
 * of the content. The secret's value is its data object as JSON, so its keys are fields
 * ({@code ${vault::secret/orders#api_key}}). On a leased mount ({@link LeaseSettings#mounts()}, {@code database} by
 * default) a read issues a leased secret, e.g. {@code database/creds/orders}, which {@link VaultLeases} keeps: its
 * version is the lease's handle, a new lease is a rotation, and the value expires with its lease. A read there
 * answered without a lease (a static role's {@code database/static-creds/orders}) is versioned by its
 * {@code last_vault_rotation} and expires when its {@code ttl} runs out. On a PKI mount
 * ({@link LeaseSettings#pkiMounts()}, {@code pki} by default) {@code <mount>/issue/<role>} issues a certificate and its
 * key, which {@link VaultPki} re-issues at two thirds of its lifetime.
 */
public final class VaultSecretStore implements SecretStore {

    public static final String NAME = VaultSettings.STORE;

    private final VaultSettings settings;
    private final LeaseSettings leaseSettings;
    private final VaultClient client;
    private final VaultLeases leases;
    private final VaultPki pki;

    public VaultSecretStore(VaultSettings settings) {
        this(settings, LeaseSettings.DEFAULT, SecretChanges.NONE, "mpsecrets");
    }

    /**
     * @param changes where leases re-issued or lost are reported
     * @param application names the lease timer's thread
     */
    public VaultSecretStore(
            VaultSettings settings, LeaseSettings leaseSettings, SecretChanges changes, String application) {
        this(settings, leaseSettings, changes, BackendEvents.NONE, application);
    }

    /**
     * @param changes where leases re-issued or lost are reported
     * @param events where a token Vault stopped accepting, or a wrapping token already used, is reported
     * @param application names the lease timer's thread
     */
    public VaultSecretStore(
            VaultSettings settings,
            LeaseSettings leaseSettings,
            SecretChanges changes,
            BackendEvents events,
            String application) {
        this.settings = settings;
        this.leaseSettings = leaseSettings;
        this.client = VaultToken.client(settings, events);
        this.leases = new VaultLeases(client, leaseSettings, changes, application);
        this.pki = new VaultPki(client, leaseSettings, changes, application);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Where a secret is: its mount and path as named (PKI parameters and lease settings read them), and the same
     * percent-encoded for the URL ({@link #segments}).
     */
    private record Location(String mount, String path, String urlMount, String urlPath, int kvVersion) {}

    private Location locate(SecretId id) {
        String full = id.path().startsWith("/") ? id.path().substring(1) : id.path();
        int slash = full.indexOf('/');
        if (slash <= 0 || slash == full.length() - 1) {
            throw new SecretNotFoundException(ref(id), "a Vault secret id is <mount>/<path>, e.g. secret/orders");
        }
        String mount = full.substring(0, slash);
        String path = full.substring(slash + 1);
        return new Location(mount, path, segments(mount, id), segments(path, id), settings.kvVersion(mount));
    }

    /**
     * The path as the URL's segments (a KV or leased path; PKI builds its own): each percent-encoded (a space,
     * {@code ?}, {@code #} or {@code %} in a name would otherwise end the path early, fail the URL, or name another
     * secret), and none empty, {@code .} or {@code ..}: Vault cleans such a path and would read another secret than
     * the one named.
     */
    private static String segments(String path, SecretId id) {
        StringBuilder out = new StringBuilder(path.length() + 8);
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new SecretNotFoundException(
                        ref(id), "a Vault secret path has no empty, '.' or '..' segment, e.g. secret/orders/db");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            // URLEncoder writes form encoding: a space is '+' there, '%20' in a path
            out.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return out.toString();
    }

    @Override
    public SecretValue fetch(SecretId id) {
        SecretId whole = id.withoutField();
        SecretRef ref = ref(whole);
        if (whole.stage() != null) {
            throw new SecretNotFoundException(ref, "Vault KV has version numbers, not stages: use ?version=N");
        }
        Location at = locate(whole);
        if (leaseSettings.issuesCertificates(at.mount(), at.path())) {
            leasedPath(at, whole, ref); // no versions to pin either
            return pki.current(whole, at.mount(), at.path(), ref);
        }
        if (leaseSettings.leased(at.mount())) {
            return leases.current(whole, leasedPath(at, whole, ref), ref);
        }
        if (at.kvVersion() == 1) {
            if (whole.versionId() != null) {
                throw new SecretNotFoundException(ref, "a KV version 1 secret has only its current value");
            }
            return VaultJson.dataValue(client.get(at.urlMount() + "/" + at.urlPath(), null, ref), ref);
        }
        String query = null;
        if (whole.versionId() != null) {
            if (!whole.versionId().chars().allMatch(Character::isDigit)) {
                throw new SecretNotFoundException(ref, "a KV version 2 version is a number");
            }
            query = "version=" + whole.versionId();
        }
        return kv2Value(client.get(at.urlMount() + "/data/" + at.urlPath(), query, ref), ref);
    }

    /** A leased secret's path, read as it is; each read issues a new secret, so there are no versions to pin. */
    private static String leasedPath(Location at, SecretId whole, SecretRef ref) {
        if (whole.versionId() != null) {
            throw new SecretNotFoundException(
                    ref, "a leased secret has no versions to pin: each lease is a new secret");
        }
        return at.urlMount() + "/" + at.urlPath();
    }

    /** The value in a KV version 2 read's answer: {@code data.data}, with {@code data.metadata}'s version and time. */
    static SecretValue kv2Value(JsonObject answer, SecretRef ref) {
        JsonObject outer = VaultJson.data(answer, ref);
        JsonObject data = VaultJson.optionalObject(outer, "data", ref)
                .orElseThrow(() -> new SecretNotFoundException(ref, "the version was deleted or destroyed"));
        JsonObject metadata = VaultJson.object(outer, "metadata", ref);
        String version =
                VaultJson.number(metadata, "version", ref).map(String::valueOf).orElse(null);
        return VaultJson.value(
                data,
                version,
                instant(VaultJson.string(metadata, "created_time", ref).orElse(null)));
    }

    /** {@code current_version} in a KV version 2 metadata answer. */
    static Optional<String> kv2CurrentVersion(JsonObject answer, SecretRef ref) {
        return VaultJson.number(VaultJson.data(answer, ref), "current_version", ref)
                .map(String::valueOf);
    }

    /** KV v2: {@code current_version} from the metadata endpoint; KV v1: a keyed hash of the content. */
    @Override
    public Optional<String> currentVersion(SecretId id) {
        SecretId whole = id.withoutField();
        if (whole.versionId() != null) {
            return Optional.of(whole.versionId());
        }
        Location at = locate(whole);
        SecretRef ref = ref(whole);
        if (leaseSettings.issuesCertificates(at.mount(), at.path())) {
            return Optional.of(pki.version(whole, at.mount(), at.path(), ref));
        }
        if (leaseSettings.leased(at.mount())) {
            return Optional.of(leases.version(whole, leasedPath(at, whole, ref), ref));
        }
        if (at.kvVersion() == 1) {
            return SecretStore.super.currentVersion(whole);
        }
        return kv2CurrentVersion(client.get(at.urlMount() + "/metadata/" + at.urlPath(), null, ref), ref);
    }

    private static Instant instant(String text) {
        if (text != null && !text.isEmpty()) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /** Revokes the application's leases unless the settings keep them. */
    @Override
    public void close() {
        pki.close();
        leases.close();
    }

    private static SecretRef ref(SecretId id) {
        return SecretRef.secret(NAME, id.toString());
    }

    @Override
    public String toString() {
        return "VaultSecretStore[" + settings.address() + "]";
    }
}
