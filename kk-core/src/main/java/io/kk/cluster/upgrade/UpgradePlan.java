package io.kk.cluster.upgrade;

import io.kk.cluster.install.FileInstall;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.node.Kubectl;
import io.kk.cluster.node.NodeGuard;
import io.kk.cluster.node.NodeStatus;
import io.kk.cluster.node.NodeSteps;
import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The upgrade pipeline: a preflight on the cluster's real state, then one module per node in
 * {@link UpgradeRequest#order()}. The first control plane runs {@code kubeadm upgrade apply}, the
 * other control planes and the workers {@code kubeadm upgrade node}; workers are drained before
 * and uncordoned after; every node ends with a wait until it is Ready at the new version. The
 * engine stops at the first failing node; every step of a node whose kubelet already reports the
 * target version is skipped, so running again resumes at the node that failed.
 */
public final class UpgradePlan {
    static final Duration KUBEADM_TIMEOUT = Duration.ofMinutes(11);

    private UpgradePlan() {}

    public static Pipeline pipeline(UpgradeRequest r) {
        if (r.controlPlanes().isEmpty()) {
            throw KkException.invalidInput("the config has no control plane", "check spec.roleGroups.control-plane");
        }
        Target kubectl = r.firstControlPlane();
        HostValues<List<NodeStatus>> state = new HostValues<>("cluster state");
        NodeGuard done = alreadyAt(r.target(), state, kubectl);
        List<Module> modules = new ArrayList<>();
        modules.add(Module.of(
                "preflight", Task.parallel("cluster state", HostSelector.named(kubectl.name()), preflight(r, state))));
        boolean first = true;
        for (Target node : r.controlPlanes()) {
            modules.add(controlPlane(r, node, kubectl, first, done));
            first = false;
        }
        for (Target node : r.workers()) {
            modules.add(worker(r, node, kubectl, done));
        }
        return new Pipeline("upgrade to " + r.target(), modules);
    }

    /** Skips every step of a node whose kubelet already runs the target version. */
    static NodeGuard alreadyAt(KubeVersion target, HostValues<List<NodeStatus>> state, Target kubectl) {
        return new NodeGuard(
                "skipped when the node's kubelet already reports " + target + " (read from the cluster)",
                node -> NodeStatus.find(state.get(kubectl), node.name())
                        .filter(s -> s.kubeletVersion().equals(target.text()))
                        .map(s -> node.name() + " is already at " + target + ": skipped"));
    }

    private static Module controlPlane(UpgradeRequest r, Target node, Target kubectl, boolean first, NodeGuard done) {
        HostSelector on = HostSelector.named(node.name());
        List<Action> steps = new ArrayList<>();
        steps.add(binary(r, "kubeadm", "/usr/local/bin/kubeadm"));
        if (first) {
            steps.add(NodeSteps.command("kubeadm config api", UpgradeCommands.migrateConfig(r.target())));
            steps.add(NodeSteps.longCommand(
                    "kubeadm upgrade apply", UpgradeCommands.apply(r.target(), r.etcdUpgrade()), KUBEADM_TIMEOUT));
            // kubeadm upgrade apply puts its own CoreDNS (and kube-dns Service) back: kk's cluster
            // settings are applied again on top, as KubeKey's ReconfigureCoreDNS does
            steps.addAll(r.afterApply());
        } else {
            steps.add(NodeSteps.longCommand("kubeadm upgrade node", UpgradeCommands.node(), KUBEADM_TIMEOUT));
        }
        steps.addAll(newKubelet(r));
        return new Module(
                "upgrade " + node.name(),
                List.of(
                        new Task(node.name() + " (control plane)", on, guardAll(done, node, steps), true),
                        Task.serial(
                                node.name() + " health",
                                HostSelector.named(kubectl.name()),
                                done.guard(
                                        node,
                                        NodeSteps.waitReady(node, r.target().text(), r.readyTimeout())))));
    }

    /** Every node's last steps, after kubeadm: the new kubelet and kubectl, kubelet's flags where the target needs them, a restart. */
    private static List<Action> newKubelet(UpgradeRequest r) {
        List<Action> steps = new ArrayList<>();
        steps.add(binary(r, "kubelet", "/usr/local/bin/kubelet"));
        steps.add(binary(r, "kubectl", "/usr/local/bin/kubectl"));
        if (KubeletFlags.applies(r.target())) {
            steps.add(KubeletFlags.action(r.criSocket()));
        }
        steps.add(NodeSteps.command("restart kubelet", UpgradeCommands.restartKubelet()));
        return steps;
    }

    private static Module worker(UpgradeRequest r, Target node, Target kubectl, NodeGuard done) {
        HostSelector on = HostSelector.named(node.name());
        HostSelector onKubectl = HostSelector.named(kubectl.name());
        List<Action> steps = new ArrayList<>(List.of(
                binary(r, "kubeadm", "/usr/local/bin/kubeadm"),
                NodeSteps.longCommand("kubeadm upgrade node", UpgradeCommands.node(), KUBEADM_TIMEOUT)));
        steps.addAll(newKubelet(r));
        return new Module(
                "upgrade " + node.name(),
                List.of(
                        Task.serial(
                                node.name() + " drain",
                                onKubectl,
                                done.guard(node, NodeSteps.cordonAndDrain(node, r.drainTimeout()))),
                        new Task(node.name() + " (worker)", on, guardAll(done, node, steps), true),
                        Task.serial(
                                node.name() + " health",
                                onKubectl,
                                done.guard(
                                        node,
                                        NodeSteps.waitReady(node, r.target().text(), r.readyTimeout())),
                                done.guard(node, NodeSteps.uncordon(node)))));
    }

    private static List<Action> guardAll(NodeGuard g, Target node, List<Action> steps) {
        return steps.stream().map(a -> g.guard(node, a)).toList();
    }

    /**
     * Reads every node from the cluster and refuses to start unless each config node is there,
     * Ready, and within one minor below the target (or at it).
     */
    static Action preflight(UpgradeRequest r, HostValues<List<NodeStatus>> state) {
        return Actions.of(
                "nodes ready, version skew",
                t -> List.of(
                        "$ " + Kubectl.getNodesJson(),
                        "# every node of the config in the cluster and Ready, none newer than " + r.target()
                                + " nor more than one minor older"),
                h -> {
                    List<NodeStatus> nodes = NodeStatus.parseList(
                            h.sudoOk(Kubectl.getNodesJson()).stdout());
                    check(r, nodes);
                    state.put(h.target(), nodes);
                    long left = r.order().stream()
                            .filter(t -> NodeStatus.find(nodes, t.name())
                                    .map(s -> !s.kubeletVersion()
                                            .equals(r.target().text()))
                                    .orElse(true))
                            .count();
                    return ActionResult.unchanged(left + " of " + r.order().size() + " nodes to upgrade");
                });
    }

    /** The preflight rule on the nodes kubectl reported. */
    public static void check(UpgradeRequest r, List<NodeStatus> nodes) {
        List<String> missing = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        for (Target t : r.order()) {
            Optional<NodeStatus> s = NodeStatus.find(nodes, t.name());
            if (s.isEmpty()) {
                missing.add(t.name());
                continue;
            }
            if (!s.get().ready()) {
                notReady.add(t.name() + " (" + s.get().kubeletVersion() + ")");
            }
            VersionSkew.check(t.name(), KubeVersion.parse(s.get().kubeletVersion()), r.target(), r.known());
        }
        List<String> dockershim = new ArrayList<>();
        if (KubeletFlags.applies(r.target())) {
            for (Target t : r.order()) {
                NodeStatus.find(nodes, t.name())
                        .filter(s -> s.containerRuntime().startsWith("docker://")
                                && KubeVersion.parse(s.kubeletVersion()).below(24))
                        .ifPresent(s -> dockershim.add(t.name()));
            }
        }
        if (!missing.isEmpty()) {
            throw KkException.environment(
                    "nodes of the config are not in the cluster: " + missing,
                    "join them first (kk add nodes), or take them out of the config");
        }
        if (!notReady.isEmpty()) {
            throw KkException.environment(
                    "nodes are not Ready: " + notReady + "; kk upgrades only a healthy cluster",
                    "fix them (kubectl describe node, journalctl -u kubelet on the node), then run kk upgrade again;"
                            + " nodes already at " + r.target() + " are skipped");
        }
        if (!dockershim.isEmpty()) {
            throw KkException.environment(
                    "nodes run docker through dockershim, which kubelet " + r.target() + " no longer has: "
                            + dockershim,
                    "move them to containerd first (kk alpha cri migrate --role all -f <config>), set"
                            + " containerManager: containerd in the config, then run kk upgrade again");
        }
    }

    /** The target version's binary for the host's arch, compared and installed when different. */
    static Action binary(UpgradeRequest r, String name, String remotePath) {
        return Actions.of(
                name + " " + r.target(),
                t -> List.of("install " + source(r, t, name) + " -> " + remotePath + " (when its sha256 differs)"),
                h -> {
                    Path src = source(r, h.target(), name);
                    return FileInstall.action(name, FileInstall.file(src, remotePath), null)
                            .apply(h);
                });
    }

    static Path source(UpgradeRequest r, Target t, String name) {
        UpgradeRequest.Binaries b = r.binaries().get(t.arch());
        if (b == null) {
            throw KkException.invalidInput(
                    "no Kubernetes " + r.target() + " binaries for " + t.arch() + " (" + t.name() + ")",
                    "give an artifact holding kube/" + r.target() + "/" + t.arch());
        }
        return switch (name) {
            case "kubeadm" -> b.kubeadm();
            case "kubelet" -> b.kubelet();
            default -> b.kubectl();
        };
    }
}
