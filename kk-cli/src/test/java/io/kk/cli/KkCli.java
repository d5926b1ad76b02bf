package io.kk.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * kk run in-process through {@link Main#run}, as CLI tests drive it: what the runs printed to
 * stdout and stderr is kept, run after run, until {@link #reset}. {@link KkRun#of} is one run.
 */
final class KkCli {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs kk with {@code args}; returns its exit code. */
    int run(String... args) {
        return Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    /** What the runs since the last {@link #reset} printed to stdout. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the runs since the last {@link #reset} printed to stderr. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void reset() {
        out.reset();
        err.reset();
    }
}
