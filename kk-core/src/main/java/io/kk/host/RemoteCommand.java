package io.kk.host;

import java.time.Duration;
import java.util.Objects;

/**
 * A shell command for a remote host.
 *
 * @param script run by {@code /bin/bash -c}; quoting is the caller's job
 * @param sudo run as root (through sudo when the login user is not root)
 * @param timeout how long it may run; the remote process is killed after it
 * @param stdin bytes fed to the command's stdin (may be empty); never logged
 * @param sensitive true when the script itself holds a secret, so it must not be logged
 */
public record RemoteCommand(String script, boolean sudo, Duration timeout, String stdin, boolean sensitive) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public RemoteCommand {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(timeout, "timeout");
        stdin = stdin == null ? "" : stdin;
    }

    /** A root command with the default timeout. */
    public static RemoteCommand sudo(String script) {
        return new RemoteCommand(script, true, DEFAULT_TIMEOUT, "", false);
    }

    /** A command as the login user with the default timeout. */
    public static RemoteCommand plain(String script) {
        return new RemoteCommand(script, false, DEFAULT_TIMEOUT, "", false);
    }

    public RemoteCommand withTimeout(Duration t) {
        return new RemoteCommand(script, sudo, t, stdin, sensitive);
    }

    public RemoteCommand withStdin(String in) {
        return new RemoteCommand(script, sudo, timeout, in, sensitive);
    }

    @Override
    public String toString() {
        return sensitive ? "RemoteCommand[<sensitive>]" : "RemoteCommand[" + script + "]";
    }
}
