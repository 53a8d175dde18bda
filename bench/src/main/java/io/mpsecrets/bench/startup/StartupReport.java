package io.mpsecrets.bench.startup;

import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Start-up cost as a whole process: a fresh JVM runs {@link StartupApp} (build a SmallRye config, read n values)
 * with plain values and SmallRye alone, then with mp-secrets and {@code ENC} values under the local keyring, under
 * AWS KMS (the testkit's mock, on loopback), and with values from Secrets Manager (the mock; listed secrets fetched
 * at start-up). Runs are interleaved round by round; the report gives medians and ratios to the plain app with the
 * same number of values. Each application's console (its audit lines) goes to a file, as a container's would.
 *
 * <pre>
 * mvn -B -q -pl bench -am -DskipTests package
 * java -cp bench/target/benchmarks.jar io.mpsecrets.bench.startup.StartupReport bench/target [runs]
 * </pre>
 */
public final class StartupReport {

    private record Variant(
            String name,
            int values,
            Path properties,
            List<String> jvmOptions,
            String classpath,
            String main,
            List<String> extraArguments) {
        Variant(String name, int values, Path properties, List<String> jvmOptions, String classpath) {
            this(name, values, properties, jvmOptions, classpath, StartupApp.class.getName(), List.of());
        }
    }

