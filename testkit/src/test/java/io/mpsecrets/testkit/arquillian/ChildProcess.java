package io.mpsecrets.testkit.arquillian;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A child process of the test JVM that runs until its input closes: a server, or a user's own helper. */
final class ChildProcess {

    private ChildProcess() {}

    public static void main(String[] args) throws IOException {
        while (System.in.read() >= 0) {
            // until the test closes our input, or stops us
        }
    }

    static Process start() {
        try {
            return new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx16m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            Path.of(ChildProcess.class
                                            .getProtectionDomain()
                                            .getCodeSource()
                                            .getLocation()
                                            .toURI())
                                    .toString(),
                            ChildProcess.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot start a child process", e);
        }
    }

    /** Stops {@code process} if it still runs, and waits for it. */
    static void stop(Process process) throws InterruptedException {
        if (process != null) {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                process.destroy();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
