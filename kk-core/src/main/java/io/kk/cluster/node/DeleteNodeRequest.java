package io.kk.cluster.node;

import io.kk.cluster.etcd.Etcdctl;
import io.kk.plan.Inventory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@code kk delete node} works with, resolved from the config beforehand.
 *
 * @param inventory every host of the config, the node among them
 * @param node the host name of the node to delete
 * @param criSocket the CRI endpoint for {@code kubeadm reset} ("" to let kubeadm find it)
 * @param etcdKubekey etcd type kubekey: kk runs etcd on the etcd hosts, so a member is removed
 * @param etcdPort etcd's client port
 * @param etcdDataDir etcd's data dir, removed from the node
 * @param etcdBackupScript the backup script kk installed, removed from the node
 * @param drainTimeout how long the drain may take before kk reports the pods that stayed
 */
public record DeleteNodeRequest(
        Inventory inventory,
        String node,
        String criSocket,
        boolean etcdKubekey,
        int etcdPort,
        String etcdDataDir,
        String etcdBackupScript,
        Duration drainTimeout) {

    public DeleteNodeRequest {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(node, "node");
        criSocket = criSocket == null ? "" : criSocket;
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    public Target target() {
        return inventory.find(node).orElseThrow();
    }

    /** The etcd members kk runs (empty unless etcd type kubekey), in config order. */
    public List<Target> etcdMembers() {
        return etcdKubekey ? inventory.select(t -> t.has(Role.ETCD)) : List.of();
    }

    public boolean removesEtcdMember() {
        return etcdMembers().stream().anyMatch(t -> t.name().equals(node));
    }

    public String etcdEndpoint(Target t) {
        return Etcdctl.endpoint(t.internalAddress(), etcdPort);
    }
}
