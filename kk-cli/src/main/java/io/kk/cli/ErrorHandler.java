package io.kk.cli;

import io.kk.error.ErrorKind;
import io.kk.error.InvalidInputException;
import io.kk.error.KkException;
import io.kk.error.Problem;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns exceptions into messages with hints and exit codes; stack traces only with --debug. */
final class ErrorHandler implements IExecutionExceptionHandler {
    private final Console console;

    ErrorHandler(Console console) {
        this.console = console;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof KkException kk) {
            if (kk instanceof InvalidInputException invalid) {
                for (Problem p : invalid.problems()) {
                    console.problem(p);
                }
            }
            console.err().println("error: " + kk.getMessage());
            if (!kk.hint().isEmpty()) {
                console.err().println("hint: " + kk.hint());
            }
            if (console.debug()) {
                kk.printStackTrace(console.err());
            }
            return kk.kind().exitCode();
        }
        console.err().println("error: internal error: " + ex);
        console.err().println("hint: this is a bug in kk; rerun with --debug and report the stack trace");
        if (console.debug()) {
            ex.printStackTrace(console.err());
        }
        return ErrorKind.INTERNAL.exitCode();
    }
}
