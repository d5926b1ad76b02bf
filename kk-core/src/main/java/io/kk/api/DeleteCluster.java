package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.cleanup.CleanupPlan;
import io.kk.cluster.cleanup.CleanupRequest;
import io.kk.cluster.etcd.EtcdFiles;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.config.Host;
import io.kk.event.EventSink;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk delete cluster}: everything kk installed removed from the cluster's hosts (and, with
 * {@code --all}, from the registry host); the data dirs only when {@code deleteData}. A second run
 * finds nothing to do.
 */
public final class DeleteCluster {
    private DeleteCluster() {}

    /**
     * @param all {@code --all}: the registry host too
     * @param deleteData remove the data dirs (the user confirmed, or {@code --yes})
     */
    public record Request(ClusterConfig config, boolean all, boolean deleteData, HostRunOptions options) {}

    public static PlanPreview preview(Request r) {
        return PlanPreview.of(pipeline(r), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        Inventory inv = ClusterHosts.inventory(r.config());
        return HostRuns.run(r.config(), pipeline(r), inv, r.options(), events);
    }

    public static Pipeline pipeline(Request r) {
        return new Pipeline("delete cluster", CleanupPlan.modules(cleanupRequest(r)));
    }

    /** The data dirs on cluster hosts (and the registry's, with --all), for the confirmation. */
    public static List<String> dataDirs(Request r) {
        CleanupRequest c = cleanupRequest(r);
        List<String> out = new ArrayList<>(c.dataDirs());
        if (r.all() && !c.registryHost().isEmpty()) {
            out.add(c.registryDataDir() + " (on " + c.registryHost() + ")");
        }
        return out;
    }

    static CleanupRequest cleanupRequest(Request r) {
        ClusterConfig c = r.config();
        EtcdConfig e = c.etcd();
        EtcdFiles.EtcdSettings d = EtcdFiles.EtcdSettings.defaults();
        List<String> data = new ArrayList<>();
        data.add(blank(e.dataDir()) ? d.dataDir() : e.dataDir());
        data.add(blank(e.backupDir()) ? d.backupDir() : e.backupDir());
        String root = c.registry().dataRoot();
        if (!blank(root)) {
            data.add(root);
        }
        for (String dir : List.of(
                "/var/lib/containerd",
                "/var/lib/docker",
                "/var/lib/kubelet",
                "/var/lib/dockershim",
                "/var/log/pods",
                "/var/log/containers",
                // persistent volumes KubeKey's delete removes unasked: OpenEBS local PV's default
                // base path and rook's; kk asks first, as for every data dir
                c.storage().openebsBasePath() == null
                                || c.storage().openebsBasePath().isBlank()
                        ? "/var/openebs"
                        : c.storage().openebsBasePath(),
                "/var/lib/rook")) {
            if (!data.contains(dir)) {
                data.add(dir);
            }
        }
        String registryData = blank(c.registry().registryDataDir())
                ? RegistryFiles.DEFAULT_DATA_DIR
                : c.registry().registryDataDir();
        return new CleanupRequest(
                c.registryHost().map(Host::name).orElse(""),
                r.all(),
                r.deleteData(),
                data,
                registryData,
                blank(e.backupScript()) ? d.backupScriptDir() : e.backupScript());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
