package io.kk.host;

import io.kk.error.KkException;
import java.time.Duration;

/** What a remote command did. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration took) {
    public boolean ok() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the command succeeded, else throws a FAILED KkException naming the
     * host, the action and the command's stderr (last lines).
     */
    public CommandResult orThrow(String host, String action) {
        if (ok()) {
            return this;
        }
        String tail = stderr.isBlank() ? stdout : stderr;
        String[] lines = tail.strip().split("\n");
        int from = Math.max(0, lines.length - 5);
        String last = String.join("\n  ", java.util.Arrays.copyOfRange(lines, from, lines.length));
        throw KkException.failed(
                host + ": " + action + " failed (exit " + exitCode + ")" + (last.isBlank() ? "" : ":\n  " + last),
                "run with --debug to see the full command output");
    }
}
