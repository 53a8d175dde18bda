package io.mpsecrets.cli;

import io.mpsecrets.kms.local.LocalKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
            "Create a local keyring (owner-only file), or add a new key version to it with --rotate.",
            "New values use the newest version; old versions stay so existing values keep decrypting."
        })
final class KeygenCommand implements Callable<Integer> {

    @ParentCommand
    MpSecretsCommand parent;

    @Mixin
    KeyringOption keyring;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Keyring name, part of every key id (default: ${DEFAULT-VALUE}).",
            defaultValue = LocalKeyring.DEFAULT_NAME)
    String name;

    @Option(names = "--rotate", description = "Add a new primary key version to an existing keyring.")
    boolean rotate;

    @Override
    public Integer call() {
        Path file = keyring.resolve(parent.io().env());
        LocalKeyring result;
        if (rotate) {
            if (!Files.exists(file)) {
                throw new MpSecretsCommand.UsageException(
                        "no keyring at " + file + " to rotate; create one without --rotate");
            }
            // Read again under the writers' lock: a concurrent rotation's version is kept, never overwritten.
            result = LocalKeyring.rotate(file, LocalKeyring.LOCK_WAIT);
        } else {
            result = LocalKeyring.create(file, name, LocalKeyring.LOCK_WAIT);
        }
        int version = result.primary().version();
        parent.io().out().println(result.keyId(version));
        parent.io()
                .err()
                .println("mpsecrets: keyring " + file + ": " + (rotate ? "added" : "created") + " key "
                        + result.keyId(version) + "; versions " + result.keys().keySet());
        result.close();
        return MpSecretsCommand.OK;
    }
}
