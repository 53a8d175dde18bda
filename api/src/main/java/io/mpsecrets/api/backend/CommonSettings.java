package io.mpsecrets.api.backend;

import java.time.Duration;

/**
 * The settings the core and the backends share, each read here and only here, with its default; and where a
 * backend's own settings start. A backend reads its own through {@link io.mpsecrets.api.spi.BackendContext#prefix()}.
 */
public final class CommonSettings {

    /** How long a replaced value (and a rotated-out bean, an old lease) stays usable after a rotation. */
    public static final String ROTATION_GRACE = "mpsecrets.rotation.grace";

    public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofMinutes(5);

    /** In a backend's {@code settingNames()}: any name under its prefix (it declares none). */
    public static final String ANY = "**";

    private CommonSettings() {}

    /** {@value #ROTATION_GRACE}, default 5 minutes. */
    public static Duration rotationGrace(Settings settings) {
        return settings.duration(ROTATION_GRACE, DEFAULT_ROTATION_GRACE);
    }

    /** Where a store's settings start: {@code mpsecrets.<store>.}. */
    public static String storePrefix(String store) {
        return "mpsecrets." + store + ".";
    }

    /** Where a KMS's settings start: {@code mpsecrets.kms.<kms>.}. */
    public static String kmsPrefix(String kms) {
        return "mpsecrets.kms." + kms + ".";
    }
}
