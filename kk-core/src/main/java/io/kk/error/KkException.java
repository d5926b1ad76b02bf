package io.kk.error;

import java.util.Objects;

/**
 * The one exception family of kk. Every failure the user can act on carries a message (what went
 * wrong) and a hint (what to do about it); the CLI maps {@link #kind()} to an exit code and prints
 * no stack trace unless asked to.
 */
public class KkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String hint;

    public KkException(ErrorKind kind, String message, String hint) {
        this(kind, message, hint, null);
    }

    public KkException(ErrorKind kind, String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.hint = hint == null ? "" : hint;
    }

    /** Bad input: a config, manifest, flag or file the user gave us is wrong. */
    public static KkException invalidInput(String message, String hint) {
        return new KkException(ErrorKind.INVALID_INPUT, message, hint);
    }

    /** The environment is not fit: a host unreachable, a precheck failed, disk full. */
    public static KkException environment(String message, String hint) {
        return new KkException(ErrorKind.ENVIRONMENT, message, hint);
    }

    public static KkException environment(String message, String hint, Throwable cause) {
        return new KkException(ErrorKind.ENVIRONMENT, message, hint, cause);
    }

    /** An operation ran and failed (a remote command, a download, a push). */
    public static KkException failed(String message, String hint) {
        return new KkException(ErrorKind.FAILED, message, hint);
    }

    public static KkException failed(String message, String hint, Throwable cause) {
        return new KkException(ErrorKind.FAILED, message, hint, cause);
    }

    /** A bug in kk: should never happen. */
    public static KkException internal(String message, Throwable cause) {
        return new KkException(
                ErrorKind.INTERNAL, message, "this is a bug in kk; rerun with --debug and report it", cause);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** What the user can do about it; empty when there is nothing useful to say. */
    public String hint() {
        return hint;
    }
}
