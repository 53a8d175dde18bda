package io.mpsecrets.api.backend;

import java.time.Duration;

/**
 * The settings the core and the backends share, each read here and only here, with its default; and where a
 * backend's own settings start. A backend reads its own through {@link io.mpsecrets.api.spi.BackendContext#prefix()}.
 */
public final class CommonSettings {

    /** How long a replaced value (and a rotated-out bean, an old lease) stays usable after a rotation. */
    public static final String ROTATION_GRACE = "mpsecrets.rotation.grace";

    /** {@value #ROTATION_GRACE} when it is not set: 5 minutes. */
    public static final Duration DEFAULT_ROTATION_GRACE = Duration.ofMinutes(5);

    /** In a backend's {@code settingNames()}: any name under its prefix (it declares none). */
    public static final String ANY = "**";

    private CommonSettings() {}

    /**
     * How long a replaced value stays usable after a rotation: {@value #ROTATION_GRACE}, 5 minutes unless set.
     *
     * @param settings the application's settings
     * @return a positive duration
     * @throws io.mpsecrets.api.exception.ConfigurationException when it is set to anything but a positive duration
     */
    public static Duration rotationGrace(Settings settings) {
        return settings.duration(ROTATION_GRACE, DEFAULT_ROTATION_GRACE);
    }

    /**
     * Where a store's settings start: {@code mpsecrets.<store>.}.
     *
     * @param store the store's name, e.g. {@code vault}
     * @return the prefix, ending in a dot, e.g. {@code mpsecrets.vault.}
     */
    public static String storePrefix(String store) {
        return "mpsecrets." + store + ".";
    }

    /**
     * Where a KMS's settings start: {@code mpsecrets.kms.<kms>.}.
     *
     * @param kms the KMS's name, e.g. {@code aws}
     * @return the prefix, ending in a dot, e.g. {@code mpsecrets.kms.aws.}
     */
    public static String kmsPrefix(String kms) {
        return "mpsecrets.kms." + kms + ".";
    }
}
