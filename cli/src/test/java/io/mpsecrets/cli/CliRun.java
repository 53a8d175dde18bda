package io.mpsecrets.cli;

import io.mpsecrets.testkit.leak.LeakGuard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the CLI in-process; standard error is checked for leaks (standard output may carry a --reveal'ed value). */
final class CliRun {

    record Result(int status, String out, String err) {}

    private CliRun() {}

    static Result run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MpSecretsCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        String errText = err.toString(StandardCharsets.UTF_8);
        LeakGuard.check(errText, "CLI standard error");
        return new Result(status, out.toString(StandardCharsets.UTF_8), errText);
    }
}
