package io.mpsecrets.runtime;

import io.mpsecrets.api.backend.CommonSettings;
import io.mpsecrets.api.backend.Settings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * mp-secrets' own settings, all under {@code mpsecrets.}, read from the application's config sources (any of
 * them: properties file, environment as {@code MPSECRETS_APP}, system properties). docs/configuration.md lists
 * them. A backend's own settings ({@code mpsecrets.kms.<kms>.*}, {@code mpsecrets.<store>.*}) are read by the
 * backend when it is first used.
 *
 * @param application the worker's application name, sent to the KMS as encryption context {@code mpsecrets:app}
 * @param kms the key management services values may use, by name; a value whose key id belongs to another is refused
 * @param cachePlaintext whether decrypted values are kept (until shutdown) instead of decrypted on each read
 * @param dataKeyCacheSize how many unwrapped data keys are kept
 * @param rotationInterval how often store secrets are checked for a new version; empty: not watched (they still
 *        refresh at their TTL)
 * @param auditEveryAccess whether every read, cache hits included, is an audit event (otherwise hits are counted)
 * @param auditRequired whether an access is refused when no audit sink records its event (fail closed)
 * @param rotationGrace how long a replaced value, a rotated-out {@code @RotationScoped} instance or an old lease
 *     stays usable ({@link CommonSettings#rotationGrace})
 * @param maskLogs whether values served are masked in java.util.logging output ({@code mpsecrets.mask.logs})
 * @param maskMinLength values shorter than this are not masked: they would mask ordinary words
 */
public record MpSecretsSettings(
        String application,
        Set<String> kms,
        boolean cachePlaintext,
        int dataKeyCacheSize,
        Optional<Duration> rotationInterval,
        boolean auditEveryAccess,
        boolean auditRequired,
        Duration rotationGrace,
        boolean maskLogs,
        int maskMinLength) {

    public static final String PREFIX = "mpsecrets.";
    public static final String APP = "mpsecrets.app";
    public static final String KMS = "mpsecrets.kms";
    public static final String DEFAULT_APPLICATION = "default";
    public static final String DEFAULT_KMS = "local";
    public static final String MASK_LOGS = "mpsecrets.mask.logs";
    public static final String MASK_MIN_LENGTH = "mpsecrets.mask.min-length";

    /** Reads settings through {@code lookup} (name to raw value, empty when unset). */
    public static MpSecretsSettings read(Function<String, Optional<String>> lookup) {
        Settings settings = new Settings(lookup);
        Set<String> kms = new LinkedHashSet<>(settings.list(KMS));
        if (kms.isEmpty()) {
            kms.add(DEFAULT_KMS);
        }
        return new MpSecretsSettings(
                settings.string(APP).orElse(DEFAULT_APPLICATION),
                Set.copyOf(kms),
                settings.bool("mpsecrets.cache.plaintext", true),
                settings.positiveInt("mpsecrets.cache.data-keys", 1000),
                settings.duration("mpsecrets.rotation.interval"),
                settings.bool("mpsecrets.audit.every-access", false),
                settings.bool("mpsecrets.audit.required", false),
                CommonSettings.rotationGrace(settings),
                settings.bool(MASK_LOGS, true),
                settings.positiveInt(MASK_MIN_LENGTH, 6));
    }
}
