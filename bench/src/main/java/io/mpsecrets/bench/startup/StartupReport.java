package io.mpsecrets.bench.startup;

import io.mpsecrets.api.DataKey;
import io.mpsecrets.api.EncryptionContext;
import io.mpsecrets.api.GeneratedDataKey;
import io.mpsecrets.aws.AwsClientSettings;
import io.mpsecrets.aws.kms.AwsKms;
import io.mpsecrets.envelope.EnvelopeEncryptor;
import io.mpsecrets.kms.local.LocalKeyring;
import io.mpsecrets.kms.local.LocalKeyringKms;
import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.files.TempDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Start-up cost as a whole process: a fresh JVM runs {@link StartupApp} (build a SmallRye config, read n values)
 * with plain values and SmallRye alone, then with mp-secrets and {@code ENC} values under the local keyring, under
 * AWS KMS (the testkit's mock, on loopback), and with values from Secrets Manager (the mock; listed secrets fetched
 * at start-up). Each is also held against its floor: the local keyring against {@link StartupFloorApp}, the AWS
 * variants against {@link StartupAwsFloorApp} (the same work done with the AWS SDK by hand). A second floor row does
 * by hand what decrypting and auditing each value costs (one AES-GCM open and one log line per value), so that the
 * part of a goal no library that audits every value can meet shows in the same run. Runs are interleaved round
 * by round; the report gives medians and ratios to the plain app with the same number of values and to the floor.
 * Each application's console (its audit lines) goes to a file, as a container's would.
 *
 * <pre>
 * mvn -B -q -pl bench -am -DskipTests package
 * java -cp bench/target/benchmarks.jar io.mpsecrets.bench.startup.StartupReport bench/target [runs]
 * </pre>
 */
public final class StartupReport {

    /** An application to start; {@code floor}: the variant it is held against (none for the plain one and floors). */
    private record Variant(
            String name,
            int values,
            Path properties,
            List<String> jvmOptions,
            String classpath,
            String main,
            List<String> extraArguments,
            String floor) {
        Variant(String name, int values, Path properties, List<String> jvmOptions, String classpath, String floor) {
            this(name, values, properties, jvmOptions, classpath, StartupApp.class.getName(), List.of(), floor);
        }
    }

    private static final String FLOOR = "floor: plain + JSON key file, JCA AES-GCM, 1 log line";
    private static final String FLOOR_EACH = "floor, and each value opened with JCA and logged by hand";
    private static final String SDK_SECRETS_FLOOR = "AWS SDK floor: BatchGetSecretValue, 1 log line";
    private static final String SDK_KMS_FLOOR = "AWS SDK floor: KMS Decrypt of 1 data key + JCA, 1 log line";

