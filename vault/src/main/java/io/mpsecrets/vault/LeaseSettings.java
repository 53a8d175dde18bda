package io.mpsecrets.vault;

import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.backend.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the Vault store keeps leased (dynamic) secrets.
 *
 * @param mounts mounts whose reads issue leased secrets, read as they are ({@code GET /v1/<mount>/<path>}) rather
 *     than as KV: {@code mpsecrets.vault.leased-mounts}, default {@code database}
 * @param grace how long a replaced lease lives on for connections still using it before it is revoked:
 *     {@code mpsecrets.rotation.grace}, default 5 minutes
 * @param revokeOnShutdown whether the application's leases are revoked when it stops:
 *     {@code mpsecrets.vault.revoke-leases-on-shutdown}, default true (Vault would otherwise keep the credentials
 *     valid until their TTL runs out)
 * @param pkiMounts mounts of the PKI engine, whose {@code <mount>/issue/<role>} issues a certificate and its key
 *     ({@link VaultPki}): {@code mpsecrets.vault.pki-mounts}, default {@code pki}
 * @param revokeReplacedCertificates whether a certificate replaced by a new one is revoked after the grace period:
 *     {@code mpsecrets.vault.pki-revoke-replaced}, default false (short-lived certificates expire soon anyway, and
 *     each revocation grows Vault's CRL)
 */
public record LeaseSettings(
        Set<String> mounts,
        Duration grace,
        boolean revokeOnShutdown,
        Set<String> pkiMounts,
        boolean revokeReplacedCertificates) {

    public static final LeaseSettings DEFAULT = new LeaseSettings(Set.of("database"), Duration.ofMinutes(5), true);

    public LeaseSettings {
        mounts = Set.copyOf(mounts);
        pkiMounts = Set.copyOf(pkiMounts);
    }

    /** Leases kept as given, the PKI engine at {@code pki}, replaced certificates left to expire. */
    public LeaseSettings(Set<String> mounts, Duration grace, boolean revokeOnShutdown) {
        this(mounts, grace, revokeOnShutdown, Set.of("pki"), false);
    }

    public static LeaseSettings read(Settings settings) {
        List<String> mounts = settings.list(VaultSettings.PREFIX + "leased-mounts");
        List<String> pki = settings.list(VaultSettings.PREFIX + "pki-mounts");
        return new LeaseSettings(
                mounts.isEmpty() ? DEFAULT.mounts() : Set.copyOf(mounts),
                CommonSettings.rotationGrace(settings),
                settings.bool(VaultSettings.PREFIX + "revoke-leases-on-shutdown", true),
                pki.isEmpty() ? DEFAULT.pkiMounts() : Set.copyOf(pki),
                settings.bool(VaultSettings.PREFIX + "pki-revoke-replaced", false));
    }

    /** Whether {@code path} under {@code mount} issues a certificate: {@code <pki mount>/issue/<role>}. */
    public boolean issuesCertificates(String mount, String path) {
        return pkiMounts.contains(mount) && path.startsWith("issue/") && path.length() > "issue/".length();
    }

    public boolean leased(String mount) {
        return mounts.contains(mount);
    }
}
