package io.mpsecrets.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The demo's last step ({@code mvn -Pdemo ... verify}): the demo's Liberty server in the foreground, on Maven's
 * console, for as long as Maven runs. When Maven's JVM exits for a reason it sees (Ctrl-C, a SIGTERM to Maven's PID,
 * the terminal closed) a shutdown hook stops the server and waits for it: a SIGTERM, on which Liberty stops its
 * applications and itself. The demo ran {@code server run} with exec:exec before, which does not stop a synchronous
 * child when Maven exits, and {@code server run} execs the server's JVM: a SIGTERM to Maven's PID left Liberty
 * running, serving the demo's port, with no parent. Only a SIGKILL to Maven still leaves it; then
 * {@code examples/target/liberty/wlp/bin/server stop demoServer} stops it (README).
 *
 * <p>Arguments: the Liberty install ({@code wlp}), the server's name.
 */
public final class DemoServer {

    /** The server's exit status when Ctrl-C or the hook stopped it: how the demo ends, not a failure. */
    static final int SIGINT = 128 + 2;

    static final int SIGTERM = 128 + 15;

    /** How long the hook waits for the server to stop before it kills it. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private DemoServer() {}

    /** The server, once started; guarded by the class, so that the hook and the start cannot pass each other. */
    private static Process server;

    private static boolean stopping;

    public static void main(String[] args) throws IOException, InterruptedException {
        Path wlp = Path.of(args[0]);
        String name = args[1];
        // The hook first: a SIGTERM that comes while the server starts must still stop it (it came between the start
        // and the hook's registration once, and the server outlived the JVM).
        Runtime.getRuntime().addShutdownHook(new Thread(DemoServer::stopStarted, "mpsecrets-demo-server-stop"));
        Process started;
        synchronized (DemoServer.class) {
            if (stopping) {
                return;
            }
            started = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name)
                    .inheritIO()
                    .start();
            server = started;
        }
        int exit = started.waitFor();
        if (exit != 0 && exit != SIGINT && exit != SIGTERM) {
            throw new IllegalStateException("the demo server " + name + " exited with " + exit);
        }
    }

    private static void stopStarted() {
        Process started;
        synchronized (DemoServer.class) {
            stopping = true;
            started = server;
        }
        if (started != null) {
            stop(started);
        }
    }

    /** Stops the server if it still runs, and waits until it has: a JVM that exits leaves no server behind. */
    static void stop(Process server) {
        if (!server.isAlive()) {
            return;
        }
        server.destroy();
        try {
            if (!server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
