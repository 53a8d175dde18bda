package io.mpsecrets.testkit.arquillian;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The server processes the container adapters started: the test JVM's children that appeared while a container was
 * starting, and what they had started by then. Only these are the extension's to stop; a process the user's own code
 * started (a helper, a database, a browser) is not, even while the test JVM exits. A process is known by its id and
 * start time ({@link ProcessHandle}), so a recorded id the system gives to a new process later is not stopped.
 */
final class ServerProcesses {

    private static final Set<ProcessHandle> STARTED = ConcurrentHashMap.newKeySet();

    private ServerProcesses() {}

    /**
     * Runs {@code start}, a container starting, and records the processes it started, whether it starts or fails (a
     * server that did not come up in time is still running).
     */
    static void recordWhile(Runnable start) {
        Set<ProcessHandle> before = children();
        try {
            start.run();
        } finally {
            for (ProcessHandle child : children()) {
                if (!before.contains(child)) {
                    STARTED.add(child);
                    child.descendants().forEach(STARTED::add);
                }
            }
        }
    }

    /** The recorded processes still running. */
    static List<ProcessHandle> running() {
        return STARTED.stream().filter(ProcessHandle::isAlive).toList();
    }

    /**
     * Stops the recorded processes still running, with what they started since: politely first, then, after ten
     * seconds, forcibly.
     */
    static void stopLeftovers() {
        Set<ProcessHandle> left = new LinkedHashSet<>();
        for (ProcessHandle server : running()) {
            server.descendants().filter(ProcessHandle::isAlive).forEach(left::add);
            left.add(server);
        }
        left.forEach(ProcessHandle::destroy);
        List<ProcessHandle> stubborn = new ArrayList<>();
        for (ProcessHandle process : left) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                stubborn.add(process);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stubborn.add(process);
            }
        }
        stubborn.forEach(ProcessHandle::destroyForcibly);
        STARTED.removeIf(process -> !process.isAlive());
    }

    private static Set<ProcessHandle> children() {
        return ProcessHandle.current().children().collect(Collectors.toSet());
    }
}
