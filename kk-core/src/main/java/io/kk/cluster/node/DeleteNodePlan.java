package io.kk.cluster.node;

import io.kk.cluster.etcd.EtcdCertificates;
import io.kk.cluster.etcd.EtcdFiles;
import io.kk.cluster.etcd.Etcdctl;
import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.Role;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kk delete node NAME}: refuse what would break the cluster (the last control plane, the
 * last etcd member, a removal that loses etcd quorum), then cordon and drain it, remove its etcd
 * member (etcd type kubekey), {@code kubeadm reset} it, remove kk's units and files from it, and
 * delete the node object. kubectl runs on another control plane, etcdctl on another member.
 */
public final class DeleteNodePlan {
    static final String KUBEADM = "/usr/local/bin/kubeadm";

    private static final Pattern HEALTH = Pattern.compile("(?m)^(https?://\\S+?) is (healthy|unhealthy)");

    private DeleteNodePlan() {}

    /**
     * Checks what can be checked from the config alone.
     *
     * @throws KkException (INVALID_INPUT) with a hint when the node is unknown or the last one of
     *     its kind
     */
    public static void check(DeleteNodeRequest r) {
        Optional<Target> t = r.inventory().find(r.node());
        if (t.isEmpty()) {
            throw KkException.invalidInput(
                    "no host named '" + r.node() + "' in the config",
                    "give the name of a host in spec.hosts (kk deletes only nodes the config describes)");
        }
        if (t.get().has(Role.CONTROL_PLANE) && kubectlHost(r).isEmpty()) {
            throw KkException.invalidInput(
                    r.node() + " is the last control plane: deleting it would leave no cluster",
                    "add another control plane first (kk add nodes), or delete the whole cluster (kk delete"
                            + " cluster)");
        }
        if (kubectlHost(r).isEmpty()) {
            throw KkException.invalidInput(
                    "the config has no control plane to run kubectl on", "check spec.roleGroups.control-plane");
        }
        if (r.removesEtcdMember()) {
            EtcdQuorum.checkRemoval(
                    r.etcdMembers().stream().map(Target::name).toList(),
                    r.node(),
                    // before the health probe: assume the others healthy; the probe checks for real
                    new HashSet<>(r.etcdMembers().stream().map(Target::name).toList()));
        }
    }

    /** The control plane kubectl runs on: the first one that is not the node. */
    public static Optional<Target> kubectlHost(DeleteNodeRequest r) {
        return r.inventory().select(HostSelector.role(Role.CONTROL_PLANE)).stream()
                .filter(t -> !t.name().equals(r.node()))
                .findFirst();
    }

    /** The member etcdctl runs on: the first one that is not the node. */
    static Optional<Target> etcdctlHost(DeleteNodeRequest r) {
        return r.etcdMembers().stream().filter(t -> !t.name().equals(r.node())).findFirst();
    }

