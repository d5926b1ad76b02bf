package io.kk.cli;

import picocli.CommandLine.Option;

/** Options every kk command takes. Mixed into each command with {@code @Mixin}. */
public final class GlobalOptions {
    private final Console console;

    public GlobalOptions(Console console) {
        this.console = console;
    }

    @Option(names = "--debug", description = "Print debug logs and stack traces.")
    void setDebug(boolean debug) {
        console.setDebug(debug);
    }

    @Option(
            names = "--output",
            paramLabel = "text|json",
            description = "Output format of the result: text (default) or json.")
    void setOutput(Console.Output output) {
        console.setOutput(output);
    }
}
