package io.mpsecrets.bench.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the fleet scenarios of docs/scale.md and prints its tables; writes the restart charts.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.mpsecrets.bench.fleet.FleetMain [charts] [aws|azure|gcp]...</pre>
 *
 * <p>Without a backend named, all three.
 */
public final class FleetMain {

    private FleetMain() {}

    public static void main(String[] args) throws IOException {
        Path charts = Path.of(args.length > 0 ? args[0] : "docs/images");
        List<String> backends =
                args.length > 1 ? List.of(args).subList(1, args.length) : List.of("aws", "azure", "gcp");
        if (backends.contains("aws")) {
            aws(charts);
        }
        if (backends.contains("azure")) {
            azure();
        }
        if (backends.contains("gcp")) {
            gcp();
        }
        if (backends.contains("cost")) {
            cost();
        }
    }

    /** Seconds in a month of 30 days. */
    static final double MONTH = 30 * 24 * 3600.0;
    /** Secrets Manager: $0.05 per 10,000 API calls (every call: reads, checks, listings). */
    static final double SECRETS_MANAGER_PER_CALL = 0.05 / 10_000;

    /**
     * The cost section: steady state at 10,000 and 50,000 instances x 50 secrets, checks one by one
     * ({@code rotation-check=describe}, the default before) and batched ({@code list}, the default now), with the
     * listing up to date and five minutes late; a rotation of one secret as the window starts, and how long until
     * every sampled instance held it.
     */
    private static void cost() {
        System.out.println();
        System.out.println("## Cost: steady state, calls and dollars a month, rotation seen by every instance");
        System.out.println();
        List<FleetResult> results = new ArrayList<>();
        Duration window = Duration.ofMinutes(15);
        for (int instances : new int[] {10_000, 50_000}) {
            results.add(new FleetSimulator(fleet(instances, Quotas.AWS_DESCRIBE).withSteadyWindow(window))
                    .rotating(Duration.ZERO)
                    .run());
            results.add(new FleetSimulator(fleet(instances, Quotas.AWS.named("aws, listing current"))
                            .withSteadyWindow(window))
                    .rotating(Duration.ZERO)
                    .run());
            results.add(new FleetSimulator(fleet(instances, Quotas.AWS.named("aws, listing 5 min late"))
                            .withSteadyWindow(window))
                    .rotating(Duration.ofMinutes(5))
                    .run());
        }
        // The batched rounds' share of listings settles over a few rounds (RotationWatcher): measured over an hour.
        results.add(new FleetSimulator(fleet(50_000, Quotas.AWS.named("aws, listing 5 min late"))
                        .withSteadyWindow(Duration.ofHours(1)))
                .rotating(Duration.ofMinutes(5))
                .run());
        results.add(new FleetSimulator(fleet(50_000, Quotas.AWS.named("aws, listing 5 min late"))
                        .withTtl(Duration.ofMinutes(15))
                        .withSteadyWindow(Duration.ofMinutes(30)))
                .rotating(Duration.ofMinutes(5))
                .run());
        System.out.println("| fleet | GetSecretValue | DescribeSecret | ListSecrets | all calls | calls a month"
                + " | $ a month | rotation held by every instance after | failed reads | stale reads |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (FleetResult r : results) {
            double all = 0;
            StringBuilder row = new StringBuilder("| " + r.scenario().name() + " |");
            for (String api : List.of("GetSecretValue", "DescribeSecret", "ListSecrets")) {
                Optional<FleetResult.ApiFigures> f =
                        r.apis().stream().filter(a -> a.api().equals(api)).findFirst();
                if (f.isEmpty()) {
                    row.append(" - |");
                    continue;
                }
                all += f.get().steadyMean();
                row.append(String.format(
                        Locale.ROOT,
                        " %,.1f/s (%s) |",
                        f.get().steadyMean(),
                        share(f.get(), f.get().steadyMean())));
            }
            row.append(String.format(
                    Locale.ROOT,
                    " %,.1f/s | %,.0f million | $%,.0f | %s | %,d | %,d |",
                    all,
                    all * MONTH / 1e6,
                    all * MONTH * SECRETS_MANAGER_PER_CALL,
                    Double.isNaN(r.rotationSeenSeconds())
                            ? "not by all"
                            : String.format(Locale.ROOT, "%.0f s", r.rotationSeenSeconds()),
                    r.steadyFailedReads(),
                    r.steadyStaleReads()));
            System.out.println(row);
        }
        otherCosts();
    }

    /** Key Vault: $0.03 per 10,000 transactions (Standard), every secrets transaction. */
    static final double KEY_VAULT_PER_CALL = 0.03 / 10_000;

    /** Secret Manager: $0.03 per 10,000 access operations; other reads ("management operations") are free. */
    static final double SECRET_MANAGER_ACCESS_PER_CALL = 0.03 / 10_000;

