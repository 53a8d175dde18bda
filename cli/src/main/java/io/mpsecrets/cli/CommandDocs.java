package io.mpsecrets.cli;

import io.mpsecrets.runtime.MpSecretsVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes a man page (troff, section 1) for {@code mpsecrets} and each of its commands, and the bash/zsh completion
 * script (picocli's), from the same model picocli prints {@code --help} from, so that neither says something the
 * commands do not do. Run by the build for the CLI distribution: {@code CommandDocs <man directory> <completion file>}.
 */
public final class CommandDocs {

    private CommandDocs() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        CommandLine top = new CommandLine(new MpSecretsCommand());
        write(dir, top.getCommandSpec(), "mpsecrets");
        for (CommandLine sub : top.getSubcommands().values()) {
            write(dir, sub.getCommandSpec(), "mpsecrets-" + sub.getCommandName());
        }
        Path completion = Path.of(args[1]);
        Files.createDirectories(completion.toAbsolutePath().getParent());
        Files.writeString(completion, AutoComplete.bash("mpsecrets", top), StandardCharsets.UTF_8);
    }

    private static void write(Path dir, CommandSpec spec, String page) throws IOException {
        Files.writeString(dir.resolve(page + ".1"), page(spec, page), StandardCharsets.UTF_8);
    }

    static String page(CommandSpec spec, String page) {
        StringBuilder out = new StringBuilder();
        out.append(".TH \"")
                .append(page.toUpperCase(java.util.Locale.ROOT))
                .append("\" 1 \"\" \"mp-secrets ")
                .append(escape(MpSecretsVersion.current().version()))
                .append("\" \"mp-secrets manual\"\n");
        String[] description = spec.usageMessage().description();
        out.append(".SH NAME\n")
                .append(escape(page.replace('-', ' ')))
                .append(" \\- ")
                .append(escape(description.length > 0 ? description[0] : ""))
                .append('\n');
        out.append(".SH SYNOPSIS\n.B ").append(escape(spec.qualifiedName())).append('\n');
        List<String> synopsis = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                synopsis.add((option.required() ? "" : "[")
                        + option.longestName()
                        + (option.arity().max() > 0 ? "=" + option.paramLabel() : "")
                        + (option.required() ? "" : "]"));
            }
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            synopsis.add(positional.paramLabel());
        }
        if (!spec.subcommands().isEmpty()) {
            synopsis.add("COMMAND");
        }
        out.append(escape(String.join(" ", synopsis))).append('\n');
        out.append(".SH DESCRIPTION\n");
        for (String line : description) {
            out.append(escape(line)).append("\n.PP\n");
        }
        if (!spec.options().isEmpty()) {
            out.append(".SH OPTIONS\n");
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                out.append(".TP\n\\fB")
                        .append(escape(String.join(", ", option.names())))
                        .append("\\fR")
                        .append(option.arity().max() > 0 ? "=\\fI" + escape(option.paramLabel()) + "\\fR" : "")
                        .append('\n')
                        .append(escape(String.join(" ", option.description())
                                .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))))
                        .append('\n');
            }
        }
        if (!spec.subcommands().isEmpty()) {
            out.append(".SH COMMANDS\n");
            spec.subcommands().forEach((name, sub) -> {
                String[] lines = sub.getCommandSpec().usageMessage().description();
                out.append(".TP\n\\fB")
                        .append(escape(name))
                        .append("\\fR\n")
                        .append(escape(lines.length > 0 ? lines[0] : ""))
                        .append(" See \\fBmpsecrets\\-")
                        .append(escape(name))
                        .append("\\fR(1).\n");
            });
        }
        out.append(".SH SEE ALSO\nThe project's docs/ (configuration, runbook, format).\n");
        return out.toString();
    }

    /**
     * Text as troff reads it: picocli's format escapes ({@code %%}, {@code %n}) resolved, a backslash and a hyphen
     * escaped, a leading dot or quote not taken as a request.
     */
    static String escape(String text) {
        String plain = text.replace("%n", " ").replace("%%", "%");
        String escaped = plain.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
