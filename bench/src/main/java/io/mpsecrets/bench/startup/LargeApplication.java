package io.mpsecrets.bench.startup;

import io.mpsecrets.config.ConfigRegistry;
import io.mpsecrets.runtime.SecretsRuntime;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One application with many secrets, run by {@link LargeApplicationReport} in a fresh JVM: builds a config from a
 * properties file (mp-secrets' settings naming a store that lists {@code n} secrets, or the same values in plain
 * text), reads the first secret, then all of them, and prints one line of figures: the time to the first read and
 * to all reads, the heap retained after a full collection per secret read, and (with mp-secrets) the time a rotation
 * check round over every cached secret takes.
 *
 * <pre>java -cp ... io.mpsecrets.bench.startup.LargeApplication app.properties 10000 secret-</pre>
 */
public final class LargeApplication {

    private LargeApplication() {}

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        int n = Integer.parseInt(args[1]);
        String prefix = args[2];
        long heapBefore = retainedHeap();
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        properties.forEach((k, v) -> values.put((String) k, (String) v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDiscoveredInterceptors()
                .addDiscoveredSources()
                .withSources(new PropertiesConfigSource(values, "app", 100))
                .build();
        long built = System.nanoTime();
        check(config.getValue(prefix + 0, String.class), 0);
        long first = System.nanoTime();
        for (int i = 1; i < n; i++) {
            check(config.getValue(prefix + i, String.class), i);
        }
        long all = System.nanoTime();
        long heapAfter = retainedHeap();
        String rotation = mpSecretsInstalled() ? RotationRound.medianMillis(config) : "-";
        System.out.printf(
                Locale.ROOT,
                "figures build_ms=%.0f first_read_ms=%.0f all_reads_ms=%.0f jvm_uptime_ms=%d retained_bytes=%d"
                        + " per_secret_bytes=%d rotation_round_ms=%s%n",
                (built - start) / 1e6,
                (first - start) / 1e6,
                (all - start) / 1e6,
                ManagementFactory.getRuntimeMXBean().getUptime(),
                heapAfter - heapBefore,
                (heapAfter - heapBefore) / n,
                rotation);
        // The config is kept reachable until the heap was measured.
        if (config.getConfigValue(prefix + 0) == null) {
            throw new IllegalStateException();
        }
    }

    private static boolean mpSecretsInstalled() {
        try {
            Class.forName("io.mpsecrets.config.ConfigRegistry");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Apart, so that the plain application, which has no mp-secrets, never loads it. */
    private static final class RotationRound {

        /** The median of the rotation check rounds (system property {@code rounds}, 3) over every cached secret. */
        static String medianMillis(SmallRyeConfig config) {
            SecretsRuntime runtime = ConfigRegistry.runtimeOf(config).orElseThrow();
            long[] rounds = new long[Integer.getInteger("rounds", 3)];
            for (int round = 0; round < rounds.length; round++) {
                long from = System.nanoTime();
                runtime.stores().checkRotation();
                rounds[round] = System.nanoTime() - from;
            }
            Arrays.sort(rounds);
            return String.format(Locale.ROOT, "%.0f", rounds[rounds.length / 2] / 1e6);
        }
    }

    private static void check(String value, int i) {
        if (!value.startsWith("large-secret-" + i + "-")) {
            throw new IllegalStateException("secret " + i + " did not read as its value");
        }
    }

    /** Heap in use after full collections: what is reachable. */
    private static long retainedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
