package io.mpsecrets.cli;

import io.mpsecrets.api.LogSafe;
import io.mpsecrets.api.exception.SecretException;
import io.mpsecrets.runtime.MpSecretsVersion;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mpsecrets}: create keys, encrypt values for config files and check them. Plaintext is read from
 * standard input, never from arguments (which end up in shell history and process listings). Exit status: 0 on
 * success, 1 when the input or a key is bad, 2 on a usage error; the reason is one line on standard error.
 */
@Command(
        name = "mpsecrets",
        mixinStandardHelpOptions = true,
        versionProvider = MpSecretsCommand.Version.class,
        description = "Secrets for MicroProfile Config applications: keys, ENC(...) values, checks.",
        subcommands = {
            KeygenCommand.class,
            EncryptCommand.class,
            DecryptCommand.class,
            ReencryptCommand.class,
            ValidateCommand.class
        })
public final class MpSecretsCommand implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Io io;

    /** Where a run reads and writes, and its environment. */
    record Io(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {}

    Io io() {
        return io;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(io.err());
    }

    public static void main(String[] args) {
        // Audit lines of the CLI's own decryptions are for applications' logs, not for a terminal.
        java.util.logging.Logger.getLogger("io.mpsecrets").setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        MpSecretsCommand top = new MpSecretsCommand();
        top.io = new Io(in, out, err, env);
        CommandLine line = new CommandLine(top);
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        line.setParameterExceptionHandler((e, arguments) -> {
            // One line, and never an echo of what was typed: an argument, or an option's value, may be a plaintext
            // typed by mistake. picocli's own messages quote values ("'x' is not a boolean"), so they are not used.
            String reason = reason(e);
            err.println("mpsecrets: usage: " + reason + " (see: mpsecrets "
                    + e.getCommandLine().getCommandName() + " --help)");
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("mpsecrets: " + oneLine(e));
            return e instanceof UsageException ? USAGE : FAILED;
        });
        return line.execute(args);
    }

    /** What was wrong with the arguments, naming options only. */
    static String reason(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            return "unexpected argument (plaintext is read from standard input, never from arguments)";
        }
        if (e instanceof CommandLine.MissingParameterException missing) {
            return "missing "
                    + missing.getMissing().stream()
                            .map(MpSecretsCommand::describe)
                            .collect(java.util.stream.Collectors.joining(", "));
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            return "options that cannot be used together";
        }
        return e.getArgSpec() == null ? "invalid arguments" : "invalid value for " + describe(e.getArgSpec());
    }

    private static String describe(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    private static String oneLine(Exception e) {
        String message;
        if (e instanceof SecretException) {
            message = e.getMessage().replaceFirst("^mp-secrets: ", "");
        } else if (e instanceof UsageException || e instanceof InputException) {
            message = e.getMessage();
        } else {
            // Not ours: name the type only, its message was not written with secrets in mind.
            message = "unexpected " + e.getClass().getName();
        }
        // Escaped, not only joined: a file name or property name in it may hold any character (LogSafe).
        return message == null ? e.getClass().getSimpleName() : LogSafe.escape(message);
    }

    /** Bad arguments found after parsing: exit 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Bad standard input: exit 1. */
    static final class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    /** {@code --version}: the version and the commit the build recorded. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mp-secrets " + MpSecretsVersion.current()};
        }
    }
}
