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
        description = "Deliver Kubernetes clusters into air-gapped sites and keep them running.")
public final class Main {
    /** Also before the verb: {@code kk --debug create cluster} works as well as after it. */
    @picocli.CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        // picocli otherwise looks for Groovy's Closure class (absent) in the whole jar at start-up
        System.setProperty("picocli.disable.closures", "true");
        // also what libraries and the logger print straight to System.out/err
        System.setOut(RedactingStream.wrap(System.out));
        System.setErr(RedactingStream.wrap(System.err));
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> interrupted(finished, args), "kk-interrupted"));
        int code = run(System.out, System.err, args);
        finished.set(true);
        System.exit(code);
    }

    /**
     * Ctrl-C (SIGINT) or SIGTERM while a verb runs: the JVM exits with 128+signal (130 for Ctrl-C);
     * this says so and what state that leaves, instead of a silent stop mid-line.
     */
    private static void interrupted(java.util.concurrent.atomic.AtomicBoolean finished, String... args) {
        if (finished.get()) {
            return;
        }
        io.kk.util.AtomicFiles.abandonInFlight();
        StringBuilder verb = new StringBuilder("kk");
        for (String a : args) {
            if (a.startsWith("-") || verb.chars().filter(c -> c == ' ').count() >= 2) {
                break;
            }
            verb.append(' ').append(a);
        }
        System.err.println();
        System.err.println("error: interrupted: " + verb + " stopped before it finished; steps already"
                + " reported done stay done, the step that was running may be half done on its host");
        System.err.println("hint: run the same command again to go on (kk checks each step's state and skips"
                + " what is done; a file kk writes appears whole or not at all)");
        System.err.flush();
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
        return configure(CommandTree.forArgs(new CommandFactory(console), args), console, out, err)
                .execute(args);
    }

    /** kk's settings on a tree from {@link CommandTree}: streams, error handling, help options. */
    static CommandLine configure(CommandLine cli, Console console, PrintStream out, PrintStream err) {
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorHandler errors = new ErrorHandler(console);
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        withHelpEverywhere(cli);
        return cli;
    }
}
