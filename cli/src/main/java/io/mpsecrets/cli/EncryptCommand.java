package io.mpsecrets.cli;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.KeyManagementService;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.runtime.MpSecretsSettings;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "encrypt",
        mixinStandardHelpOptions = true,
        description = {
            "Encrypt the plaintext on standard input; print ENC(...) for a config file.",
            "The value decrypts only as --property NAME, unless made --unbound.",
            "Example: printf %%s \"$DB_PASSWORD\" | mpsecrets encrypt --property db.password"
        })
final class EncryptCommand implements Callable<Integer> {

    @ParentCommand
    MpSecretsCommand parent;

    @Mixin
    KmsOptions kms;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Binding binding;

    static final class Binding {
        @Option(
                names = "--property",
                paramLabel = "NAME",
                required = true,
                description = "The config property the value is for; it will not decrypt under another name.")
        String property;

        @Option(
                names = "--unbound",
                required = true,
                description = "Make a value that decrypts under any property name.")
        boolean unbound;
    }

    @Option(
            names = "--app",
            paramLabel = "NAME",
            description = "Application (worker) name bound as encryption context; must match mpsecrets.app (default: "
                    + "${DEFAULT-VALUE}).",
            defaultValue = MpSecretsSettings.DEFAULT_APPLICATION)
    String app;

    @Option(
            names = "--keep-newline",
            description = "Keep a trailing line break of standard input (by default one is dropped).")
    boolean keepNewline;

    @Override
    public Integer call() {
        String property = binding.unbound ? null : binding.property;
        if (property != null && property.isBlank()) {
            throw new MpSecretsCommand.UsageException("--property is empty");
        }
        String keyId = kms.keyIdForNewKeys();
        byte[] plaintext = StandardInput.readSecret(
                parent.io().in(),
                keepNewline,
                "Plaintext" + (property == null ? "" : " for " + property) + " (not echoed): ");
        try (KeyManagementService service = kms.open(parent.io().env());
                EnvelopeEncryptor encryptor =
                        new EnvelopeEncryptor(service, keyId, EncryptionContext.forApplication(app))) {
            parent.io().out().println(encryptor.encrypt(plaintext, property));
            return MpSecretsCommand.OK;
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
