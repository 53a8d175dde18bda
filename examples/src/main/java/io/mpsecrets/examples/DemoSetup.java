package io.mpsecrets.examples;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a developer does once, by hand or with the CLI, before running the example on the embedded default: make a
 * local keyring ({@code mpsecrets keygen}), encrypt the token signing key into the application's config
 * ({@code mpsecrets encrypt --property tokens.signing-key --app orders-demo}), and mount a partner API key as a
 * file, as Kubernetes would. The secrets are random and never printed.
 *
 * <p>Arguments: the demo directory (keyring, mounted secrets) and the config file to write.
 */
public final class DemoSetup {

    static final String APP = "orders-demo";

    private DemoSetup() {}

    public static void main(String[] args) throws IOException {
        Path demo = Path.of(args[0]).toAbsolutePath();
        Path configFile = Path.of(args[1]);
        Path keyringFile = demo.resolve("keyring.json");
        if (!Files.exists(keyringFile)) {
            LocalKeyring.generate("demo").writeTo(keyringFile, false);
        }
        Path secrets = Files.createDirectories(demo.resolve("secrets"));
        Path partnerKey = secrets.resolve("partner.api-key");
        if (!Files.exists(partnerKey)) {
            byte[] key = random(24);
            try {
                Files.write(partnerKey, key);
                Files.setPosixFilePermissions(partnerKey, PosixFilePermissions.fromString("rw-------"));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        byte[] signingKey = random(32);
        String encrypted;
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyringFile);
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(kms, "local", EncryptionContext.forApplication(APP))) {
            encrypted = encryptor.encrypt(signingKey, "tokens.signing-key");
        } finally {
            Arrays.fill(signingKey, (byte) 0);
        }
        Files.createDirectories(configFile.getParent());
        Files.writeString(
                configFile,
                String.join(
                        "\n",
                        "# Written by DemoSetup for the embedded default: a local keyring, no cloud account.",
                        "mpsecrets.app=" + APP,
                        "mpsecrets.kms=local",
                        "mpsecrets.kms.local.keyring=" + keyringFile,
                        "# The HMAC key that signs API tokens, encrypted for this property and application.",
                        "tokens.signing-key=" + encrypted,
                        "tokens.ttl=PT15M",
                        "# Mounted secret files (Kubernetes, Docker) as config properties: partner.api-key.",
                        "mpsecrets.sources=file",
                        "mpsecrets.file.dir=" + secrets,
                        "mpsecrets.rotation.interval=PT30S",
                        ""),
                StandardCharsets.UTF_8);
        System.out.println("demo: keyring " + keyringFile + "; tokens.signing-key encrypted into " + configFile
                + "; partner.api-key mounted in " + secrets);
    }

    /** Random printable bytes (base64url), as a generated key or password would be. */
    private static byte[] random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        try {
            return Base64.getUrlEncoder().withoutPadding().encode(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
