package io.mpsecrets.examples.it;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The figures of one soak run, and their report ({@code soak.md}) and chart ({@code soak.svg}): requests sent, answered
 * and failed by cause; latency per bucket with the fault windows; the server's heap, threads and descriptors with their
 * slope after the first five minutes; leases; audit events by type; the canary scan of the server's logs.
 */
final class SoakReport {

    /** Where the slopes are measured from: the first five minutes are start-up and warm-up. */
    static final long SETTLED_MS = 5 * 60_000;

    /** How long after a rotation a request counts as "during a rotation". */
    static final long ROTATION_MS = 2_000;

    /**
     * How long after Vault is unsealed the leased credentials may still fail by design: the lease that ended while
     * Vault was sealed is replaced at the next attempt, which waits out the store's backoff.
     */
    static final long UNSEAL_MS = 10_000;

    record Bucket(long startMs, int requests, int failed, double p50, double p99, double max) {}

    record Leases(long issued, long revoked, long expired, long live) {}

    private final SoakRun run;
    final long sent;
    final long answered;
    final Map<String, Long> failures = new TreeMap<>();
    final Map<String, Long> byDesign = new TreeMap<>();
    final List<Bucket> buckets = new ArrayList<>();
    double p99Rotation;
    double p99Quiet;
    long rotationRequests;
    /** Requests left out of the rotation comparison: they started within 2 s after a vitals sample's full GC. */
    long afterGc;
    /** Latencies (microseconds) of the requests that read the values only, and of those that also logged in. */
    final List<Long> reads;

    final List<Long> logins;
    /** The latencies (microseconds) of requests within {@link #ROTATION_MS} after each kind of rotation. */
    final Map<String, List<Long>> byRotation = new TreeMap<>();

    long quietRequests;
    Leases leases;
    Map<String, Long> auditEvents = Map.of();
    int logFilesScanned;
    final List<String> canaryHits = new ArrayList<>();

    SoakReport(SoakRun run) {
        this.run = run;
        List<SoakRun.Sample> samples;
        synchronized (run.samples) {
            samples = List.copyOf(run.samples);
        }
        this.sent = run.sent.get();
        this.answered = samples.stream()
                .filter(s -> s.cause() == null
                        || !(s.cause().startsWith("no answer") || s.cause().startsWith("timed")))
                .count();
        List<Long> rotation = new ArrayList<>();
        List<Long> quiet = new ArrayList<>();
        for (SoakRun.Sample sample : samples) {
            if (sample.cause() != null) {
                (isByDesign(sample) ? byDesign : failures).merge(sample.cause(), 1L, Long::sum);
            }
            if (run.afterGc(sample.startMs(), ROTATION_MS)) {
                afterGc++;
            } else if (run.windowAt(sample.startMs()) == null) {
                String after = run.rotationBefore(sample.startMs(), ROTATION_MS);
                (after != null ? rotation : quiet).add(sample.latencyMicros());
                if (after != null) {
                    byRotation.computeIfAbsent(after, r -> new ArrayList<>()).add(sample.latencyMicros());
                }
            }
        }
        reads = samples.stream()
                .filter(x -> !x.db())
                .map(SoakRun.Sample::latencyMicros)
                .toList();
        logins = samples.stream()
                .filter(SoakRun.Sample::db)
                .map(SoakRun.Sample::latencyMicros)
                .toList();
        rotationRequests = rotation.size();
        quietRequests = quiet.size();
        p99Rotation = percentile(rotation, 0.99);
        p99Quiet = percentile(quiet, 0.99);
        long width = run.bucketMs();
        Map<Long, List<SoakRun.Sample>> byBucket = new TreeMap<>();
        for (SoakRun.Sample sample : samples) {
            byBucket.computeIfAbsent(sample.startMs() / width, b -> new ArrayList<>())
                    .add(sample);
        }
        for (Map.Entry<Long, List<SoakRun.Sample>> bucket : byBucket.entrySet()) {
            List<Long> latencies = bucket.getValue().stream()
                    .map(SoakRun.Sample::latencyMicros)
                    .toList();
            buckets.add(new Bucket(
                    bucket.getKey() * width,
                    latencies.size(),
                    (int) bucket.getValue().stream()
                            .filter(s -> s.cause() != null)
                            .count(),
                    percentile(latencies, 0.50),
                    percentile(latencies, 0.99),
                    percentile(latencies, 1.0)));
        }
    }

