package io.kk.error;

import java.util.Objects;

/**
 * One thing wrong (or doubtful) in a file the user wrote: where it is (file, line, YAML path),
 * what is wrong, and how to fix it.
 *
 * @param severity error or warning
 * @param file the file, as the user named it; empty for input without a file
 * @param line 1-based line, 0 when unknown
 * @param path YAML path such as {@code spec.hosts[2].address}; empty for the whole document
 * @param message what is wrong
 * @param hint how to fix it; may be empty
 */
public record Problem(Severity severity, String file, int line, String path, String message, String hint) {
    public enum Severity {
        ERROR,
        WARNING
    }

    public Problem {
        Objects.requireNonNull(severity, "severity");
        file = file == null ? "" : file;
        path = path == null ? "" : path;
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: path: message (hint: ...)}, the form editors and CI logs understand. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (!file.isEmpty()) {
            b.append(file);
            if (line > 0) {
                b.append(':').append(line);
            }
            b.append(": ");
        }
        if (severity == Severity.WARNING) {
            b.append("warning: ");
        }
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        b.append(message);
        if (!hint.isEmpty()) {
            b.append(" (hint: ").append(hint).append(')');
        }
        return b.toString();
    }
}
