package io.kk.cli;

import io.kk.plan.HostSummary;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders plan events as readable progress lines on stderr ({@code [node1] configure os / kernel:
 * sysctl ... changed (0.4s)}) and, at the end, a summary table with one row per host naming where
 * and why a host failed.
 */
final class PlanRenderer {
    private final PrintStream err;

    PlanRenderer(PrintStream err) {
        this.err = err;
    }

    synchronized void render(PlanEvent event) {
        if (event instanceof PlanEvent.PlanStarted s) {
            err.println(s.pipeline() + ": " + s.hosts().size() + " hosts, " + s.tasks() + " tasks");
        } else if (event instanceof PlanEvent.TaskStarted t) {
            err.println("== " + t.module() + " / " + t.task() + (t.serial() ? " (one host at a time)" : "") + ": "
                    + String.join(", ", t.hosts()));
        } else if (event instanceof PlanEvent.ActionDone d) {
            err.println("[" + d.host() + "] " + d.module() + " / " + d.task() + ": " + d.action() + " ... "
                    + d.outcome().label() + " (" + seconds(d.took()) + ")"
                    + (d.detail().isBlank() ? "" : " " + d.detail()));
        } else if (event instanceof PlanEvent.ActionOutput o) {
            o.text().strip().lines().forEach(l -> err.println("[" + o.host() + "]   | " + l));
        } else if (event instanceof PlanEvent.HostFailed f) {
            err.println("[" + f.host() + "] FAILED at " + f.module() + " / " + f.task() + " / " + f.action() + ":");
            f.message().strip().lines().forEach(l -> err.println("[" + f.host() + "]   " + l));
            if (!f.hint().isBlank()) {
                err.println("[" + f.host() + "]   hint: " + f.hint());
            }
        } else if (event instanceof PlanEvent.PlanFinished p) {
            summary(p.report());
        }
    }

    private void summary(PlanReport r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "CHANGED", "UNCHANGED", "SKIPPED", "RESULT"});
        for (HostSummary h : r.hosts()) {
            String result = h.failure()
                    .map(f -> "failed at " + f.task() + " / " + f.action() + ": " + firstLine(f.message()))
                    .orElse(r.completed() ? "ok" : "stopped");
            rows.add(new String[] {h.host(), "" + h.changed(), "" + h.unchanged(), "" + h.skipped(), result});
        }
        int[] width = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        err.println();
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
            }
            err.println(sb.append(row[4]).toString().stripTrailing());
        }
        int failed = r.failedHosts().size();
        err.println(r.pipeline() + ": "
                + (r.ok()
                        ? "done, " + r.total(io.kk.plan.Outcome.CHANGED) + " changes"
                        : failed == 0
                                ? "stopped"
                                : "failed on " + failed + " of " + r.hosts().size() + " hosts"));
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
