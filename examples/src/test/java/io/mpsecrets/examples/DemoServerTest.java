package io.mpsecrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's server goes when the JVM that runs it (Maven's) is sent a SIGTERM: {@link DemoServer} in a JVM of its
 * own, with a stand-in for Liberty's {@code bin/server} that, like Liberty's, execs a long-lived process.
 */
@DisabledOnOs(OS.WINDOWS)
class DemoServerTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSigtermToTheJvmRunningTheDemoStopsItsServer(@TempDir Path wlp) throws Exception {
        Path bin = Files.createDirectories(wlp.resolve("bin"));
        Path script = bin.resolve("server");
        Files.writeString(
                script,
                "#!/bin/sh\n"
                        + "echo \"$@\" > \"$0.args.tmp\" && mv \"$0.args.tmp\" \"$0.args\"\n"
                        + "exec sleep 600\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path args = bin.resolve("server.args");
        Process demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        Path.of(DemoServer.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString(),
                        DemoServer.class.getName(),
                        wlp.toString(),
                        "demoServer")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Optional<ProcessHandle> server = Optional.empty();
        try {
            while (!Files.exists(args)) {
                assertThat(demo.isAlive()).as("the demo JVM runs").isTrue();
                Thread.sleep(20);
            }
            server = demo.children().findFirst();
            assertThat(server).as("the server process").isPresent();
            assertThat(Files.readString(args, StandardCharsets.UTF_8).strip()).isEqualTo("run demoServer");

            demo.destroy(); // SIGTERM, as kill <Maven's PID>
            demo.onExit().get();
            server.get().onExit().get(); // the test's timeout fails a server left running
            assertThat(server.get().isAlive()).isFalse();
        } finally {
            server.ifPresent(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }
}
