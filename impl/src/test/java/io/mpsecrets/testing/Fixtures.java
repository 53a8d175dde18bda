package io.mpsecrets.testing;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.leak.LeakGuard;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Shared test fixtures: the committed test keyring and helpers to make values. */
public final class Fixtures {

    /** A plaintext that the leak guard watches for. */
    public static final String SECRET = "s3cr3t-" + LeakGuard.CANARY;

    private Fixtures() {}

    /** src/test/resources/keyrings/test-keyring.json: keyring "test", versions 1 and 2 (primary). Test-only. */
    public static Path testKeyring() {
        try {
            return Path.of(
                    Fixtures.class.getResource("/keyrings/test-keyring.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypts under a keyring held in memory, for the default application context. */
    public static String encrypt(LocalKeyring keyring, String plaintext, String property) {
        try (EnvelopeEncryptor encryptor = new EnvelopeEncryptor(
                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("default"))) {
            return encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), property);
        }
    }

    public static String encrypt(Path keyring, String plaintext, String property) {
        return encrypt(LocalKeyring.load(keyring), plaintext, property);
    }
}
