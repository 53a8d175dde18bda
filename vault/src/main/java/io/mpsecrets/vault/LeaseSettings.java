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
 */
public record LeaseSettings(Set<String> mounts, Duration grace, boolean revokeOnShutdown) {

    public static final LeaseSettings DEFAULT = new LeaseSettings(Set.of("database"), Duration.ofMinutes(5), true);

    public LeaseSettings {
        mounts = Set.copyOf(mounts);
    }

    public static LeaseSettings read(Settings settings) {
        List<String> mounts = settings.list(VaultSettings.PREFIX + "leased-mounts");
        return new LeaseSettings(
                mounts.isEmpty() ? DEFAULT.mounts() : Set.copyOf(mounts),
                CommonSettings.rotationGrace(settings),
                settings.bool(VaultSettings.PREFIX + "revoke-leases-on-shutdown", true));
    }

    public boolean leased(String mount) {
        return mounts.contains(mount);
    }
}