    /**
     * The failures a fault must cause: the leased database credentials while Vault is sealed (and for
     * {@link #UNSEAL_MS} after), when the lease in use reaches its end — mp-secrets serves no credentials past their
     * lease, and PostgreSQL refuses them past {@code VALID UNTIL}. Nothing else: every other store's last good value is
     * served within {@code max-stale}.
     */
    private boolean isByDesign(SoakRun.Sample sample) {
        if (!sample.cause().contains("soak.db")) {
            return false;
        }
        synchronized (run.windows) {
            return run.windows.stream()
                    .anyMatch(w -> w.name().equals("Vault sealed")
                            && sample.startMs() >= w.startMs()
                            && sample.startMs() < w.endMs() + UNSEAL_MS);
        }
    }

    long failed() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    long failedByDesign() {
        return byDesign.values().stream().mapToLong(Long::longValue).sum();
    }

    /** ms, from microseconds. */
    private static double percentile(List<Long> micros, double p) {
        if (micros.isEmpty()) {
            return 0;
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    /** The least-squares slope, per minute, of the samples after {@link #SETTLED_MS}; NaN with fewer than 3. */
    double slopePerMinute(java.util.function.ToLongFunction<SoakRun.Vitals> value) {
        List<SoakRun.Vitals> settled = settled();
        if (settled.size() < 3) {
            return Double.NaN;
        }
        double n = settled.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (SoakRun.Vitals v : settled) {
            double x = v.atMs() / 60_000.0;
            double y = value.applyAsLong(v);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /** Largest minus smallest after {@link #SETTLED_MS}; -1 with no sample then. */
    long rangeAfterSettling(java.util.function.ToLongFunction<SoakRun.Vitals> value) {
        List<SoakRun.Vitals> settled = settled();
        if (settled.isEmpty()) {
            return -1;
        }
        long min = settled.stream().mapToLong(value).min().orElseThrow();
        long max = settled.stream().mapToLong(value).max().orElseThrow();
        return max - min;
    }

    /**
     * How far above its value at minute 5 (the first sample then) a figure rose after it; -1 with no sample then. A
     * leak rises; a pool that lets connections go falls, which is no leak.
     */
    long growthAfterSettling(java.util.function.ToLongFunction<SoakRun.Vitals> value) {
        List<SoakRun.Vitals> settled = settled();
        if (settled.isEmpty()) {
            return -1;
        }
        long first = value.applyAsLong(settled.get(0));
        return settled.stream().mapToLong(value).max().orElseThrow() - first;
    }

    List<SoakRun.Vitals> settled() {
        synchronized (run.vitals) {
            return run.vitals.stream().filter(v -> v.atMs() >= SETTLED_MS).toList();
        }
    }

    void leases(long issued, long revoked, long expired, long live) {
        this.leases = new Leases(issued, revoked, expired, live);
    }

    /**
     * Counts the audit lines of the soak's application ({@code app=soak}) by event type, in every server log from
     * where it ended when the soak started.
     */
    void audit(Path logs, Map<Path, Long> from) throws IOException {
        Pattern event = Pattern.compile("event=(\\S+).*app=" + SoakFixture.APP + "(\\s|$)");
        Map<String, Long> counts = new TreeMap<>();
        for (Path file : files(logs)) {
            if (!file.getFileName().toString().startsWith("messages")) {
                continue;
            }
            for (String line : since(file, from).split("\n")) {
                Matcher m = event.matcher(line);
                if (m.find()) {
                    counts.merge(m.group(1), 1L, Long::sum);
                }
            }
        }
        auditEvents = counts;
    }

    /** A log file's text after its size in {@code from} (whole if it is new or shorter: rotated); "" if gone. */
    private static String since(Path file, Map<Path, Long> from) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException gone) {
            return "";
        }
        long start = from.getOrDefault(file, 0L);
        int offset = start > bytes.length ? 0 : (int) start;
        return new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
    }

    /**
     * Every file under the server's logs (messages, trace, FFDC) checked for the canary and the watched values, from
     * where it ended when the soak started (a file new since, or shorter: rotated, whole), so that the soak answers for
     * its own output and not for a class before it that logs masked values on purpose.
     */
    void scan(Path logs, Map<Path, Long> from) throws IOException {
        for (Path file : files(logs)) {
            logFilesScanned++;
            try {
                LeakGuard.check(since(file, from), "server log " + file, false);
            } catch (AssertionError e) {
                // The message names the file, the form and the offset, never the value.
                canaryHits.add(e.getMessage());
            }
        }
    }

    /** Each file's size under the server's logs now, where {@link #scan} starts. */
    static Map<Path, Long> sizes(Path logs) throws IOException {
        Map<Path, Long> sizes = new java.util.HashMap<>();
        for (Path file : files(logs)) {
            try {
                sizes.put(file, Files.size(file));
            } catch (java.nio.file.NoSuchFileException gone) {
                // rotated away while we looked: scanned whole at the end
            }
        }
        return sizes;
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    void write(Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("soak.md"), markdown(command), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("soak.svg"), SoakChart.svg(run, this), StandardCharsets.UTF_8);
    }

    String markdown(String command) {
        StringBuilder out = new StringBuilder();
        out.append("# Soak: ")
                .append(run.duration())
                .append(" at ")
                .append(run.rate())
                .append(" requests/s\n\n");
        out.append("Command: `").append(command).append("`\n\n");
        out.append("| requests | count |\n|---|---|\n");
        out.append("| sent | ").append(sent).append(" |\n");
        out.append("| answered | ").append(answered).append(" |\n");
        out.append("| failed (outside the by-design set) | ").append(failed()).append(" |\n");
        out.append("| failed by design (leased credentials while Vault was sealed) | ")
                .append(failedByDesign())
                .append(" |\n\n");
        if (!failures.isEmpty() || !byDesign.isEmpty()) {
            out.append("| cause | failed | by design |\n|---|---|---|\n");
            failures.forEach((cause, n) ->
                    out.append("| ").append(cause).append(" | ").append(n).append(" | |\n"));
            byDesign.forEach((cause, n) ->
                    out.append("| ").append(cause).append(" | | ").append(n).append(" |\n"));
            out.append('\n');
        }
        out.append(String.format(
                Locale.ROOT,
                "p99 within %d s after a rotation: %.1f ms (%d requests); p99 otherwise: %.1f ms (%d requests);"
                        + " ratio %.2f (left out of both: the fault windows, and the %d requests within 2 s after a"
                        + " vitals sample's full GC).%n%n",
                ROTATION_MS / 1000,
                p99Rotation,
                rotationRequests,
                p99Quiet,
                quietRequests,
                p99Quiet == 0 ? 0 : p99Rotation / p99Quiet,
                afterGc));
        out.append(String.format(
                Locale.ROOT,
                "Reads only (%d requests): p50 %.1f ms, p99 %.1f ms; reads and a PostgreSQL login with the leased"
                        + " credentials (every 20th, %d requests): p50 %.1f ms, p99 %.1f ms.%n%n",
                reads.size(),
                percentile(reads, 0.50),
                percentile(reads, 0.99),
                logins.size(),
                percentile(logins, 0.50),
                percentile(logins, 0.99)));
        out.append("| within 2 s after | requests | p50 ms | p99 ms | p99 / p99 otherwise |\n|---|---|---|---|---|\n");
        byRotation.forEach((what, latencies) -> out.append(String.format(
                Locale.ROOT,
                "| %s | %d | %.1f | %.1f | %.2f |%n",
                what,
                latencies.size(),
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                p99Quiet == 0 ? 0 : percentile(latencies, 0.99) / p99Quiet)));
        out.append('\n');
        out.append("| from (s) | requests | failed | p50 ms | p99 ms | max ms | fault window |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Bucket b : buckets) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %d | %.1f | %.1f | %.1f | %s |%n",
                    b.startMs() / 1000,
                    b.requests(),
                    b.failed(),
                    b.p50(),
                    b.p99(),
                    b.max(),
                    windowsIn(b.startMs(), b.startMs() + run.bucketMs())));
        }
        out.append(
                "\n| fault window | from (s) | to (s) | calls to the failing service meanwhile |\n|---|---|---|---|\n");
        synchronized (run.windows) {
            run.windows.stream()
                    .sorted(java.util.Comparator.comparingLong(SoakRun.Window::startMs))
                    .forEach(w -> out.append(String.format(
                            Locale.ROOT,
                            "| %s | %.1f | %.1f | %d |%n",
                            w.name(),
                            w.startMs() / 1000.0,
                            w.endMs() / 1000.0,
                            w.calls())));
        }
        Map<String, Long> rotations = new TreeMap<>();
        synchronized (run.rotations) {
            run.rotations.forEach(r -> rotations.merge(r.what(), 1L, Long::sum));
        }
        out.append("\n| rotation | times |\n|---|---|\n");
        rotations.forEach((what, n) ->
                out.append("| ").append(what).append(" | ").append(n).append(" |\n"));
        out.append("\n| at (s) | heap after full GC (MiB) | live threads | open fds | of which sockets |\n");
        out.append("|---|---|---|---|---|\n");
        synchronized (run.vitals) {
            for (SoakRun.Vitals v : run.vitals) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %d | %.1f | %d | %d | %d |%n",
                        v.atMs() / 1000,
                        v.heap() / 1048576.0,
                        v.threads(),
                        v.fds(),
                        v.sockets()));
            }
        }
        out.append(String.format(
                Locale.ROOT,
                "%nAfter minute 5: heap slope %.3f MiB/min (range %.1f MiB), threads slope %.3f/min (range %d),"
                        + " fds slope %.3f/min (range %d, rise above minute 5 %d), other than sockets %.3f/min"
                        + " (range %d) (NaN, -1: the run has no samples after minute 5).%n%n",
                slopePerMinute(SoakRun.Vitals::heap) / 1048576.0,
                rangeAfterSettling(SoakRun.Vitals::heap) / 1048576.0,
                slopePerMinute(SoakRun.Vitals::threads),
                rangeAfterSettling(SoakRun.Vitals::threads),
                slopePerMinute(SoakRun.Vitals::fds),
                rangeAfterSettling(SoakRun.Vitals::fds),
                growthAfterSettling(SoakRun.Vitals::fds),
                slopePerMinute(v -> v.fds() - v.sockets()),
                rangeAfterSettling(v -> v.fds() - v.sockets())));
        if (leases != null) {
            out.append("Leases (role `soak`): issued ")
                    .append(leases.issued())
                    .append(", revoked ")
                    .append(leases.revoked())
                    .append(", expired unrevoked ")
                    .append(leases.expired())
                    .append(", live at the end ")
                    .append(leases.live())
                    .append("; distinct database users that answered: ")
                    .append(run.databaseUsers.size())
                    .append(".\n\n");
        }
        out.append("| audit event (app=soak) | lines |\n|---|---|\n");
        auditEvents.forEach((type, n) ->
                out.append("| ").append(type).append(" | ").append(n).append(" |\n"));
        out.append("\nCanary scan: ")
                .append(logFilesScanned)
                .append(" files under the server's logs (messages, trace, FFDC); ")
                .append(canaryHits.isEmpty() ? "no canary or watched value." : "HITS in " + canaryHits)
                .append('\n');
        synchronized (run.notes) {
            if (!run.notes.isEmpty()) {
                out.append("\nNotes:\n\n");
                run.notes.forEach(note -> out.append("- ").append(note).append('\n'));
            }
        }
        return out.toString();
    }

    private String windowsIn(long from, long to) {
        synchronized (run.windows) {
            return String.join(
                    ", ",
                    run.windows.stream()
                            .filter(w -> w.startMs() < to && w.endMs() > from)
                            .map(SoakRun.Window::name)
                            .toList());
        }
    }
}