    public static Pipeline pipeline(DeleteNodeRequest r) {
        check(r);
        Target node = r.target();
        Target kubectl = kubectlHost(r).orElseThrow();
        HostValues<Boolean> kubelet = new HostValues<>("kubelet presence");
        NodeGuard needsKubelet = NodeGuard.needsKubelet(kubelet);
        HostSelector onNode = HostSelector.named(node.name());
        HostSelector onKubectl = HostSelector.named(kubectl.name());

        List<Task> precheck = new ArrayList<>();
        precheck.add(Task.parallel("node facts", onNode, NodeSteps.kubeletProbe(kubelet)));
        Optional<Target> etcdctl = etcdctlHost(r);
        if (r.removesEtcdMember()) {
            precheck.add(Task.parallel(
                    "etcd quorum", HostSelector.named(etcdctl.orElseThrow().name()), quorumCheck(r)));
        }
        List<Module> modules = new ArrayList<>();
        modules.add(new Module("precheck", precheck));
        modules.add(Module.of(
                "drain",
                Task.serial(
                        "drain " + node.name(),
                        onKubectl,
                        needsKubelet.guard(node, NodeSteps.cordonAndDrain(node, r.drainTimeout())))));
        if (r.removesEtcdMember()) {
            // the apiservers stop using the member before it goes, one control plane at a time
            String endpoint = r.etcdEndpoint(node);
            modules.add(Module.of(
                    "etcd endpoints",
                    Task.serial(
                            "kube-apiserver --etcd-servers without " + endpoint,
                            HostSelector.role(Role.CONTROL_PLANE).butNot(onNode),
                            EtcdEndpoints.onControlPlane(endpoint)),
                    Task.serial(
                            "kubeadm-config without " + endpoint,
                            onKubectl,
                            EtcdEndpoints.inClusterConfiguration(endpoint))));
            modules.add(Module.of(
                    "etcd member",
                    Task.serial(
                            "remove etcd member " + EtcdFiles.memberName(node.name()),
                            HostSelector.named(etcdctl.orElseThrow().name()),
                            memberRemove(r))));
        }
        List<Action> reset = new ArrayList<>();
        reset.add(needsKubelet.guardSelf(NodeSteps.command(
                "kubeadm reset",
                "if [ -x " + KUBEADM + " ]; then " + KUBEADM + " reset -f"
                        + (r.criSocket().isEmpty() ? "" : " --cri-socket " + r.criSocket()) + "; fi")));
        reset.add(cleanup("kubernetes files", kubeCleanup(r)));
        if (r.removesEtcdMember()) {
            reset.add(cleanup("etcd files", etcdCleanup(r)));
        }
        modules.add(new Module("reset node", List.of(Task.parallel("reset " + node.name(), onNode, reset))));
        modules.add(Module.of(
                "node object",
                Task.serial(
                        "delete node " + node.name(),
                        onKubectl,
                        needsKubelet.guard(
                                node, NodeSteps.command("kubectl delete node", Kubectl.deleteNode(node.name()))))));
        return new Pipeline("delete node " + node.name(), modules);
    }

    static List<String> allEndpoints(DeleteNodeRequest r) {
        return r.etcdMembers().stream().map(r::etcdEndpoint).toList();
    }

    /** The members (host names) an {@code endpoint health} output calls healthy. */
    static Set<String> healthyMembers(DeleteNodeRequest r, String output) {
        Set<String> healthy = new HashSet<>();
        Matcher m = HEALTH.matcher(output);
        while (m.find()) {
            if (!m.group(2).equals("healthy")) {
                continue;
            }
            for (Target t : r.etcdMembers()) {
                if (r.etcdEndpoint(t).equals(m.group(1))) {
                    healthy.add(t.name());
                }
            }
        }
        return healthy;
    }

    static Action quorumCheck(DeleteNodeRequest r) {
        return Actions.of(
                "quorum",
                t -> List.of(
                        "$ " + Etcdctl.command(t.name(), allEndpoints(r)) + " endpoint health",
                        "# refuse when removing " + r.node() + " would leave fewer healthy members than a quorum"),
                h -> {
                    var out = h.sudo(Etcdctl.command(h.hostName(), allEndpoints(r)) + " endpoint health");
                    Set<String> healthy = healthyMembers(r, out.stdout() + "\n" + out.stderr());
                    EtcdQuorum.checkRemoval(
                            r.etcdMembers().stream().map(Target::name).toList(), r.node(), healthy);
                    return ActionResult.unchanged(
                            healthy.size() + " of " + r.etcdMembers().size() + " members healthy");
                });
    }

    /**
     * The member's id in {@code member list} output ({@code id, status, name, peer URLs, client
     * URLs, learner}), matched by name or, for a member that never started, by peer URL.
     */
    static Optional<String> memberId(String memberList, String memberName, String address) {
        for (String line : memberList.lines().toList()) {
            String[] f = line.split(",\\s*");
            if (f.length < 4) {
                continue;
            }
            boolean byName = f[2].strip().equals(memberName);
            boolean byPeer = f[3].strip().matches("https?://" + Pattern.quote(address) + ":\\d+");
            if (byName || byPeer) {
                return Optional.of(f[0].strip());
            }
        }
        return Optional.empty();
    }

