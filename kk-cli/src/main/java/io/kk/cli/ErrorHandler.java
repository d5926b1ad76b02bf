package io.kk.cli;

import io.kk.error.ErrorKind;
import io.kk.error.FileErrors;
import io.kk.error.InvalidInputException;
import io.kk.error.KkException;
import io.kk.error.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns exceptions into messages with hints and exit codes; stack traces only with --debug. Every
 * failure, a bad flag as much as a failed run, is said the same way: {@code error: ...} then
 * {@code hint: ...} on stderr, and with {@code --output json} also one JSON document on stdout
 * ({@code {"ok": false, "error": {...}}}) unless the command already printed its result there.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final Console console;

    ErrorHandler(Console console) {
        this.console = console;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        KkException kk = asKk(ex);
        if (kk == null) {
            // a bug: no Java class names for the user, the trace with --debug
            String m = ex.getMessage();
            console.err().println("error: internal error in kk" + (m == null || m.isBlank() ? "" : ": " + m));
            String hint = "this is a bug in kk; rerun with --debug and report the stack trace";
            console.err().println("hint: " + hint);
            if (console.debug()) {
                ex.printStackTrace(console.err());
            }
            printJson(ErrorKind.INTERNAL, "internal error in kk", hint, List.of(), List.of());
            return ErrorKind.INTERNAL.exitCode();
        }
        List<Problem> problems = kk instanceof InvalidInputException invalid ? invalid.problems() : List.of();
        for (Problem p : problems) {
            console.problem(p);
        }
        console.err().println("error: " + kk.getMessage());
        if (!kk.hint().isEmpty()) {
            console.err().println("hint: " + kk.hint());
        }
        if (console.debug()) {
            kk.printStackTrace(console.err());
        }
        printJson(kk.kind(), kk.getMessage(), kk.hint(), problems, List.of());
        return kk.kind().exitCode();
    }

    /** The exception as kk's own; an I/O failure nobody mapped still gets words; null for a bug. */
    private static KkException asKk(Throwable ex) {
        if (ex instanceof KkException kk) {
            return kk;
        }
        if (ex instanceof UncheckedIOException u) {
            return FileErrors.unexpected(u);
        }
        if (ex instanceof IOException io) {
            return FileErrors.unexpected(io);
        }
        return null;
    }

    /**
     * A bad command line: the error, picocli's "did you mean" suggestions, and where the usage is;
     * not the whole usage text, which scrolled the error out of sight. Only a missing verb (kk, kk
     * create) prints the usage, as that is what the user asked to see.
     */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        int exit = cmd.getCommandSpec().exitCodeOnInvalidInput();
        String name = cmd.getCommandSpec().qualifiedName();
        boolean missingVerb = String.valueOf(ex.getMessage()).startsWith("Missing required subcommand");
        boolean wrongVerb = !cmd.getSubcommands().isEmpty()
                && ex instanceof UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-");
        if (missingVerb) {
            cmd.usage(console.err());
        }
        console.err().println("error: " + ex.getMessage());
        List<String> suggestions = ex instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        if (ex instanceof UnmatchedArgumentException u) {
            PrintWriter w = new PrintWriter(console.err(), true, StandardCharsets.UTF_8);
            UnmatchedArgumentException.printSuggestions(u, w);
            w.flush();
        }
        String hint = "run '" + name + " --help' for the " + (missingVerb || wrongVerb ? "commands" : "options")
                + " it takes";
        console.err().println("hint: " + hint); // no trace even with --debug: it would show picocli, not kk
        if (jsonAsked(args)) {
            console.setOutput(Console.Output.JSON);
        }
        printJson(ErrorKind.INVALID_INPUT, ex.getMessage(), hint, List.of(), suggestions);
        return exit;
    }

    /** --output json anywhere on the line: a parse error may come before picocli reached it. */
    private static boolean jsonAsked(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equalsIgnoreCase("--output=json")
                    || (args[i].equals("--output") && i + 1 < args.length && args[i + 1].equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }

    private void printJson(
            ErrorKind kind, String message, String hint, List<Problem> problems, List<String> suggestions) {
        if (!console.json() || console.resultPrinted()) {
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        error.put("exitCode", kind.exitCode());
        error.put("message", message);
        error.put("hint", hint);
        if (!problems.isEmpty()) {
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Problem p : problems) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
                m.put("file", p.file());
                m.put("line", p.line());
                m.put("path", p.path());
                m.put("message", p.message());
                m.put("hint", p.hint());
                ps.add(m);
            }
            error.put("problems", ps);
        }
        if (!suggestions.isEmpty()) {
            error.put("suggestions", suggestions);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", false);
        doc.put("error", error);
        console.result(doc);
    }
}
