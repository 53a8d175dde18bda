package io.mpsecrets.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and reports each measured case as a ratio to its baseline from the same run, against its
 * target. Exit status 1 when a target is missed. Accepts the usual JMH options (e.g. {@code -f 2 -i 10}).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.mpsecrets.bench.RatioReport</pre>
 */
public final class RatioReport {

    /** A measured case, the baseline it is compared with, and the highest acceptable ratio (0: report only). */
    record Target(String benchmark, String baseline, double maxRatio) {}

    static final List<Target> TARGETS = List.of(
            new Target("LookupBenchmark.cachedEncLookup", "LookupBenchmark.plainLookup", 1.0),
            new Target("LookupBenchmark.plainLookupWithMpSecrets", "LookupBenchmark.plainLookup", 0),
            new Target("LookupBenchmark.uncachedEncLookup", "LookupBenchmark.plainLookup", 0),
            new Target("LookupBenchmark.cachedEncLookupEveryAccess", "LookupBenchmark.cachedEncLookup", 0),
            new Target("DecryptBenchmark.warmDecrypt", "DecryptBenchmark.rawJcaDecryptReusedCipher", 2.0),
            new Target("DecryptBenchmark.warmDecrypt", "DecryptBenchmark.rawJcaDecrypt", 0),
            new Target("DecryptBenchmark.warmDecryptFromText", "DecryptBenchmark.rawJcaDecryptReusedCipher", 0),
            new Target("DecryptBenchmark.firstDecrypt", "DecryptBenchmark.rawJcaDecryptReusedCipher", 0),
            // The anchors: SmallRye's own AES-GCM handler and jasypt's default, in the same run.
            new Target("AnchorBenchmark.smallryeLookup", "LookupBenchmark.plainLookup", 0),
            new Target("LookupBenchmark.cachedEncLookup", "AnchorBenchmark.smallryeLookup", 0),
            new Target("LookupBenchmark.uncachedEncLookup", "AnchorBenchmark.smallryeLookup", 0),
            new Target("DecryptBenchmark.firstDecrypt", "AnchorBenchmark.jasyptDecrypt", 0),
            // The log mask on a record that holds no secret, and on one that holds one (docs/masking.md).
            new Target("MaskBenchmark.maskedAndFormatted[secrets=10]", "MaskBenchmark.formatted[secrets=10]", 0),
            new Target("MaskBenchmark.maskedAndFormatted[secrets=100]", "MaskBenchmark.formatted[secrets=100]", 1.2),
            new Target("MaskBenchmark.maskedAndFormatted[secrets=1000]", "MaskBenchmark.formatted[secrets=1000]", 0),
            new Target("MaskBenchmark.maskedOnly[secrets=100]", "MaskBenchmark.recordOnly[secrets=100]", 0),
            new Target("MaskBenchmark.maskedOnly[secrets=1000]", "MaskBenchmark.recordOnly[secrets=1000]", 0),
            new Target(
                    "MaskBenchmark.maskedAndFormattedWithASecret[secrets=100]",
                    "MaskBenchmark.formatted[secrets=100]",
                    0),
            // A new physical connection through mpsecrets-jdbc against the plain driver (docs/jdbc.md).
            new Target("JdbcLoginBenchmark.mpsecretsDriverLogin", "JdbcLoginBenchmark.plainDriverLogin", 0),
            new Target("JdbcLoginBenchmark.mpsecretsDataSourceLogin", "JdbcLoginBenchmark.plainDriverLogin", 0));

    private RatioReport() {}

    public static void main(String[] args)
            throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include("io\\.mpsecrets\\.bench\\..*Benchmark");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> scores = new HashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark().replaceFirst("^io\\.mpsecrets\\.bench\\.", "");
            // A parameterised benchmark's cases are told apart by their parameters: Name.method[secrets=100].
            List<String> keys = new ArrayList<>(result.getParams().getParamsKeys());
            if (!keys.isEmpty()) {
                StringBuilder params = new StringBuilder();
                for (String key : keys) {
                    params.append(params.length() == 0 ? "" : ",")
                            .append(key)
                            .append('=')
                            .append(result.getParams().getParam(key));
                }
                label += "[" + params + "]";
            }
            scores.put(label, result.getPrimaryResult().getScore());
        }
        boolean missed = false;
        System.out.println();
        System.out.printf(
                "%-80s %10s %10s %7s %8s%n", "benchmark / baseline", "ns/op", "base ns/op", "ratio", "target");
        for (Target target : TARGETS) {
            Double score = scores.get(target.benchmark());
            Double base = scores.get(target.baseline());
            if (score == null || base == null) {
                continue;
            }
            double ratio = score / base;
            boolean ok = target.maxRatio() == 0 || ratio <= target.maxRatio();
            missed |= !ok;
            System.out.printf(
                    "%-80s %10.1f %10.1f %6.2fx %8s%s%n",
                    target.benchmark() + " / " + target.baseline(),
                    score,
                    base,
                    ratio,
                    target.maxRatio() == 0 ? "-" : "<= " + target.maxRatio() + "x",
                    ok ? "" : "  MISSED");
        }
        System.exit(missed ? 1 : 0);
    }
}
