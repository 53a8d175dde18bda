package io.mpsecrets.cli;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.cli.scan.ScanFinding;
import io.mpsecrets.cli.scan.ScanRun;
import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.config.SecretInventory;
import io.mpsecrets.runtime.SecretsRuntime;
import io.smallrye.config.SmallRyeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Find plaintext secrets in configuration files (properties, YAML and Kubernetes manifests, .env,"
                    + " server.xml, standalone.xml, persistence.xml), private keys and AWS keys in any text, and,"
                    + " with --config, the application's own secret values in logs or any text.",
            "One line per finding (file, line, rule, key or property), never a value."
                    + " Exit 0: clean; 1: findings; 2: usage error or a secret that could not be read."
        })
final class ScanCommand implements Callable<Integer> {

    @ParentCommand
    MpSecretsCommand parent;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
    List<Path> paths;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The application's properties file: its secret values (ENC(...) decrypted, store"
                    + " references fetched) are looked for, as fingerprints, in every file scanned.")
    Path config;

    @Option(
            names = "--keyring",
            paramLabel = "FILE",
            description = "Local keyring for the --config file's ENC(...) values.")
    Path keyring;

    @Option(
            names = "--git",
            description = "Also scan every version of every file in the history of each PATH that is a git repository.")
    boolean git;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text (default) or sarif (SARIF 2.1.0, for CI systems).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the findings to FILE, not to stdout.")
    Path output;

    @Option(
            names = "--min-length",
            paramLabel = "N",
            defaultValue = "6",
            description = "Values shorter than N are not looked for (default 6).")
    int minLength;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("sarif")) {
            throw new MpSecretsCommand.UsageException("--format is text or sarif, not " + LogSafe.token(format));
        }
        if (minLength < 1) {
            throw new MpSecretsCommand.UsageException("--min-length must be at least 1");
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new MpSecretsCommand.UsageException("no such file or directory: " + path);
            }
        }
        Map<String, String> values = config == null ? Map.of() : secretValues();
        ScanRun run = ScanRun.start(values, config != null, minLength);
        for (Path path : paths) {
            run.scanTree(path);
            if (git) {
                run.scanHistory(path);
            }
        }
        List<ScanFinding> findings = run.findings();
        String report = format.equals("sarif")
                ? run.sarif(version())
                : findings.stream().map(f -> f + System.lineSeparator()).collect(Collectors.joining());
        if (output != null) {
            Files.writeString(output, report, StandardCharsets.UTF_8);
        } else {
            parent.io().out().print(report);
        }
        parent.io()
                .err()
                .println("mpsecrets: scan: " + run.summary()
                        + (values.isEmpty() ? "" : ", " + values.size() + " secret value(s) looked for") + ": "
                        + (findings.isEmpty() ? "no findings" : findings.size() + " finding(s)"));
        return findings.isEmpty() ? MpSecretsCommand.OK : MpSecretsCommand.FAILED;
    }

    private static String version() {
        return io.mpsecrets.runtime.MpSecretsVersion.current().version();
    }

    /** The application's secret properties and their values, read as the application would read them. */
    private Map<String, String> secretValues() throws IOException {
        SmallRyeConfig smallRye = ApplicationConfig.build(config, keyring);
        SecretsRuntime runtime = ConfigRegistry.runtimeOf(smallRye).orElseThrow();
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (SecretInventory.Entry entry : SecretInventory.of(smallRye)) {
                try {
                    smallRye.getOptionalValue(entry.property(), String.class)
                            .ifPresent(value -> values.put(entry.property(), value));
                } catch (SecretException e) {
                    // The message names the property, backend and reason, never a value.
                    throw new MpSecretsCommand.UsageException(
                            "cannot look for " + LogSafe.token(entry.property()) + ": " + e.getMessage());
                }
            }
            return values;
        } finally {
            runtime.close();
        }
    }
}
