package io.kk.cluster.upgrade;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.plan.Action;
import io.kk.plan.Inventory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code kk upgrade} works with, resolved from config and artifact beforehand.
 *
 * @param inventory every host of the config
 * @param target the version to upgrade to
 * @param binaries per arch, the target version's kubeadm, kubelet and kubectl on the control
 *     machine
 * @param etcdUpgrade let kubeadm upgrade etcd (only when kubeadm runs etcd as static pods)
 * @param known the Kubernetes versions kk knows, for the skew hint
 * @param drainTimeout how long a worker's drain may take
 * @param readyTimeout how long a node may take to be Ready at the new version
 * @param criSocket the CRI endpoint kubelet uses at the target version (written into kubeadm's
 *     kubelet flags from 1.24 on)
 */
public record UpgradeRequest(
        Inventory inventory,
        KubeVersion target,
        Map<String, Binaries> binaries,
        boolean etcdUpgrade,
        List<String> known,
        Duration drainTimeout,
        Duration readyTimeout,
        String criSocket,
        List<Action> afterApply) {

    /** The three binaries of one arch. */
    public record Binaries(Path kubeadm, Path kubelet, Path kubectl) {}

    public UpgradeRequest {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(target, "target");
        binaries = Map.copyOf(binaries);
        known = List.copyOf(known);
        criSocket = criSocket == null ? "" : criSocket;
        afterApply = afterApply == null ? List.of() : List.copyOf(afterApply);
    }

    public UpgradeRequest(
            Inventory inventory,
            KubeVersion target,
            Map<String, Binaries> binaries,
            boolean etcdUpgrade,
            List<String> known,
            Duration drainTimeout,
            Duration readyTimeout,
            String criSocket) {
        this(inventory, target, binaries, etcdUpgrade, known, drainTimeout, readyTimeout, criSocket, List.of());
    }

    public List<Target> controlPlanes() {
        return inventory.select(t -> t.has(Role.CONTROL_PLANE));
    }

    /** Workers that are not control planes (those are upgraded with the control planes). */
    public List<Target> workers() {
        return inventory.select(t -> t.has(Role.WORKER) && !t.has(Role.CONTROL_PLANE));
    }

    /** The order nodes are upgraded in: control planes, then workers, each in config order. */
    public List<Target> order() {
        return java.util.stream.Stream.concat(controlPlanes().stream(), workers().stream())
                .toList();
    }

    public Target firstControlPlane() {
        return controlPlanes().get(0);
    }
}
