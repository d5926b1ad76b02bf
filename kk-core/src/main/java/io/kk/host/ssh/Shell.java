package io.kk.host.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command lines kk sends: quoting, the process-group wrapper, sudo. */
final class Shell {
    /** Written to stderr by the wrapper before the script starts, then removed from what we return. */
    static final String PGID_MARK = "__kk_pgid__=";

    private static final Pattern PGID_LINE = Pattern.compile("(?m)^" + PGID_MARK + "(\\d+)\\n");

    private Shell() {}

    /** Single-quotes a word for POSIX shells. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * The line that runs {@code script} with bash in a session (and so process group) of its own
     * whose id it reports on stderr first, so a timeout can end the whole group, children included.
     * {@code setsid -w} forks only when it is already a group leader and then waits for the child.
     */
    static String wrap(String script, boolean viaSudo) {
        String inner = "echo " + PGID_MARK + "$$ >&2; exec /bin/bash -c " + quote(script);
        String grouped = "setsid -w /bin/bash -c " + quote(inner);
        // -k: never use cached sudo credentials, so sudo reads the password line every time it needs
        // one and that line can never reach the command's stdin.
        return viaSudo ? "sudo -k -S -p '' " + grouped : "exec " + grouped;
    }

    /** A plain line for kk's own helper commands (probes, kill). */
    static String plain(String script, boolean viaSudo) {
        return viaSudo ? "sudo -k -S -p '' /bin/bash -c " + quote(script) : "exec /bin/bash -c " + quote(script);
    }

    /** The process group the wrapper reported, or -1 when it has not yet said. */
    static long pgid(String stderr) {
        Matcher m = PGID_LINE.matcher(stderr);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** stderr without the wrapper's marker line. */
    static String stripMark(String stderr) {
        return PGID_LINE.matcher(stderr).replaceFirst("");
    }

    /** Kills a process group: TERM, a short grace, then KILL. */
    static String killGroup(long pgid) {
        String g = "-" + pgid;
        return "kill -TERM -- " + g + " 2>/dev/null || exit 0; for i in $(seq 1 30); do kill -0 -- " + g
                + " 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL -- " + g + " 2>/dev/null; exit 0";
    }
}
