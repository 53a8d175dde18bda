package io.mpsecrets.bench.startup;

import io.mpsecrets.testkit.MockServer;
import io.mpsecrets.testkit.aws.TestProfiles;
import io.mpsecrets.testkit.files.TempDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * At what scale one instance stops being comfortable: {@link LargeApplication} with {@code n} secrets (10,000 by
 * default) listed from one store, in a fresh JVM each run: mounted files ({@code mpsecrets.file.dir}), Parameter
 * Store (a path listed through the testkit's mock, on loopback), and, as the baseline, the same values in plain text.
 * Prints the median of each figure over the runs.
 *
 * <pre>
 * mvn -B -q -pl bench -am -DskipTests package
 * java [-Drounds=3] -cp bench/target/benchmarks.jar io.mpsecrets.bench.startup.LargeApplicationReport \
 *     bench/target [n] [runs] [plain,files,ssm]
 * </pre>
 */
public final class LargeApplicationReport {

    private LargeApplicationReport() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "bench/target").toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of("plain", "files", "ssm");
        ClassPaths paths = ClassPaths.of(target);
        Path dir = TempDirectory.removedAtExit("mpsecrets-large");
        Path files = Files.createDirectories(dir.resolve("secrets"));
        Path profiles = TestProfiles.install();
        SecureRandom random = new SecureRandom();
        try (MockServer mock = MockServer.start()) {
            Map<String, String> plain = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[18];
                random.nextBytes(bytes);
                String value =
                        "large-secret-" + i + "-" + Base64.getUrlEncoder().encodeToString(bytes);
                plain.put("secret-" + i, value);
                Files.writeString(files.resolve("secret-" + i), value);
                mock.ssm().putParameter("/large/secret-" + i, value, true);
            }
            Map<String, String> fileSettings = Map.of(
                    "mpsecrets.sources",
                    "file",
                    "mpsecrets.file.dir",
                    files.toString(),
                    "mpsecrets.rotation.interval",
                    "PT1H");
            Map<String, String> ssmSettings = new TreeMap<>(Map.of(
                    "mpsecrets.sources", "ssm",
                    "mpsecrets.ssm.path", "/large",
                    "mpsecrets.ssm.region", "us-east-1",
                    "mpsecrets.ssm.endpoint", mock.endpoint().toString(),
                    "mpsecrets.ssm.profile", TestProfiles.WORKER1,
                    "mpsecrets.ssm.max-parameters", Integer.toString(Math.max(10_000, n)),
                    "mpsecrets.rotation.interval", "PT1H",
                    // The default (10 s) is too short for a listing this long: the figures say how long it takes.
                    "mpsecrets.ssm.startup-timeout", "PT10M"));
            List<String> awsOptions = List.of(
                    "-Daws.sharedCredentialsFile=" + profiles, "-Daws.configFile=" + profiles.resolveSibling("config"));
            record Variant(String key, String name, Path properties, String classpath, List<String> options) {}
            List<Variant> every = List.of(
                    new Variant(
                            "plain",
                            "plain values, SmallRye alone",
                            StartupReport.write(dir, "plain", plain),
                            paths.plain(),
                            List.of()),
                    new Variant(
                            "files",
                            "mounted files (mpsecrets.file.dir)",
                            StartupReport.write(dir, "files", fileSettings),
                            paths.core(),
                            List.of()),
                    new Variant(
                            "ssm",
                            "Parameter Store path (mock, loopback)",
                            StartupReport.write(dir, "ssm", ssmSettings),
                            paths.aws(),
                            awsOptions));
            List<Variant> variants =
                    every.stream().filter(v -> only.contains(v.key())).toList();
            Map<String, List<Map<String, String>>> figures = new LinkedHashMap<>();
            for (int round = 0; round < runs; round++) {
                for (Variant variant : variants) {
                    figures.computeIfAbsent(variant.name(), k -> new ArrayList<>())
                            .add(run(variant.properties(), n, variant.classpath(), variant.options(), dir));
                }
            }
            System.out.printf(Locale.ROOT, "%n%d secrets, median of %d runs each%n", n, runs);
            figures.forEach((name, all) -> {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", name));
                for (String key : all.get(0).keySet()) {
                    List<String> values = all.stream()
                            .map(m -> m.get(key))
                            .sorted(LargeApplicationReport::byNumber)
                            .toList();
                    line.append(' ').append(key).append('=').append(values.get(values.size() / 2));
                }
                System.out.println(line);
            });
        }
    }

    private static int byNumber(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static Map<String, String> run(Path properties, int n, String classpath, List<String> options, Path dir)
            throws IOException, InterruptedException {
        List<String> jvmOptions = new ArrayList<>(options);
        // Rotation check rounds to time (-Drounds=1 for a store whose round is slow).
        jvmOptions.add("-Drounds=" + Integer.getInteger("rounds", 3));
        Path out = ChildJvm.run(
                jvmOptions,
                classpath,
                LargeApplication.class.getName(),
                List.of(properties.toString(), Integer.toString(n), "secret-"),
                dir,
                properties.toString());
        return ChildJvm.figures(out, "figures");
    }
}