    /** Key Vault and Secret Manager as the AWS rows: before issue 33's checks and with the defaults now. */
    private static void otherCosts() {
        Duration window = Duration.ofMinutes(15);
        List<FleetResult> azure = new ArrayList<>();
        List<FleetResult> gcp = new ArrayList<>();
        // One vault serves a restart of 10,000 x 50 in 21 minutes and of 50,000 in 1.7 hours (every read throttled
        // many times over: too slow to simulate here); 50,000 instances need five vaults (a subscription's limit per
        // region is five vaults' worth), each as the 10,000 rows (docs/scale.md).
        azure.add(run(fleet(10_000, Quotas.AZURE_GET).withSteadyWindow(window)));
        azure.add(run(fleet(10_000, Quotas.AZURE).withSteadyWindow(window)));
        // 50,000 instances from one project are beyond either quota at a 5-minute TTL (docs/scale.md computes them).
        gcp.add(run(fleet(10_000, Quotas.GCP_METADATA).withSteadyWindow(window)));
        gcp.add(run(fleet(10_000, Quotas.GCP).withSteadyWindow(window)));
        // A 10-minute TTL over a window of 10 minutes: a window that is not a whole number of TTLs counts the
        // refreshes of the instances started in the first minutes of the roll once more or once less.
        gcp.add(run(fleet(10_000, Quotas.GCP).withTtl(Duration.ofMinutes(10))));
        System.out.println();
        costTable(
                azure,
                List.of("Get Secret", "Get Secrets"),
                Map.of("Get Secret", KEY_VAULT_PER_CALL, "Get Secrets", KEY_VAULT_PER_CALL));
        System.out.println();
        costTable(
                gcp,
                List.of("versions.access", "versions.get"),
                Map.of("versions.access", SECRET_MANAGER_ACCESS_PER_CALL, "versions.get", 0.0));
    }

    private static FleetResult run(Scenario scenario) {
        return new FleetSimulator(scenario).rotating(Duration.ZERO).run();
    }

    /** Calls a second (share of the quota), all calls, a month's calls and dollars, as {@link #cost} prints. */
    private static void costTable(List<FleetResult> results, List<String> apis, Map<String, Double> prices) {
        StringBuilder head = new StringBuilder("| fleet |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String api : apis) {
            head.append(' ').append(api).append(" |");
            rule.append("---|");
        }
        System.out.println(head.append(" all calls | calls a month | $ a month | rotation held by every instance after"
                + " | failed reads | stale reads |"));
        System.out.println(rule.append("---|---|---|---|---|---|"));
        for (FleetResult r : results) {
            double all = 0;
            double dollars = 0;
            StringBuilder row = new StringBuilder("| " + r.scenario().name() + " |");
            for (String api : apis) {
                Optional<FleetResult.ApiFigures> f =
                        r.apis().stream().filter(a -> a.api().equals(api)).findFirst();
                if (f.isEmpty()) {
                    row.append(" - |");
                    continue;
                }
                all += f.get().steadyMean();
                dollars += f.get().steadyMean() * MONTH * prices.get(api);
                row.append(String.format(
                        Locale.ROOT,
                        " %,.1f/s (%s) |",
                        f.get().steadyMean(),
                        share(f.get(), f.get().steadyMean())));
            }
            row.append(String.format(
                    Locale.ROOT,
                    " %,.1f/s | %,.0f million | $%,.0f | %s | %,d | %,d |",
                    all,
                    all * MONTH / 1e6,
                    dollars,
                    Double.isNaN(r.rotationSeenSeconds())
                            ? "not by all"
                            : String.format(Locale.ROOT, "%.0f s", r.rotationSeenSeconds()),
                    r.steadyFailedReads(),
                    r.steadyStaleReads()));
            System.out.println(row);
        }
    }

    /**
     * Key Vault (one vault) and its keys: the restarts of the AWS section, then steady state at the defaults and with
     * the settings that keep the vault within its limit.
     */
    private static void azure() {
        System.out.println();
        System.out.println("## Azure Key Vault (azure) and its keys (azure-keyvault): 10,000 x 50, one vault");
        otherBackend(
                Quotas.AZURE,
                List.of(
                        fleet(10_000, Quotas.AZURE).withRotationInterval(Duration.ofMinutes(5)),
                        fleet(10_000, Quotas.AZURE_GET),
                        fleet(2_000, Quotas.AZURE_GET)));
    }

    /** Secret Manager (one project) and Cloud KMS: as {@link #azure}, with both rotation checks. */
    private static void gcp() {
        System.out.println();
        System.out.println("## Google Secret Manager (gcp) and Cloud KMS (gcp-kms): 10,000 x 50, one project");
        otherBackend(
                Quotas.GCP,
                List.of(
                        fleet(10_000, Quotas.GCP).withRotationInterval(Duration.ofMinutes(5)),
                        fleet(10_000, Quotas.GCP).withTtl(Duration.ofMinutes(10)),
                        fleet(10_000, Quotas.GCP)
                                .withTtl(Duration.ofMinutes(10))
                                .withRotationInterval(Duration.ofMinutes(15)),
                        fleet(10_000, Quotas.GCP_METADATA),
                        fleet(10_000, Quotas.GCP_METADATA).withSteadyWindow(Duration.ofMinutes(75)),
                        fleet(50, Quotas.GCP_METADATA)));
    }

