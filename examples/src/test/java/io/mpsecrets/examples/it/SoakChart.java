package io.mpsecrets.examples.it;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's chart as SVG, written by hand as the fleet chart is (the bench's writer is not reachable from the
 * examples' tests): latency p50, p99 and max per bucket on a logarithmic scale with the fault windows shaded and the
 * rotations ticked, and below it the server's heap after a full GC, live threads and open descriptors.
 */
final class SoakChart {

    private static final int WIDTH = 1000;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int LATENCY_HEIGHT = 300;
    private static final int VITALS_TOP = TOP + LATENCY_HEIGHT + 60;
    private static final int VITALS_HEIGHT = 150;
    private static final int HEIGHT = VITALS_TOP + VITALS_HEIGHT + 70;

    private SoakChart() {}

    static String svg(SoakRun run, SoakReport report) {
        double span = Math.max(1, run.duration().toMillis());
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                WIDTH,
                HEIGHT));
        out.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"20\" font-size=\"14\">Soak, %s at %d requests/s: latency per %d s (log scale),"
                        + " fault windows shaded, rotations ticked</text>%n",
                LEFT,
                run.duration(),
                run.rate(),
                run.bucketMs() / 1000));
        int plotWidth = WIDTH - LEFT - RIGHT;
        // Fault windows, numbered; their names are in the legend below the plot.
        List<SoakRun.Window> windows;
        synchronized (run.windows) {
            windows = run.windows.stream()
                    .sorted(java.util.Comparator.comparingLong(SoakRun.Window::startMs))
                    .toList();
        }
        for (int i = 0; i < windows.size(); i++) {
            SoakRun.Window w = windows.get(i);
            double x = LEFT + plotWidth * w.startMs() / span;
            double width = Math.max(1, plotWidth * (w.endMs() - w.startMs()) / span);
            out.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f4a582\" opacity=\"0.35\"/>"
                            + "<text x=\"%.1f\" y=\"%d\">%d</text>%n",
                    x,
                    TOP,
                    width,
                    LATENCY_HEIGHT,
                    x + 1,
                    TOP + 12,
                    i + 1));
        }
        synchronized (run.rotations) {
            for (SoakRun.Event rotation : run.rotations) {
                double x = LEFT + plotWidth * rotation.atMs() / span;
                out.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>%n",
                        x,
                        TOP + LATENCY_HEIGHT,
                        x,
                        TOP + LATENCY_HEIGHT + 6));
            }
        }
        // Latency axis: 1 ms to 30 s, logarithmic.
        double low = Math.log10(1);
        double high = Math.log10(30_000);
        for (double ms : new double[] {1, 10, 100, 1000, 10_000}) {
            double y = TOP + LATENCY_HEIGHT - LATENCY_HEIGHT * (Math.log10(ms) - low) / (high - low);
            out.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"5\" y=\"%.1f\">%s</text>%n",
                    LEFT,
                    y,
                    WIDTH - RIGHT,
                    y,
                    y + 4,
                    ms >= 1000 ? (long) (ms / 1000) + " s" : (long) ms + " ms"));
        }
        out.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT,
                TOP,
                plotWidth,
                LATENCY_HEIGHT));
        series(out, report.buckets, run, span, SoakReport.Bucket::max, "#d6604d", "max", 0, low, high);
        series(out, report.buckets, run, span, SoakReport.Bucket::p99, "#4393c3", "p99", 1, low, high);
        series(out, report.buckets, run, span, SoakReport.Bucket::p50, "#1b7837", "p50", 2, low, high);
        // Vitals, each on its own scale from 0 to its largest value.
        out.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT,
                VITALS_TOP,
                plotWidth,
                VITALS_HEIGHT));
        List<SoakRun.Vitals> vitals;
        synchronized (run.vitals) {
            vitals = List.copyOf(run.vitals);
        }
        vitalsSeries(out, vitals, span, v -> v.heap() / 1048576.0, "#762a83", "heap after GC, MiB", 0);
        vitalsSeries(out, vitals, span, v -> v.threads(), "#e08214", "live threads", 1);
        vitalsSeries(out, vitals, span, v -> v.fds(), "#35978f", "open fds", 2);
        // The time axis under both panels: six steps of the run, in minutes (seconds for a run under six minutes).
        boolean minutes = run.duration().toMinutes() >= 6;
        for (int step = 0; step <= 6; step++) {
            double x = LEFT + plotWidth * step / 6.0;
            long seconds = run.duration().toSeconds() * step / 6;
            String label = minutes ? seconds / 60 + " min" : seconds + " s";
            for (int y : new int[] {TOP + LATENCY_HEIGHT + 18, VITALS_TOP + VITALS_HEIGHT + 14}) {
                out.append(String.format(
                        Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, y, label));
            }
        }
        // The windows' names, one line of them after another, broken between names.
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < windows.size(); i++) {
            String entry = (i + 1) + ": " + windows.get(i).name();
            if (line.length() > 0 && line.length() + entry.length() > 150) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? "   " : "").append(entry);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        for (int i = 0; i < lines.size(); i++) {
            out.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>%n",
                    LEFT,
                    HEIGHT - 34 + 14 * i,
                    escape(lines.get(i))));
        }
        return out.append("</svg>\n").toString();
    }

    private static void series(
            StringBuilder out,
            List<SoakReport.Bucket> buckets,
            SoakRun run,
            double span,
            ToDoubleFunction<SoakReport.Bucket> value,
            String colour,
            String name,
            int index,
            double low,
            double high) {
        int plotWidth = WIDTH - LEFT - RIGHT;
        StringBuilder points = new StringBuilder();
        for (SoakReport.Bucket b : buckets) {
            double x = LEFT + plotWidth * (b.startMs() + run.bucketMs() / 2.0) / span;
            double ms = Math.max(1, value.applyAsDouble(b));
            double y = TOP + LATENCY_HEIGHT - LATENCY_HEIGHT * (Math.min(Math.log10(ms), high) - low) / (high - low);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        out.append(String.format(
                Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                        + "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                points.toString().trim(),
                colour,
                WIDTH - RIGHT - 200 + 60 * index,
                TOP - 6,
                colour,
                name));
    }

    private static void vitalsSeries(
            StringBuilder out,
            List<SoakRun.Vitals> vitals,
            double span,
            ToDoubleFunction<SoakRun.Vitals> value,
            String colour,
            String name,
            int index) {
        double max = vitals.stream().mapToDouble(value).max().orElse(1);
        double min = vitals.stream().mapToDouble(value).min().orElse(0);
        int plotWidth = WIDTH - LEFT - RIGHT;
        StringBuilder points = new StringBuilder();
        for (SoakRun.Vitals v : vitals) {
            double x = LEFT + plotWidth * v.atMs() / span;
            double y = VITALS_TOP + VITALS_HEIGHT - VITALS_HEIGHT * value.applyAsDouble(v) / Math.max(1e-9, max);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        out.append(String.format(
                Locale.ROOT,
                "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                        + "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s: %.1f to %.1f (scale 0 to max)</text>%n",
                points.toString().trim(),
                colour,
                LEFT + 300 * index,
                VITALS_TOP - 8,
                colour,
                escape(name),
                min,
                max));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
