package io.mpsecrets.bench.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the fleet scenarios of docs/scale.md and prints its tables; writes the restart charts.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.mpsecrets.bench.fleet.FleetMain [chart directory]</pre>
 */
public final class FleetMain {

    private FleetMain() {}

    public static void main(String[] args) throws IOException {
        Path charts = Path.of(args.length > 0 ? args[0] : "docs/images");
        List<FleetResult> restarts = new ArrayList<>();
        List<FleetChart.Panel> panels = new ArrayList<>();
        for (int instances : new int[] {100, 1_000, 10_000, 50_000}) {
            for (Scenario.Policies policies : Scenario.Policies.values()) {
                FleetSimulator simulator = new FleetSimulator(Scenario.restart(instances, policies));
                FleetResult result = simulator.run();
                restarts.add(result);
                if (instances == 10_000) {
                    panels.add(new FleetChart.Panel(
                            "10,000 x 50, all at once: " + policies.name().toLowerCase(Locale.ROOT),
                            simulator,
                            (int) Math.ceil(result.readySeconds()) + 5));
                }
            }
        }
        FleetChart.write(charts.resolve("fleet-restart-10000.svg"), panels);

        System.out.println("## Restart: every instance at once, 50 secrets and 1 data key each");
        System.out.println();
        restartTable(restarts);

        List<FleetResult> others = new ArrayList<>();
        for (Scenario.Policies policies : Scenario.Policies.values()) {
            others.add(new FleetSimulator(Scenario.restart(10_000, policies).withStartSpread(Duration.ofMinutes(5)))
                    .run());
        }
        System.out.println();
        System.out.println("## Rolling restart: 10,000 instances starting over 5 minutes");
        System.out.println();
        restartTable(others);

        System.out.println();
        System.out.println("## Steady state: calls per second for the whole fleet, and share of each quota");
        System.out.println();
        List<FleetResult> steady = new ArrayList<>(restarts);
        steady.addAll(others);
        for (Scenario.Policies policies : Scenario.Policies.values()) {
            steady.add(new FleetSimulator(Scenario.restart(10_000, policies)
                            .withStartSpread(Duration.ofMinutes(5))
                            .withRotationInterval(Duration.ofMinutes(5)))
                    .run());
        }
        steadyTable(steady);

        System.out.println();
        System.out.println("## Store outage");
        System.out.println();
        System.out.println("### Secrets Manager down for 2 minutes while the fleet restarts");
        System.out.println();
        List<FleetResult> startupOutages = new ArrayList<>();
        for (int instances : new int[] {1_000, 10_000}) {
            startupOutages.add(new FleetSimulator(Scenario.restart(instances, Scenario.Policies.AFTER)
                            .withOutage(Duration.ZERO, Duration.ofMinutes(2)))
                    .run());
            startupOutages.add(new FleetSimulator(Scenario.restart(instances, Scenario.Policies.AFTER)
                            .withStartupTimeout(Duration.ofMinutes(5))
                            .withOutage(Duration.ZERO, Duration.ofMinutes(2)))
                    .run());
        }
        restartTable(startupOutages);
        System.out.println();
        System.out.println("### Secrets Manager down for 5 minutes in steady state (rotation checks every 5 minutes)");
        System.out.println();
        List<FleetResult> steadyOutages = new ArrayList<>();
        for (int instances : new int[] {1_000, 10_000}) {
            for (Scenario.Policies policies : Scenario.Policies.values()) {
                steadyOutages.add(new FleetSimulator(Scenario.restart(instances, policies)
                                .withStartSpread(Duration.ofMinutes(5))
                                .withRotationInterval(Duration.ofMinutes(5))
                                .withOutage(Duration.ofMinutes(20), Duration.ofMinutes(5)))
                        .run());
            }
        }
        outageTable(steadyOutages);
    }

    private static void outageTable(List<FleetResult> results) {
        System.out.println("| fleet | failed reads | stale reads | last stale read after recovery |"
                + " GetSecretValue during / peak in the minute after | DescribeSecret during / peak after |");
        System.out.println("|---|---|---|---|---|---|");
        for (FleetResult r : results) {
            if (r.outage().isEmpty()) {
                System.out.println("| " + r.scenario().name() + " | not ready before the outage | | | | |");
                continue;
            }
            FleetResult.OutageFigures o = r.outage().get();
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,d | %.1f s |",
                    r.scenario().name(),
                    o.failedReads(),
                    o.staleReads(),
                    o.recoverySeconds()));
            for (FleetResult.ApiOutage api : o.apis()) {
                row.append(String.format(
                        Locale.ROOT,
                        " %,.1f/s / %,.0f/s (%.1f%% of quota) |",
                        api.duringMean(),
                        api.peakAfter(),
                        api.peakAfter() / api.quota() * 100));
            }
            System.out.println(row);
        }
    }

    private static void restartTable(List<FleetResult> results) {
        System.out.println("| fleet | all ready | lower limit | ratio | slowest instance | failed start-ups |"
                + " BatchGetSecretValue peak/s (throttled) | GetSecretValue | KMS Decrypt | simulated in |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (FleetResult r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.1f s | %s | %.1f s | %,d | %s | %s | %s | %.1f s |%n",
                    r.scenario().name(),
                    r.ready() < r.scenario().instances()
                            ? String.format(
                                    Locale.ROOT,
                                    "%,d of %,d in 2 h",
                                    r.ready(),
                                    r.scenario().instances())
                            : String.format(Locale.ROOT, "%.1f s", r.readySeconds()),
                    r.lowerBoundSeconds(),
                    r.ready() < r.scenario().instances()
                            ? "-"
                            : String.format(Locale.ROOT, "%.2fx", r.ratioToLowerBound()),
                    r.slowestSeconds(),
                    r.failedStartups(),
                    peak(r, "BatchGetSecretValue"),
                    peak(r, "GetSecretValue"),
                    peak(r, "KMS Decrypt"),
                    r.wallSeconds());
        }
    }

    private static String peak(FleetResult r, String api) {
        FleetResult.ApiFigures f = figures(r, api);
        return String.format(Locale.ROOT, "%,d (%,d)", f.peak(), f.throttled());
    }

    private static FleetResult.ApiFigures figures(FleetResult r, String api) {
        return r.apis().stream().filter(a -> a.api().equals(api)).findFirst().orElseThrow();
    }

    private static void steadyTable(List<FleetResult> results) {
        System.out.println("| fleet | GetSecretValue | DescribeSecret | BatchGetSecretValue | KMS Decrypt |");
        System.out.println("|---|---|---|---|---|");
        for (FleetResult r : results) {
            StringBuilder row = new StringBuilder("| " + r.scenario().name() + " |");
            for (String api : List.of("GetSecretValue", "DescribeSecret", "BatchGetSecretValue", "KMS Decrypt")) {
                FleetResult.ApiFigures f = figures(r, api);
                row.append(
                        Double.isNaN(f.steadyMean())
                                ? " never ready |"
                                : String.format(
                                        Locale.ROOT, " %,.1f/s (%.1f%%) |", f.steadyMean(), f.steadyShare() * 100));
            }
            System.out.println(row);
        }
    }
}