    private StartupReport() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "bench/target").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> jars = Arrays.asList(
                Files.readString(target.resolve("startup-classpath.txt")).trim().split(java.io.File.pathSeparator));
        String classes = target.resolve("classes").toString();
        Predicate<String> smallrye = jar -> jar.contains("/smallrye-config-core/")
                || jar.contains("/smallrye-config-common/")
                || jar.contains("/microprofile-config-api/")
                || jar.contains("/io/smallrye/common/")
                || jar.contains("/jboss-logging/")
                || jar.contains("/org/ow2/asm/");
        // mp-secrets' own modules are jars in a local repository, or target/classes in a reactor build.
        Predicate<String> core = smallrye.or(jar -> holds(jar, "io/mpsecrets/api/SecretStore.class")
                || holds(jar, "io/mpsecrets/config/SecretMarker.class")
                || jar.contains("/jakarta.json-api/")
                || jar.contains("/parsson/"));
        Predicate<String> aws = core.or(jar -> holds(jar, "io/mpsecrets/aws/AwsClients.class")
                || jar.contains("/software/amazon/")
                || jar.contains("/slf4j-api/")
                || jar.contains("/reactive-streams/"));
        String plainPath = classpath(classes, jars, smallrye);
        String floorPath = classpath(
                classes, jars, smallrye.or(jar -> jar.contains("/jakarta.json-api/") || jar.contains("/parsson/")));
        String corePath = classpath(classes, jars, core);
        String awsPath = classpath(classes, jars, aws);

        Path dir = Files.createTempDirectory("mpsecrets-startup");
        Path profiles = TestProfiles.install();
        try (MockServer mock = MockServer.start()) {
            LocalKeyring keyring = LocalKeyring.generate("startup");
            Path keyringFile = dir.resolve("keyring.json");
            keyring.writeTo(keyringFile, false);
            String keyArn = mock.kms().createKeyWithAlias("alias/startup");
            Map<String, String> awsSettings = Map.of(
                    "region", "us-east-1", "endpoint", mock.endpoint().toString(), "profile", TestProfiles.WORKER1);
            List<String> awsOptions = List.of(
                    "-Daws.sharedCredentialsFile=" + profiles, "-Daws.configFile=" + profiles.resolveSibling("config"));

            List<Variant> variants = new ArrayList<>();
            for (int n : new int[] {1, 50}) {
                Map<String, String> plain = new LinkedHashMap<>();
                Map<String, String> local = new LinkedHashMap<>();
                Map<String, String> kms = new LinkedHashMap<>();
                Map<String, String> store = new LinkedHashMap<>();
                local.put("mpsecrets.kms.local.keyring", keyringFile.toString());
                kms.put("mpsecrets.kms", "aws");
                awsSettings.forEach((k, v) -> kms.put("mpsecrets.kms.aws." + k, v));
                store.put("mpsecrets.sources", "aws");
                awsSettings.forEach((k, v) -> store.put("mpsecrets.aws." + k, v));
                try (EnvelopeEncryptor underKeyring = new EnvelopeEncryptor(
                                LocalKeyringKms.of(keyring), "local", EncryptionContext.forApplication("default"));
                        EnvelopeEncryptor underKms = new EnvelopeEncryptor(
                                AwsKms.create(
                                        AwsClientSettings.read("", name -> Optional.ofNullable(awsSettings.get(name)))),
                                keyArn,
                                EncryptionContext.forApplication("default"))) {
                    for (int i = 0; i < n; i++) {
                        String property = "value." + i;
                        String value = "secret-value-" + i + "-x9Lw2";
                        plain.put(property, value);
                        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                        local.put(property, underKeyring.encrypt(bytes, property));
                        kms.put(property, underKms.encrypt(bytes, property));
                        String name = "startup/" + n + "/" + i;
                        if (!mock.secretsManager().exists(name)) {
                            mock.secretsManager().createSecret(name, value);
                        }
                        store.put("mpsecrets.aws.secrets." + property, name);
                    }
                }
                variants.add(new Variant(
                        "plain values, SmallRye alone", n, write(dir, "plain" + n, plain), List.of(), plainPath));
                variants.add(new Variant(
                        "floor: plain + JSON key file, JCA AES-GCM, 1 log line",
                        n,
                        write(dir, "floor" + n, plain),
                        List.of(),
                        floorPath,
                        StartupFloorApp.class.getName(),
                        List.of(keyringFile.toString())));
                variants.add(new Variant(
                        "ENC values, local keyring", n, write(dir, "local" + n, local), List.of(), corePath));
                variants.add(
                        new Variant("ENC values, AWS KMS (mock)", n, write(dir, "kms" + n, kms), awsOptions, awsPath));
                variants.add(new Variant(
                        "Secrets Manager secrets (mock)", n, write(dir, "store" + n, store), awsOptions, awsPath));
            }

            Map<Variant, List<Long>> times = new LinkedHashMap<>();
            variants.forEach(v -> times.put(v, new ArrayList<>()));
            for (int round = -2; round < runs; round++) { // two rounds to warm the page cache, not counted
                for (Variant variant : variants) {
                    long millis = run(variant, dir);
                    if (round >= 0) {
                        times.get(variant).add(millis);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%-54s %7s %10s %9s %9s%n",
                    "application (" + runs + " runs each)",
                    "values",
                    "median ms",
                    "to plain",
                    "to floor");
            for (int n : new int[] {1, 50}) {
                double plain = 0;
                double floor = 0;
                for (Variant variant : variants) {
                    if (variant.values() != n) {
                        continue;
                    }
                    double median = median(times.get(variant));
                    if (plain == 0) {
                        plain = median;
                    } else if (floor == 0) {
                        floor = median;
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-54s %7d %10.0f %8.2fx %8.2fx%n",
                            variant.name(),
                            n,
                            median,
                            median / plain,
                            median / (floor == 0 ? median : floor));
                }
            }
        }
    }

    /** Whether a class path entry (a jar or a directory) holds {@code resource}. */
    private static boolean holds(String entry, String resource) {
        Path path = Path.of(entry);
        if (Files.isDirectory(path)) {
            return Files.exists(path.resolve(resource));
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
            return jar.getEntry(resource) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String classpath(String classes, List<String> jars, Predicate<String> keep) {
        List<String> kept = new ArrayList<>(List.of(classes));
        jars.stream().filter(keep).forEach(kept::add);
        return String.join(java.io.File.pathSeparator, kept);
    }

    private static Path write(Path dir, String name, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return file;
    }

    private static long run(Variant variant, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(variant.jvmOptions());
        command.addAll(List.of(
                "-cp",
                variant.classpath(),
                variant.main(),
                variant.properties().toString(),
                Integer.toString(variant.values())));
        command.addAll(variant.extraArguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("app.out").toFile())
                .redirectError(dir.resolve("app.err").toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException(variant.name() + " with " + variant.values() + " values exited with " + exit
                    + ": " + Files.readString(dir.resolve("app.err")));
        }
        return millis;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
