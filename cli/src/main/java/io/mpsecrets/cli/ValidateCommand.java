package io.mpsecrets.cli;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.backend.Settings;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.mpsecrets.validate.Finding;
import io.mpsecrets.validate.SecretValidator;
import io.mpsecrets.validate.ValidationSettings;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check a config file's secrets: required ones present, stored as ENC(...) or store references,",
            "long and varied enough, no placeholders, rotated in time"
                    + " (mpsecrets.validate.*, mpsecrets.secret-class.*).",
            "One line per finding, never a value. Exit 0: clean; 1: findings; 2: usage error."
        })
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    MpSecretsCommand parent;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            required = true,
            description = "The application's properties file.")
    Path config;

    @Option(
            names = "--keyring",
            paramLabel = "FILE",
            description = "Local keyring for its ENC(...) values (default: the file's mpsecrets.kms.local.keyring).")
    Path keyring;

    @Override
    public Integer call() throws IOException {
        SmallRyeConfig smallRye = ApplicationConfig.build(config, keyring);
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(smallRye).orElseThrow();
        try {
            ValidationSettings settings = ValidationSettings.read(
                    new Settings(name -> smallRye.getOptionalValue(name, String.class)), smallRye.getPropertyNames());
            List<Finding> findings = new SecretValidator(smallRye, runtime, settings, Clock.systemUTC()).validate();
            findings.forEach(parent.io().out()::println);
            parent.io()
                    .err()
                    .println("mpsecrets: validate: " + LogSafe.escape(config.toString()) + ": "
                            + (findings.isEmpty() ? "no findings" : findings.size() + " finding(s)"));
            return findings.isEmpty() ? MpSecretsCommand.OK : MpSecretsCommand.FAILED;
        } finally {
            runtime.close();
        }
    }
}