    static Action memberRemove(DeleteNodeRequest r) {
        Target node = r.target();
        String name = EtcdFiles.memberName(node.name());
        return Actions.of(
                "member remove",
                t -> List.of(
                        "$ " + Etcdctl.command(t.name(), r.etcdEndpoint(t)) + " member list",
                        "$ " + Etcdctl.command(t.name(), r.etcdEndpoint(t)) + " member remove <id of " + name + ">",
                        "$ " + waitHealthy(r, t.name())),
                h -> {
                    String list = h.sudoOk(Etcdctl.command(h.hostName(), r.etcdEndpoint(h.target())) + " member list")
                            .stdout();
                    Optional<String> id = memberId(list, name, node.internalAddress());
                    if (id.isEmpty()) {
                        return ActionResult.unchanged(name + " is not a member");
                    }
                    h.sudoOk(retryWhileSettling(
                            Etcdctl.command(h.hostName(), r.etcdEndpoint(h.target())) + " member remove " + id.get()));
                    // the members left may elect a new leader (the removed one led): wait until they commit
                    h.sudo(waitHealthy(r, h.hostName())).orThrow(h.hostName(), "etcd health after removing " + name);
                    return ActionResult.changed("removed " + name + " (" + id.get() + "), the others healthy");
                });
    }

    /** Waits (60 s at most) until every member left answers healthy, with the last answer on failure. */
    static String waitHealthy(DeleteNodeRequest r, String host) {
        List<String> left = r.etcdMembers().stream()
                .filter(t -> !t.name().equals(r.node()))
                .map(r::etcdEndpoint)
                .toList();
        return "for i in $(seq 1 60); do out=$(" + Etcdctl.command(host, left) + " endpoint health 2>&1) && exit 0;"
                + " sleep 1; done; echo \"$out\" >&2; exit 1";
    }

    /**
     * etcd refuses a reconfiguration ("unhealthy cluster") until every member has been connected
     * for a few seconds: right after a start or restart, so wait that out (30 s at most), and fail
     * at once on any other error.
     */
    static String retryWhileSettling(String command) {
        return "for i in $(seq 1 10); do out=$(" + command + " 2>&1) && { echo \"$out\"; exit 0; };"
                + " case \"$out\" in *'unhealthy cluster'*) sleep 3 ;; *) echo \"$out\" >&2; exit 1 ;; esac;"
                + " done; echo \"$out\" >&2; exit 1";
    }

    static Action cleanup(String name, String script) {
        return Actions.of(name, t -> List.of("$ " + script), h -> {
            h.sudoOk(script);
            return ActionResult.changed();
        });
    }

    /** Stops kubelet and removes what kk and kubeadm put on a Kubernetes node. */
    static String kubeCleanup(DeleteNodeRequest r) {
        List<String> paths = new ArrayList<>(List.of(
                "/etc/kubernetes",
                "/var/lib/kubelet",
                "/etc/systemd/system/kubelet.service",
                "/etc/systemd/system/kubelet.service.d",
                "/usr/local/bin/kubelet",
                "/usr/local/bin/kubeadm",
                "/usr/local/bin/kubectl",
                "/usr/bin/kubelet",
                "/etc/systemd/system/k8s-certs-renew.service",
                "/etc/systemd/system/k8s-certs-renew.timer",
                "/usr/local/bin/kube-scripts/k8s-certs-renew.sh",
                "/etc/cni/net.d",
                "/var/lib/cni",
                "/root/.kube"));
        if (r.etcdKubekey() && r.target().has(Role.CONTROL_PLANE)) {
            paths.add(EtcdCertificates.REMOTE_DIR);
        }
        return "for u in kubelet k8s-certs-renew.timer; do systemctl disable --now $u >/dev/null 2>&1 || true; done; rm -rf "
                + Shell.quoteAll(paths) + " && systemctl daemon-reload";
    }

    /** Stops etcd and its backup timer and removes kk's etcd units, files, certificates and data. */
    static String etcdCleanup(DeleteNodeRequest r) {
        List<String> paths = List.of(
                EtcdFiles.UNIT_PATH,
                EtcdFiles.ENV_PATH,
                EtcdFiles.BACKUP_UNIT_PATH,
                EtcdFiles.BACKUP_TIMER_PATH,
                r.etcdBackupScript(),
                r.etcdDataDir(),
                "/etc/ssl/etcd",
                "/usr/local/bin/etcd",
                "/usr/local/bin/etcdctl");
        return "for u in backup-etcd.timer etcd; do systemctl disable --now $u >/dev/null 2>&1 || true; done; rm -rf "
                + Shell.quoteAll(paths) + " && systemctl daemon-reload";
    }
}
