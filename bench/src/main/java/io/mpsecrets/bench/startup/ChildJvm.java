package io.mpsecrets.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh JVM, as the start-up reports start each application they time: this JVM's java, its output to files. */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code arguments} on {@code classpath}, with {@code options} before it, its output to
     * {@code dir/app.out} (returned) and its errors to {@code dir/app.err}, and waits for it.
     *
     * @throws IllegalStateException naming {@code what}, with its errors, when it exits with another status than 0
     */
    static Path run(List<String> options, String classpath, String main, List<String> arguments, Path dir, String what)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", classpath, main));
        command.addAll(arguments);
        Path out = dir.resolve("app.out");
        Path err = dir.resolve("app.err");
        int exit = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start()
                .waitFor();
        if (exit != 0) {
            throw new IllegalStateException(what + " exited with " + exit + ": " + Files.readString(err));
        }
        return out;
    }

    /** The {@code key=value} pairs of the lines of {@code out} that start with {@code prefix} and a space. */
    static Map<String, String> figures(Path out, String prefix) throws IOException {
        Map<String, String> figures = new LinkedHashMap<>();
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith(prefix + " ")) {
                for (String pair : line.substring(prefix.length() + 1).split(" ")) {
                    int eq = pair.indexOf('=');
                    figures.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return figures;
    }
}
