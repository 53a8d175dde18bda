package io.mpsecrets.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An SVG chart of a restart: per API, calls made each second (answered and throttled) as a share of its quota (the
 * dashed line is the quota; answered calls never go above it), one panel per simulation, side by side.
 */
final class FleetChart {

    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final int WIDTH = 460;
    private static final int HEIGHT = 260;
    private static final int LEFT = 50;
    private static final int TOP = 30;
    private static final double MAX_SHARE = 3.0;

    /** A panel: its title, the simulator after its run, and how many seconds to draw. */
    record Panel(String title, FleetSimulator simulator, int seconds) {}

    private FleetChart() {}

    static void write(Path file, List<Panel> panels) throws IOException {
        StringBuilder svg = new StringBuilder();
        int width = Math.max(LEFT + panels.size() * (WIDTH + LEFT), LEFT + 4 * 250);
        int height = TOP + HEIGHT + 90;
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width,
                height));
        for (int p = 0; p < panels.size(); p++) {
            panel(svg, panels.get(p), LEFT + p * (WIDTH + LEFT));
        }
        List<Api> apis = panels.get(0).simulator().apis();
        for (int i = 0; i < apis.size(); i++) {
            int x = LEFT + i * 250;
            int y = TOP + HEIGHT + 60;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s (quota %,.0f/s)</text>%n",
                    x,
                    y,
                    x + 20,
                    y,
                    COLOURS[i],
                    x + 25,
                    y + 4,
                    apis.get(i).name,
                    apis.get(i).quota()));
        }
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg);
    }

    private static void panel(StringBuilder svg, Panel panel, int x0) {
        int seconds = Math.max(panel.seconds(), 2);
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>%n",
                x0,
                TOP - 10,
                escape(panel.title())));
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                x0,
                TOP,
                WIDTH,
                HEIGHT));
        for (double share : new double[] {0.5, 1.0, 2.0, 3.0}) {
            int y = y(share);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"%s/>"
                            + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f%%</text>%n",
                    x0,
                    y,
                    x0 + WIDTH,
                    y,
                    share == 1.0 ? "#000" : "#ddd",
                    share == 1.0 ? " stroke-dasharray=\"6,3\"" : "",
                    x0 - 4,
                    y + 4,
                    share * 100));
        }
        for (int t = 0; t <= seconds; t += tick(seconds)) {
            int x = x0 + (int) ((double) t / seconds * WIDTH);
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n",
                    x,
                    TOP + HEIGHT + 15,
                    t));
        }
        List<Api> apis = panel.simulator().apis();
        for (int i = 0; i < apis.size(); i++) {
            Api api = apis.get(i);
            StringBuilder points = new StringBuilder();
            for (int s = 0; s < seconds; s++) {
                double share = (api.answered(s) + api.throttled(s)) / api.quota();
                int x = x0 + (int) ((s + 0.5) / seconds * WIDTH);
                points.append(x)
                        .append(',')
                        .append(y(Math.min(share, MAX_SHARE)))
                        .append(' ');
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    COLOURS[i],
                    points.toString().trim()));
        }
    }

    private static int tick(int seconds) {
        for (int step : new int[] {1, 2, 5, 10, 20, 30, 60, 120, 300, 600}) {
            if (seconds / step <= 10) {
                return step;
            }
        }
        return 1200;
    }

    private static int y(double share) {
        return TOP + HEIGHT - (int) (share / MAX_SHARE * HEIGHT);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
