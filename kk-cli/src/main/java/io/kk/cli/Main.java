package io.kk.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the kk command. Tests call {@link #run(PrintStream, PrintStream, String...)}. */
@Command(
        name = "kk",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Deliver Kubernetes clusters into air-gapped sites and keep them running.",
        subcommands = {
            VersionCommand.class,
            CreateCommand.class,
            ArtifactCommand.class,
            InitCommand.class,
            AddCommand.class,
            DeleteCommand.class,
            CertsCommand.class,
            AlphaCommand.class,
            UpgradeCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    /** Also before the verb: {@code kk --debug create cluster} works as well as after it. */
    @picocli.CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        // also what libraries and the logger print straight to System.out/err
        System.setOut(RedactingStream.wrap(System.out));
        System.setErr(RedactingStream.wrap(System.err));
        System.exit(run(System.out, System.err, args));
    }

    /** Every command, group or verb, answers -h/--help (and -V/--version), as users expect. */
    private static void withHelpEverywhere(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
            }
            withHelpEverywhere(sub);
        }
    }

    /** Runs kk with the given streams and returns the exit code; never calls System.exit. */
    public static int run(PrintStream rawOut, PrintStream rawErr, String... args) {
        PrintStream out = RedactingStream.wrap(rawOut);
        PrintStream err = RedactingStream.wrap(rawErr);
        try {
            return execute(out, err, args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int execute(PrintStream out, PrintStream err, String... args) {
        Console console = new Console(out, err);
        CommandLine cli = new CommandLine(new Main(), new CommandFactory(console));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorHandler(console));
        withHelpEverywhere(cli);
        return cli.execute(args);
    }
}
