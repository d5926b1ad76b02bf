package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.etcd.EtcdFiles;
import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.node.DeleteNodePlan;
import io.kk.cluster.node.DeleteNodeRequest;
import io.kk.cluster.node.PlanOrder;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.event.EventSink;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanReport;
import java.time.Duration;

/**
 * {@code kk delete node NAME}: refuses what would break the cluster (last control plane, last etcd
 * member, lost etcd quorum), then drains the node, removes its etcd member, resets it and deletes
 * the node object.
 */
public final class DeleteNode {
    private DeleteNode() {}

    /** @param drainTimeout how long the drain may take before kk reports the pods that stayed */
    public record Request(ClusterConfig config, String node, Duration drainTimeout, HostRunOptions options) {}

    public static PlanOrder preview(Request r) {
        return PlanOrder.of(pipeline(r), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        Pipeline p = pipeline(r);
        return HostRuns.run(r.config(), p, ClusterHosts.inventory(r.config()), r.options(), events);
    }

    static Pipeline pipeline(Request r) {
        return DeleteNodePlan.pipeline(request(r));
    }

    static DeleteNodeRequest request(Request r) {
        ClusterConfig c = r.config();
        Inventory inv = ClusterHosts.inventory(c);
        EtcdConfig e = c.etcd();
        EtcdFiles.EtcdSettings d = EtcdFiles.EtcdSettings.defaults();
        String socket = ContainerRuntime.fromConfig(c.kubernetes().containerManager())
                .criSocket(KubeVersion.parse(c.kubernetes().version()));
        String backupDir =
                e.backupScript() == null || e.backupScript().isBlank() ? d.backupScriptDir() : e.backupScript();
        return new DeleteNodeRequest(
                inv,
                r.node(),
                socket,
                e.type() == EtcdConfig.Type.KUBEKEY,
                e.port() > 0 ? e.port() : d.port(),
                e.dataDir() == null || e.dataDir().isBlank() ? d.dataDir() : e.dataDir(),
                backupDir + "/etcd-backup.sh",
                r.drainTimeout());
    }
}