    private StartupReport() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "bench/target").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        ClassPaths paths = ClassPaths.of(target);
        String plainPath = paths.plain();
        String floorPath = paths.floor();
        String corePath = paths.core();
        String awsPath = paths.aws();
        String sdkPath = paths.sdk();

        Path dir = TempDirectory.removedAtExit("mpsecrets-startup");
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
                List<String> secretNames = new ArrayList<>();
                List<String> kmsFloor = new ArrayList<>();
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
                    GeneratedDataKey floorKey = AwsKms.create(
                                    AwsClientSettings.read("", name -> Optional.ofNullable(awsSettings.get(name))))
                            .generateDataKey(keyArn, EncryptionContext.forApplication("default"));
                    kmsFloor.add(Base64.getEncoder().encodeToString(floorKey.wrappedKey()));
                    kmsFloor.add("default");
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
                        secretNames.add(name);
                        kmsFloor.add(sealed(floorKey.dataKey(), bytes));
                    }
                }
                Path secretsFloorFile = Files.write(dir.resolve("sdk-secrets" + n + ".txt"), secretNames);
                Path kmsFloorFile = Files.write(dir.resolve("sdk-kms" + n + ".txt"), kmsFloor);
                Path plainFile = write(dir, "plain" + n, plain);
                variants.add(new Variant("plain values, SmallRye alone", n, plainFile, List.of(), plainPath, null));
                variants.add(new Variant(
                        FLOOR,
                        n,
                        plainFile,
                        List.of(),
                        floorPath,
                        StartupFloorApp.class.getName(),
                        List.of(keyringFile.toString()),
                        null));
                variants.add(new Variant(
                        FLOOR_EACH,
                        n,
                        plainFile,
                        List.of(),
                        floorPath,
                        StartupFloorApp.class.getName(),
                        List.of(keyringFile.toString(), "each"),
                        FLOOR));
                variants.add(new Variant(
                        SDK_SECRETS_FLOOR,
                        n,
                        plainFile,
                        awsOptions,
                        sdkPath,
                        StartupAwsFloorApp.class.getName(),
                        List.of(
                                "secrets",
                                secretsFloorFile.toString(),
                                awsSettings.get("endpoint"),
                                TestProfiles.WORKER1),
                        null));
                variants.add(new Variant(
                        SDK_KMS_FLOOR,
                        n,
                        plainFile,
                        awsOptions,
                        sdkPath,
                        StartupAwsFloorApp.class.getName(),
                        List.of("kms", kmsFloorFile.toString(), awsSettings.get("endpoint"), TestProfiles.WORKER1),
                        null));
                variants.add(new Variant(
                        "ENC values, local keyring", n, write(dir, "local" + n, local), List.of(), corePath, FLOOR));
                variants.add(new Variant(
                        "ENC values, AWS KMS (mock)",
                        n,
                        write(dir, "kms" + n, kms),
                        awsOptions,
                        awsPath,
                        SDK_KMS_FLOOR));
                variants.add(new Variant(
                        "Secrets Manager secrets (mock)",
                        n,
                        write(dir, "store" + n, store),
                        awsOptions,
                        awsPath,
                        SDK_SECRETS_FLOOR));
            }

            if (Boolean.getBoolean("stages")) {
                stages(dir, floorPath, corePath, keyringFile, runs);
                return;
            }
            Map<Variant, List<Long>> times = new LinkedHashMap<>();
            Map<Variant, List<Long>> cpuTimes = new LinkedHashMap<>();
            variants.forEach(v -> times.put(v, new ArrayList<>()));
            variants.forEach(v -> cpuTimes.put(v, new ArrayList<>()));
            for (int round = -2; round < runs; round++) { // two rounds to warm the page cache, not counted
                for (Variant variant : variants) {
                    List<Long> cpu = new ArrayList<>();
                    long millis = run(variant, dir, cpu);
                    if (round >= 0) {
                        times.get(variant).add(millis);
                        cpuTimes.get(variant).addAll(cpu);
                    }
                }
            }
            report("wall-clock time", variants, times, runs);
            report("CPU time (user + system, all threads)", variants, cpuTimes, runs);
        }
    }

    private static void report(String what, List<Variant> variants, Map<Variant, List<Long>> times, int runs) {
        System.out.printf(
                Locale.ROOT,
                "%n%s%n%-62s %7s %10s %9s %9s  %s%n",
                what,
                "application (" + runs + " runs each)",
                "values",
                "median ms",
                "to plain",
                "to floor",
                "floor");
        for (int n : new int[] {1, 50}) {
            Map<String, Double> medians = new LinkedHashMap<>();
            for (Variant variant : variants) {
                if (variant.values() == n) {
                    medians.put(variant.name(), median(times.get(variant)));
                }
            }
            double plain = medians.get("plain values, SmallRye alone");
            for (Variant variant : variants) {
                if (variant.values() != n) {
                    continue;
                }
                double median = medians.get(variant.name());
                System.out.printf(
                        Locale.ROOT,
                        "%-62s %7d %10.0f %8.2fx %9s  %s%n",
                        variant.name(),
                        n,
                        median,
                        median / plain,
                        variant.floor() == null
                                ? ""
                                : String.format(Locale.ROOT, "%.2fx", median / medians.get(variant.floor())),
                        variant.floor() == null ? "" : variant.floor());
            }
        }
    }

    /**
     * {@code -Dstages=true}: {@link StartupStages} with the 50 plain values and SmallRye alone (then also with each
     * value opened and logged by hand), and with the 50 local {@code ENC} values and mp-secrets, interleaved; the
     * median of each stage and the difference to the plain application's.
     */
    private static void stages(Path dir, String floorPath, String corePath, Path keyring, int runs) throws Exception {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("plain values, SmallRye alone", List.of(floorPath, "plain50.properties"));
        variants.put("plain, each value opened and logged", List.of(floorPath, "plain50.properties", "each"));
        variants.put("ENC values, local keyring", List.of(corePath, "local50.properties"));
        Map<String, Map<String, List<Double>>> stages = new LinkedHashMap<>();
        for (int round = -2; round < runs; round++) { // two rounds to warm the page cache, not counted
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                List<String> arguments = new ArrayList<>(
                        List.of(dir.resolve(variant.getValue().get(1)).toString(), "50", keyring.toString()));
                arguments.addAll(
                        variant.getValue().subList(2, variant.getValue().size()));
                Path out = ChildJvm.run(
                        List.of(),
                        variant.getValue().get(0),
                        StartupStages.class.getName(),
                        arguments,
                        dir,
                        "stages of " + variant.getKey());
                if (round >= 0) {
                    ChildJvm.figures(out, "stages")
                            .forEach((stage, ms) -> stages.computeIfAbsent(variant.getKey(), k -> new LinkedHashMap<>())
                                    .computeIfAbsent(stage, k -> new ArrayList<>())
                                    .add(Double.parseDouble(ms)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nstages, 50 values, main thread, medians of %d runs (ms)%n", runs);
        Map<String, Double> plain = new LinkedHashMap<>();
        stages.forEach((name, byStage) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-38s", name));
            byStage.forEach((stage, values) -> {
                double median =
                        median(values.stream().map(v -> Math.round(v * 10)).toList()) / 10;
                line.append(String.format(Locale.ROOT, " %s %.1f", stage, median));
                Double base = plain.putIfAbsent(stage, median);
                if (base != null) {
                    line.append(String.format(Locale.ROOT, " (%+.1f)", median - base));
                }
            });
            System.out.println(line);
        });
    }

    /** {@code base64(nonce || AES-GCM(key, plaintext))}, as the KMS floor decrypts it. */
    private static String sealed(DataKey key, byte[] plaintext) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = new byte[nonce.length + sealed.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
        return Base64.getEncoder().encodeToString(out);
    }

    static Path write(Path dir, String name, Map<String, String> values) throws IOException {
        Properties properties = new Properties();
        properties.putAll(values);
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newOutputStream(file)) {
            properties.store(out, null);
        }
        return file;
    }

    /**
     * The CPU time (user and system, all threads) of the children this JVM has waited for, from /proc/self/stat
     * ({@code cutime} and {@code cstime}, in ticks of 10 ms): on a machine that other work keeps busy, the work a
     * start-up does is steadier than its wall-clock time. Empty where there is no /proc.
     */
    private static long childrenCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command (which may hold spaces) in parentheses: state is field 3, cutime 16, cstime 17.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long run(Variant variant, Path dir, List<Long> cpu) throws IOException, InterruptedException {
        List<String> arguments =
                new ArrayList<>(List.of(variant.properties().toString(), Integer.toString(variant.values())));
        arguments.addAll(variant.extraArguments());
        long cpuBefore = childrenCpuMillis();
        long start = System.nanoTime();
        ChildJvm.run(
                variant.jvmOptions(),
                variant.classpath(),
                variant.main(),
                arguments,
                dir,
                variant.name() + " with " + variant.values() + " values");
        long millis = (System.nanoTime() - start) / 1_000_000;
        cpu.add(childrenCpuMillis() - cpuBefore);
        return millis;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
