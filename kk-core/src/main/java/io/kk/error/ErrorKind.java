package io.kk.error;

/** The kinds of failure, each with the process exit code the CLI uses for it. */
public enum ErrorKind {
    /** An operation ran and failed. */
    FAILED(1),
    /** A config, manifest, flag or file given by the user is wrong. */
    INVALID_INPUT(2),
    /** The environment is not fit (precheck, unreachable host, missing tool, disk). */
    ENVIRONMENT(3),
    /** A bug in kk. */
    INTERNAL(4);

    private final int exitCode;

    ErrorKind(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
