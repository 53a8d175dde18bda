package io.mpsecrets.cli;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.SecretRef;
import io.mpsecrets.backend.KmsRegistry;
import io.mpsecrets.envelope.DataKeyCache;
import io.mpsecrets.envelope.EncryptedValue;
import io.mpsecrets.envelope.EnvelopeDecryptor;
import io.mpsecrets.runtime.MpSecretsSettings;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "decrypt",
        mixinStandardHelpOptions = true,
        description = {
            "Check the ENC(...) value on standard input: does it decrypt as --property NAME?",
            "The value's key id names its KMS (local, aws, vault-transit); --kms is not needed.",
            "Prints the plaintext only with --reveal."
        })
final class DecryptCommand implements Callable<Integer> {

    @ParentCommand
    MpSecretsCommand parent;

    @Mixin
    KmsOptions kms;

    @Option(
            names = "--property",
            paramLabel = "NAME",
            required = true,
            description = "The property the value is read as.")
    String property;

    @Option(
            names = "--app",
            paramLabel = "NAME",
            description = "Application (worker) name, as mpsecrets.app (default: ${DEFAULT-VALUE}).",
            defaultValue = MpSecretsSettings.DEFAULT_APPLICATION)
    String app;

    @Option(names = "--reveal", description = "Print the plaintext on standard output.")
    boolean reveal;

    @Override
    public Integer call() {
        EncryptedValue value =
                EncryptedValue.parse(StandardInput.readValue(parent.io().in()), SecretRef.property(property));
        // The value names its key, and its key its KMS: every KMS in the jar may read it (opened only if the value's
        // key id is its), so a value made under vault-transit decrypts without --kms.
        try (KmsRegistry readers = kms.readers(parent.io().env());
                DataKeyCache cache = new DataKeyCache(1)) {
            EnvelopeDecryptor decryptor = new EnvelopeDecryptor(readers, cache, EncryptionContext.forApplication(app));
            byte[] plaintext = decryptor.decrypt(property, value);
            try {
                if (reveal) {
                    parent.io().out().write(plaintext, 0, plaintext.length);
                    parent.io().out().println();
                } else {
                    parent.io()
                            .out()
                            .println("ok: decrypts as " + property + " under key " + value.keyId()
                                    + (value.bound() ? " (bound to the property)" : " (unbound)")
                                    + "; use --reveal to print it");
                }
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
        return MpSecretsCommand.OK;
    }
}
