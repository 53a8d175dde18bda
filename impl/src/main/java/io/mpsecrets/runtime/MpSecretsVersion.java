package io.mpsecrets.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Which mp-secrets this is: the version and the commit the build wrote into {@code version.properties}, for the one
 * start-up line that says what runs and with which backends, and for {@code mpsecrets --version}.
 *
 * @param version the release, e.g. {@code 0.1.0}
 * @param commit the commit it was built from (12 hex digits), or {@code unknown} outside a git checkout
 */
public record MpSecretsVersion(String version, String commit) {

    private static final Logger LOG = Logger.getLogger("io.mpsecrets");
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    /** This jar's version. */
    public static MpSecretsVersion current() {
        Properties properties = new Properties();
        try (InputStream in = MpSecretsVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // described as unknown below
        }
        return new MpSecretsVersion(
                properties.getProperty("version", "unknown"), properties.getProperty("commit", "unknown"));
    }

    /**
     * Logs, once per loaded copy of mp-secrets, at INFO, which version runs and which backends it found (names only).
     */
    static void announce(io.mpsecrets.backend.Backends backends) {
        if (ANNOUNCED.compareAndSet(false, true)) {
            LOG.info(line(backends));
        }
    }

    static String line(io.mpsecrets.backend.Backends backends) {
        return "mp-secrets " + current() + ": stores " + String.join(", ", backends.storeNames()) + "; KMSs "
                + String.join(", ", backends.kmsNames());
    }

    @Override
    public String toString() {
        return version + " (commit " + commit + ")";
    }
}
