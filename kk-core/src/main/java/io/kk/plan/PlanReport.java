package io.kk.plan;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The end of a run: one summary per host in inventory order.
 *
 * @param completed true when every task ran (false when a failure stopped the pipeline early)
 */
public record PlanReport(String pipeline, List<HostSummary> hosts, boolean completed) {
    public PlanReport {
        hosts = List.copyOf(hosts);
    }

    public boolean ok() {
        return completed && hosts.stream().noneMatch(HostSummary::failed);
    }

    public List<HostSummary> failedHosts() {
        return hosts.stream().filter(HostSummary::failed).toList();
    }

    public int total(Outcome outcome) {
        return hosts.stream()
                .mapToInt(h -> switch (outcome) {
                    case CHANGED -> h.changed();
                    case UNCHANGED -> h.unchanged();
                    case SKIPPED -> h.skipped();
                    case FAILED -> h.failed() ? 1 : 0;
                })
                .sum();
    }

    /**
     * The exit kind of the run: ENVIRONMENT when every failure was the environment's (unreachable
     * host, precheck), INTERNAL when any was a bug, FAILED otherwise.
     */
    public ErrorKind kind() {
        List<ErrorKind> kinds = failedHosts().stream()
                .map(h -> h.failure().orElseThrow().kind())
                .toList();
        if (kinds.contains(ErrorKind.INTERNAL)) {
            return ErrorKind.INTERNAL;
        }
        if (!kinds.isEmpty() && kinds.stream().allMatch(k -> k == ErrorKind.ENVIRONMENT)) {
            return ErrorKind.ENVIRONMENT;
        }
        return ErrorKind.FAILED;
    }

    /** Throws a KkException naming every failed host, where and why, unless the run was ok. */
    public PlanReport orThrow() {
        if (ok()) {
            return this;
        }
        String detail = failedHosts().stream()
                .map(h -> {
                    HostSummary.Failure f = h.failure().orElseThrow();
                    return "  " + h.host() + ": " + f.task() + " / " + f.action() + ": " + firstLine(f.message());
                })
                .collect(Collectors.joining("\n"));
        String hint = failedHosts().stream()
                .map(h -> h.failure().orElseThrow().hint())
                .filter(s -> !s.isBlank())
                .findFirst()
                .orElse("fix the cause and run the command again; finished steps are skipped");
        throw new KkException(
                kind(),
                pipeline + " failed on " + failedHosts().size() + " of " + hosts.size() + " hosts:\n" + detail,
                hint);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
