package io.mpsecrets.api.backend;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A version id for stores without versions (files, environment): changes when the content changes. It is an
 * HMAC under a key made fresh for each process, not a plain hash, so a version id in an audit line is no
 * fingerprint that could be checked against guesses of a weak secret.
 */
public final class ContentVersion {

    private static final SecretKeySpec KEY;

    static {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KEY = new SecretKeySpec(key, "HmacSHA256");
    }

    private ContentVersion() {}

    /**
     * The version id of {@code content}: {@code h-} and 16 hex digits of its HMAC-SHA256. The same content gives the
     * same id as long as this class stays loaded, so a change shows as a new version; ids from another process (or
     * another load of this class) do not compare, since each makes its own key.
     *
     * @param content the secret's bytes; not kept
     * @return the version id, e.g. {@code h-3f2a9c0d81b7e645}
     * @throws IllegalStateException only on a JVM without HmacSHA256, which every Java SE platform must have
     */
    public static String of(byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            byte[] digest = mac.doFinal(content);
            return "h-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