    /** Rolling over 5 minutes (so that the restart's own calls are past when steady state is measured). */
    private static Scenario fleet(int instances, Quotas quotas) {
        return Scenario.restart(instances, Scenario.Policies.AFTER)
                .withStartSpread(Duration.ofMinutes(5))
                .withQuotas(quotas);
    }

    private static void otherBackend(Quotas quotas, List<Scenario> steadyOnly) {
        List<FleetResult> restarts = new ArrayList<>();
        restarts.add(new FleetSimulator(
                        Scenario.restart(10_000, Scenario.Policies.AFTER).withQuotas(quotas))
                .run());
        restarts.add(new FleetSimulator(fleet(10_000, quotas)).run());
        System.out.println();
        System.out.println("### Restart: all at once, and rolling over 5 minutes");
        System.out.println();
        genericRestartTable(restarts);
        List<FleetResult> steady = new ArrayList<>(restarts);
        for (Scenario scenario : steadyOnly) {
            steady.add(new FleetSimulator(scenario).run());
        }
        System.out.println();
        System.out.println(
                "### Steady state: calls a second for the whole fleet, share of each quota, reads in the window"
                        + " (10 min unless named)");
        genericSteadyTable(steady);
    }

    private static String share(FleetResult.ApiFigures f, double calls) {
        return Double.isFinite(f.quota())
                ? String.format(Locale.ROOT, "%.1f%%", calls / f.quota() * 100)
                : "quota not known";
    }

    private static void genericRestartTable(List<FleetResult> results) {
        StringBuilder head =
                new StringBuilder("| fleet | all ready | lower limit | ratio | slowest instance | failed start-ups |");
        StringBuilder rule = new StringBuilder("|---|---|---|---|---|---|");
        for (FleetResult.ApiFigures f : results.get(0).apis()) {
            head.append(' ').append(f.api()).append(" peak/s (throttled) |");
            rule.append("---|");
        }
        System.out.println(head.append(" simulated in |"));
        System.out.println(rule.append("---|"));
        for (FleetResult r : results) {
            StringBuilder row = new StringBuilder(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f s | %s | %.1f s | %,d |",
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
                    r.failedStartups()));
            for (FleetResult.ApiFigures f : r.apis()) {
                row.append(String.format(Locale.ROOT, " %,d (%,d) |", f.peak(), f.throttled()));
            }
            System.out.println(row.append(String.format(Locale.ROOT, " %.1f s |", r.wallSeconds())));
        }
    }

    /** A table, and a new one whenever the APIs change (Secret Manager's checks by access have no versions.get). */
    private static void genericSteadyTable(List<FleetResult> results) {
        List<String> apis = List.of();
        for (FleetResult r : results) {
            List<String> names =
                    r.apis().stream().map(FleetResult.ApiFigures::api).toList();
            if (!names.equals(apis)) {
                apis = names;
                StringBuilder head = new StringBuilder("| fleet |");
                StringBuilder rule = new StringBuilder("|---|");
                for (String api : apis) {
                    head.append(' ').append(api).append(" |");
                    rule.append("---|");
                }
                System.out.println();
                System.out.println(head.append(" failed reads | stale reads |"));
                System.out.println(rule.append("---|---|"));
            }
            StringBuilder row = new StringBuilder("| " + r.scenario().name() + " |");
            for (FleetResult.ApiFigures f : r.apis()) {
                row.append(
                        Double.isNaN(f.steadyMean())
                                ? " never ready |"
                                : String.format(
                                        Locale.ROOT, " %,.1f/s (%s) |", f.steadyMean(), share(f, f.steadyMean())));
            }
            row.append(String.format(Locale.ROOT, " %,d | %,d |", r.steadyFailedReads(), r.steadyStaleReads()));
            System.out.println(row);
        }
    }

    /** The AWS section: Secrets Manager and KMS. */
    private static void aws(Path charts) throws IOException {
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
            for (FleetResult.ApiOutage api : o.apis().stream()
                    .filter(a -> List.of("GetSecretValue", "DescribeSecret").contains(a.api()))
                    .toList()) {
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
        System.out.println(
                "| fleet | GetSecretValue | DescribeSecret | ListSecrets | BatchGetSecretValue | KMS Decrypt |");
        System.out.println("|---|---|---|---|---|---|");
        for (FleetResult r : results) {
            StringBuilder row = new StringBuilder("| " + r.scenario().name() + " |");
            for (String api :
                    List.of("GetSecretValue", "DescribeSecret", "ListSecrets", "BatchGetSecretValue", "KMS Decrypt")) {
                if (r.apis().stream().noneMatch(a -> a.api().equals(api))) {
                    row.append(" - |");
                    continue;
                }
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
