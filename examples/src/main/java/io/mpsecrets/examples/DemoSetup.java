package io.mpsecrets.examples;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a developer does once, by hand or with the CLI ({@code mpsecrets keygen}, {@code mpsecrets encrypt}): make
 * a local keyring and put an encrypted value in the application's config. The demo password is random and never
 * printed.
 */
public final class DemoSetup {

    private DemoSetup() {
    }

    public static void main(String[] args) throws IOException {
        Path keyringFile = Path.of(args[0]);
        Path configFile = Path.of(args[1]);
        if (!Files.exists(keyringFile)) {
            LocalKeyring.generate("demo").writeTo(keyringFile, false);
        }
        byte[] password = new byte[18];
        new SecureRandom().nextBytes(password);
        byte[] plaintext = Base64.getUrlEncoder().withoutPadding().encode(password);
        String encrypted;
        try (LocalKeyringKms kms = LocalKeyringKms.open(keyringFile);
                EnvelopeEncryptor encryptor = new EnvelopeEncryptor(kms, "local", EncryptionContext.forApplication("hello"))) {
            encrypted = encryptor.encrypt(plaintext, "demo.db.password");
        } finally {
            Arrays.fill(password, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
        }
        Files.createDirectories(configFile.getParent());
        Files.writeString(configFile, String.join("\n",
                "# Written by DemoSetup: the same as 'mpsecrets encrypt --property demo.db.password --app hello'.",
                "mpsecrets.app=hello",
                "mpsecrets.kms.local.keyring=" + keyringFile.toAbsolutePath(),
                "demo.db.password=" + encrypted,
                "demo.db.user=orders",
                ""), StandardCharsets.UTF_8);
        System.out.println("demo: keyring " + keyringFile + ", encrypted demo.db.password into " + configFile);
    }
}
