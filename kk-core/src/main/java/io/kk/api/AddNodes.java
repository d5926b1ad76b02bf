package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.create.Phase;
import io.kk.config.ClusterConfig;
import io.kk.download.DownloadSource;
import io.kk.event.EventSink;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostSummary;
import io.kk.plan.HostValues;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanEvent;
import io.kk.plan.PlanReport;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code kk add nodes}: the create-cluster pipeline without {@code init}, on every host of the
 * config. Each of its steps compares before it acts, so a host already in the cluster only gets
 * what it lacks (nothing restarted when nothing changed) and a new host gets OS prep, runtime,
 * binaries and (once kubeadm is there) its join. Each host is reported as new or existing, with
 * the steps that changed it.
 */
public final class AddNodes {
    private AddNodes() {}

    /** The files that show kk already set a host up (any of them). */
    static final String SET_UP = "for f in /etc/systemd/system/containerd.service /etc/systemd/system/docker.service"
            + " /etc/systemd/system/etcd.service /etc/systemd/system/registry.service /etc/kubernetes/kubelet.conf;"
            + " do test -e \"$f\" && echo \"$f\"; done; true";

    public record Request(
            ClusterConfig config,
            Path configDir,
            Path artifact,
            Path workDir,
            DownloadSource download,
            HostRunOptions options) {}

    /**
     * How one host fared.
     *
     * @param existing kk had set it up before this run
     * @param changes the steps that changed it, {@code module / task / action}
     */
    public record HostResult(
            String host, boolean existing, int changed, int unchanged, List<String> changes, String failure) {}

    public record Result(CreateCluster.Result create, List<HostResult> hosts) {}

    /** Every create-cluster phase but init, in order. */
    public static List<Phase> phases() {
        return Phase.all().stream().filter(p -> p != Phase.INIT).toList();
    }

    public static CreateCluster.Request createRequest(Request r) {
        return new CreateCluster.Request(
                r.config(), r.configDir(), r.artifact(), r.workDir(), r.download(), phases(), "add nodes", r.options());
    }

    public static CreateCluster.Preview preview(Request r) {
        return CreateCluster.preview(createRequest(r));
    }

    public static CreateCluster.Plan plan(Request r) {
        return CreateCluster.plan(createRequest(r));
    }

    public static Result run(Request r, EventSink events) {
        Map<String, Boolean> existing = probe(r, events);
        Map<String, List<String>> changes = new ConcurrentHashMap<>();
        EventSink recording = e -> {
            if (e instanceof PlanEvent.ActionDone d && d.outcome() == Outcome.CHANGED) {
                changes.computeIfAbsent(d.host(), h -> new CopyOnWriteArrayList<>())
                        .add(d.module() + " / " + d.task() + " / " + d.action());
            }
            events.emit(e);
        };
        CreateCluster.Result result = CreateCluster.run(createRequest(r), recording);
        List<HostResult> hosts = new ArrayList<>();
        for (HostSummary h : result.report().hosts()) {
            hosts.add(new HostResult(
                    h.host(),
                    existing.getOrDefault(h.host(), false),
                    h.changed(),
                    h.unchanged(),
                    List.copyOf(changes.getOrDefault(h.host(), List.of())),
                    h.failure()
                            .map(f -> f.task() + " / " + f.action() + ": " + f.message())
                            .orElse("")));
        }
        return new Result(result, hosts);
    }

    /** Which hosts kk had set up before this run (an unreachable host counts as new; the run names it). */
    static Map<String, Boolean> probe(Request r, EventSink events) {
        HostValues<Boolean> setUp = new HostValues<>("set up by kk");
        Module m = Module.of(
                "cluster membership",
                Task.parallel(
                        "set up before",
                        HostSelector.all(),
                        Actions.of("kk's services", t -> List.of("$ " + SET_UP), h -> {
                            boolean found = !h.sudoOk(SET_UP).stdout().isBlank();
                            setUp.put(h.target(), found);
                            return ActionResult.unchanged(found ? "in the cluster" : "new");
                        })));
        Inventory inv = ClusterHosts.inventory(r.config());
        PlanReport report = HostRuns.run(
                r.config(), new Pipeline("add nodes: which hosts are new", List.of(m)), inv, r.options(), events);
        Map<String, Boolean> out = new ConcurrentHashMap<>();
        report.hosts()
                .forEach(h -> out.put(
                        h.host(), setUp.find(inv.find(h.host()).orElseThrow()).orElse(false)));
        return out;
    }
}
