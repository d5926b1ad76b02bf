package io.kk.cluster.cleanup;

import io.kk.cluster.etcd.EtcdFiles;
import io.kk.cluster.kubernetes.KubeletFiles;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.cluster.runtime.ContainerdFiles;
import io.kk.cluster.runtime.DockerFiles;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Shell;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk delete cluster}: everything kk installed taken off the hosts, in the reverse order of
 * create cluster: kubeadm reset, the containers, kk's units (stopped, disabled, their files gone),
 * binaries, config files and certificates, kk's /etc/hosts blocks, the CNI interfaces and the
 * iptables/IPVS rules of Kubernetes and its network plugins, then (when confirmed) the data dirs.
 * Every step checks first, so a second run finds nothing to do. Only kk's own files go: a unit
 * kk did not write under /etc/systemd/system and a binary a package owns are left alone. The OS
 * packages {@code init os} installed stay (as KubeKey leaves them), and so do kernel settings
 * already applied (their sysctl file goes; the values are gone at the next boot).
 */
public final class CleanupPlan {
    /** KubeKey's /etc/hosts block ({@code io.kk.cluster.os.Prep}). */
    static final String HOSTS_BEGIN = "# kubekey hosts BEGIN";

    static final String HOSTS_END = "# kubekey hosts END";
    /** kk's registry name block ({@code io.kk.cluster.registry.RegistryPlan}). */
    static final String REGISTRY_BEGIN = "# kk registry BEGIN";

    static final String REGISTRY_END = "# kk registry END";

    static final String UNIT_DIR = "/etc/systemd/system";

    /** kk's units on cluster hosts, in the order they are stopped (timers before their services). */
    static final List<String> CLUSTER_UNITS = List.of(
            "k8s-certs-renew.timer",
            "k8s-certs-renew.service",
            "backup-etcd.timer",
            "backup-etcd.service",
            "kubelet.service",
            "etcd.service",
            "docker.service",
            "containerd.service");

    /** Binaries kk places (etcd, Kubernetes, the runtimes' release tarballs, runc, crictl, helm). */
    static final List<String> CLUSTER_BINARIES = List.of(
            "/usr/local/bin/etcd",
            "/usr/local/bin/etcdctl",
            "/usr/local/bin/kubeadm",
            "/usr/local/bin/kubelet",
            // the link kk (as KubeKey) makes to /usr/local/bin/kubelet; a package's kubelet stays
            "/usr/bin/kubelet",
            "/usr/local/bin/kubectl",
            "/usr/local/bin/helm",
            "/usr/local/bin/calicoctl",
            "/usr/local/sbin/runc",
            "/usr/bin/containerd",
            "/usr/bin/containerd-shim",
            "/usr/bin/containerd-shim-runc-v1",
            "/usr/bin/containerd-shim-runc-v2",
            "/usr/bin/containerd-stress",
            "/usr/bin/ctr",
            "/usr/bin/crictl",
            "/usr/bin/docker",
            "/usr/bin/dockerd",
            "/usr/bin/docker-init",
            "/usr/bin/docker-proxy",
            "/usr/bin/runc");

    /**
     * State the network plugins leave on a host, removed as KubeKey's delete cluster removes it
     * ({@code clusterFiles} in its {@code bootstrap/os} tasks: calico's and flannel's dirs, {@code
     * /var/lib/cni}), plus kube-ovn's (its uninstall guide's list) and hybridnet's: not data a user
     * keeps (IP allocations, node names, OVS/OVN databases of the deleted cluster), and a next
     * cluster on the host would trip over them. {@code /var/run} is {@code /run} on every distro
     * kk supports. CNI configs and binaries go with {@code /etc/cni/net.d} and {@code /opt/cni}.
     */
    static final List<String> NETWORK_FILES = List.of(
            "/var/lib/cni",
            "/var/lib/calico",
            "/var/log/calico",
            "/run/calico",
            "/run/flannel",
            "/etc/flannel",
            "/run/cilium",
            // kube-ovn
            "/etc/origin/openvswitch",
            "/etc/origin/ovn",
            "/run/openvswitch",
            "/run/ovn",
            "/var/log/openvswitch",
            "/var/log/ovn",
            "/var/log/kube-ovn",
            // hybridnet's daemon socket dir
            "/run/cni");

    /** Config files, certificates and scratch dirs of kk on cluster hosts. */
    static final List<String> CLUSTER_FILES = List.of(
            EtcdFiles.ENV_PATH,
            "/etc/ssl/etcd",
            "/etc/kubernetes",
            KubeletFiles.UNIT_PATH + ".d",
            ContainerdFiles.CONFIG_PATH,
            "/etc/containerd/certs.d",
            ContainerdFiles.CRICTL_PATH,
            DockerFiles.DAEMON_JSON_PATH,
            "/etc/docker/certs.d",
            "/etc/cni/net.d",
            "/opt/cni",
            // containerd's "opt" plugin makes it at every start
            "/opt/containerd",
            "/etc/kubekey/haproxy",
            "/etc/sysctl.d/99-kubekey.conf",
            "/etc/modules-load.d/kubekey.conf",
            "/root/.kube",
            "/var/lib/kubekey",
            "/tmp/kubekey");

    /**
     * Directories kk made that go when empty once their files are gone; systemd makes its timers
     * dir for the stamps of kk's persistent timers.
     */
    static final List<String> EMPTY_DIRS =
            List.of("/etc/containerd", "/etc/docker", "/etc/cni", "/etc/kubekey", "/var/lib/systemd/timers");

    /**
     * The network devices Kubernetes' network plugins, kube-proxy and docker create: KubeKey's
     * {@code networkResetCmds} list, plus cilium_net, kube-ovn's (its tunnel devices first: OVS
     * holds them; then its OVS internal ports, which go with the datapath, see {@link
     * #removeInterfaces}) and docker0.
     */
    static final List<String> INTERFACES = List.of(
            "kube-ipvs0",
            "nodelocaldns",
            "cni0",
            "flannel.1",
            "flannel-v6.1",
            "flannel-wg",
            "flannel-wg-v6",
            "cilium_host",
            "cilium_net",
            "cilium_vxlan",
            "vxlan.calico",
            "vxlan-v6.calico",
            "wireguard.cali",
            "wg-v6.cali",
            "genev_sys_6081",
            "vxlan_sys_4789",
            "stt_sys_7471",
            "ovn0",
            "mirror0",
            "br-int",
            "ovs-system",
            "docker0");

    /**
     * Devices named per pod or per host NIC: calico's pod veths ({@code cali<hex>}, as KubeKey
     * removes them), hybridnet's pod veths ({@code hybr} and 11 or 12 hex digits) and its vxlan devices ({@code
     * <nic>.vxlan<id>}).
     */
    static final String INTERFACE_PATTERN = "^(cali[0-9a-f]+|hybr[0-9a-f]{11,12}|.+\\.vxlan[0-9]+)$";

    /**
     * Rules and chains of Kubernetes and its network plugins in iptables-save output: kube-proxy,
     * the CNI portmap plugin, calico, flannel, cilium, kube-ovn ({@code OVN-*} chains, its {@code
     * ovn40}/{@code ovn60} ipsets) and hybridnet. Unlike KubeKey ({@code iptables -F; iptables -X},
     * filter and nat), rules that are not theirs stay: a host's own firewall survives the delete.
     */
    static final String RULES =
            "KUBE-|CNI-|cali-|cali:|FLANNEL|flannel|CILIUM|cilium|OVN-|ovn40|ovn60|kube-ovn|HYBRIDNET" + "|hybridnet";

    /** The ipsets of kube-proxy (IPVS mode), calico, kube-ovn and hybridnet. */
    static final String IPSETS = "^(KUBE-|cali40|cali60|ovn40|ovn60|HYBRIDNET-)";

    private CleanupPlan() {}

    public static List<Module> modules(CleanupRequest r) {
        HostSelector cluster = clusterHosts(r);
        List<Module> out = new ArrayList<>();
        out.add(Module.of(
                "kubernetes",
                Task.parallel("kubeadm reset", cluster, kubeadmReset()),
                Task.parallel("containers", cluster, containers())));
        List<Action> units = new ArrayList<>();
        CLUSTER_UNITS.forEach(u -> units.add(unit(u)));
        List<Action> files = new ArrayList<>();
        files.add(remove("binaries", CLUSTER_BINARIES, true));
        List<String> config = new ArrayList<>(CLUSTER_FILES);
        config.add(r.backupScriptDir());
        files.add(remove("config and certificates", config, false));
        files.add(hostsBlock("kubekey hosts block", HOSTS_BEGIN, HOSTS_END));
        files.add(hostsBlock("registry name block", REGISTRY_BEGIN, REGISTRY_END));
        files.add(removeEmptyDirs(EMPTY_DIRS));
        out.add(Module.of(
                "kk's services and files",
                Task.parallel("services", cluster, units),
                Task.parallel("files", cluster, files)));
        out.add(Module.of(
                "network",
                Task.parallel(
                        "network",
                        cluster,
                        unmount(),
                        netns(),
                        // after the unmounts: calico mounts its cgroup under /run/calico
                        remove("network plugin state", NETWORK_FILES, false),
                        // kube-ovn's parent dir
                        removeEmptyDirs(List.of("/etc/origin")),
                        interfaces(),
                        rules("iptables"),
                        rules("ip6tables"),
                        nftables(),
                        ipsets(),
                        ipvs())));
        out.add(Module.of("data", Task.parallel("data dirs", cluster, data(r.dataDirs(), r.deleteData()))));
        if (r.all() && !r.registryHost().isEmpty()) {
            HostSelector registry = HostSelector.named(r.registryHost());
            out.add(Module.of(
                    "registry",
                    Task.serial(
                            "registry",
                            registry,
                            unit("registry.service"),
                            remove(
                                    "registry files",
                                    List.of(
                                            RegistryFiles.BINARY_PATH,
                                            "/etc/kubekey/registry",
                                            RegistryFiles.CERT_DIR,
                                            "/etc/ssl/registry"),
                                    false),
                            hostsBlock("registry name block", REGISTRY_BEGIN, REGISTRY_END),
                            hostsBlock("kubekey hosts block", HOSTS_BEGIN, HOSTS_END),
                            remove(
                                    "os settings",
                                    List.of(
                                            "/etc/sysctl.d/99-kubekey.conf",
                                            "/etc/modules-load.d/kubekey.conf",
                                            "/var/lib/kubekey",
                                            "/tmp/kubekey"),
                                    false),
                            removeEmptyDirs(List.of("/etc/kubekey", "/var/lib/systemd/timers")),
                            data(List.of(r.registryDataDir()), r.deleteData()))));
        }
        return out;
    }

    /**
     * The hosts of the cluster: every host but one that is only the registry host, unless {@code
     * --all} (then the registry host too, as a cluster host when it has other roles).
     */
    static HostSelector clusterHosts(CleanupRequest r) {
        if (r.all() || r.registryHost().isEmpty()) {
            return HostSelector.all();
        }
        return t -> !t.name().equals(r.registryHost()) || t.isK8s() || t.has(Role.ETCD);
    }

    static Action kubeadmReset() {
        String check = "! test -x /usr/local/bin/kubeadm || { ! test -d /etc/kubernetes/manifests && ! test -f"
                + " /etc/kubernetes/kubelet.conf; }";
        return Actions.guarded("kubeadm reset", check, "/usr/local/bin/kubeadm reset -f");
    }

    /** Kills what the runtime still runs, so its mounts and shims go before the runtime does. */
    static Action containers() {
        String running = "command -v ctr >/dev/null 2>&1 && systemctl is-active -q containerd && for ns in $(ctr"
                + " namespaces ls -q); do ctr -n \"$ns\" task ls -q; done | grep -q .";
        String kill = "for ns in $(ctr namespaces ls -q); do for t in $(ctr -n \"$ns\" task ls -q); do ctr -n"
                + " \"$ns\" task kill -s SIGKILL \"$t\"; ctr -n \"$ns\" task delete -f \"$t\"; done; done; true";
        return Actions.guarded("containers", "! { " + running + "; }", kill);
    }

    /** Stops, disables and removes one of kk's units (only when kk's file is there). */
    static Action unit(String unit) {
        String file = UNIT_DIR + "/" + unit;
        String check = "! test -e " + file + " && ! test -e " + file + ".d";
        String remove = "systemctl disable --now " + unit + " >/dev/null 2>&1; rm -rf " + file + " " + file
                + ".d /var/lib/systemd/timers/stamp-" + unit + "; systemctl daemon-reload; systemctl reset-failed "
                + unit + " >/dev/null 2>&1; true";
        return Actions.guarded(unit, check, remove);
    }

    /**
     * Removes the paths that exist. With {@code packageSafe}, a file a package owns (dpkg/rpm) is
     * left: the distribution's binary is not kk's to take.
     */
    static Action remove(String name, List<String> paths, boolean packageSafe) {
        String list = Shell.quoteAll(paths);
        String owned = "{ command -v dpkg >/dev/null 2>&1 && dpkg -S \"$p\" >/dev/null 2>&1; } || { command -v rpm"
                + " >/dev/null 2>&1 && rpm -qf \"$p\" >/dev/null 2>&1; }";
        String find = "for p in " + list + "; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then "
                + (packageSafe ? owned + " || " : "") + "echo \"$p\"; fi; done";
        return Actions.of(
                name, t -> List.of("$ " + find + "    # which exist (and are kk's)", "$ rm -rf <each of them>"), h -> {
                    List<String> present = h.sudoOk(find)
                            .stdout()
                            .lines()
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList();
                    if (present.isEmpty()) {
                        return ActionResult.unchanged("none left");
                    }
                    h.sudoOk("rm -rf " + Shell.quoteAll(present));
                    return ActionResult.changed(String.join(" ", present));
                });
    }

    /** Removes a marked block from /etc/hosts, writing the file in place (it may be a bind mount). */
    static Action hostsBlock(String name, String begin, String end) {
        String check = "! grep -qxF " + Shell.quote(begin) + " /etc/hosts";
        String drop = "tmp=$(mktemp) && sed '/^" + begin + "$/,/^" + end + "$/d' /etc/hosts > \"$tmp\" && cat \"$tmp\""
                + " > /etc/hosts && rm -f \"$tmp\"";
        return Actions.guarded(name, check, drop);
    }

    static Action removeEmptyDirs(List<String> dirs) {
        String any = "for d in " + Shell.quoteAll(dirs) + "; do [ -d \"$d\" ] && [ -z \"$(ls -A \"$d\")\" ] && echo"
                + " \"$d\"; done; true";
        return Actions.of("empty directories", t -> List.of("$ rmdir <each of " + dirs + " when empty>"), h -> {
            List<String> empty = h.sudoOk(any)
                    .stdout()
                    .lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            if (empty.isEmpty()) {
                return ActionResult.unchanged("");
            }
            h.sudoOk("rmdir " + Shell.quoteAll(empty));
            return ActionResult.changed(String.join(" ", empty));
        });
    }

    /** Unmounts what kubelet and the runtimes left mounted (pod volumes, netns, task rootfs). */
    static Action unmount() {
        String list = "awk '$2 ~ \"^(/var/lib/kubelet|/var/lib/containerd|/var/lib/docker|/run/containerd|/run/netns"
                + "|/run/calico)/\" {print $2}' /proc/mounts | sort -r";
        return Actions.of("mounts", t -> List.of("$ " + list, "$ umount -l <each>"), h -> {
            List<String> mounts =
                    h.sudoOk(list).stdout().lines().filter(s -> !s.isBlank()).toList();
            if (mounts.isEmpty()) {
                return ActionResult.unchanged("");
            }
            for (String m : mounts) {
                h.sudo("umount -l " + Shell.quote(m));
            }
            return ActionResult.changed(mounts.size() + " unmounted");
        });
    }

    /** The pods' network namespaces CNI plugins pinned under /run/netns ({@code cni-<uuid>}). */
    static Action netns() {
        String find = "ls /run/netns 2>/dev/null | grep -E '^cni-'; true";
        String remove =
                "for n in $(" + find + "); do ip netns delete \"$n\" 2>/dev/null || { umount -l \"/run/netns/$n\""
                        + " 2>/dev/null; rm -f \"/run/netns/$n\"; }; done; true";
        return Actions.of("pod network namespaces", t -> List.of("$ " + find, "$ " + remove), h -> {
            List<String> found =
                    h.sudoOk(find).stdout().lines().filter(s -> !s.isBlank()).toList();
            if (found.isEmpty()) {
                return ActionResult.unchanged("");
            }
            h.sudoOk(remove);
            return ActionResult.changed(found.size() + " removed");
        });
    }

    /**
     * Prints the leftover devices: those of {@link #INTERFACES} present, those matching {@link
     * #INTERFACE_PATTERN}, and {@code tunl0} while it still has an address or is up.
     */
    static String findInterfaces() {
        return "{ for i in " + String.join(" ", INTERFACES) + "; do ip link show \"$i\" >/dev/null 2>&1 && echo \"$i\";"
                + " done; ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E '" + INTERFACE_PATTERN
                + "'; if ip link show tunl0 >/dev/null 2>&1 && { ip -o addr show dev tunl0 | grep -q inet || ip -o"
                + " link show tunl0 | grep -q '[<,]UP[,>]'; }; then echo tunl0; fi; } | awk '!seen[$0]++'";
    }

    /**
     * Removes the leftover devices, each tolerant of it being gone already (a veth goes with its
     * peer, OVS's ports with the datapath), and prints {@code left: ...} for any that stayed.
     * Two kinds cannot be removed with {@code ip link delete}: OVS's internal ports (ovn0, br-int,
     * ovs-system) go with the datapath ({@code ovs-dpctl del-dp} where the host has it, else the
     * openvswitch modules unloaded, which only happens when nothing else uses them); {@code
     * tunl0}, ipip's fallback device, goes with the ipip module, or else loses calico's address
     * and goes down.
     */
    static String removeInterfaces() {
        String find = findInterfaces();
        return "for i in $(" + find + "); do [ \"$i\" = tunl0 ] || ip link delete \"$i\" 2>/dev/null; done;"
                + " if ip link show ovs-system >/dev/null 2>&1; then if command -v ovs-dpctl >/dev/null 2>&1; then"
                + " ovs-dpctl del-dp ovs-system; else for m in vport_geneve vport_vxlan vport_stt vport_gre"
                + " openvswitch; do modprobe -r \"$m\"; done; fi 2>/dev/null; fi;"
                + " if ip link show tunl0 >/dev/null 2>&1 && [ -n \"$(" + find + " | grep -x tunl0)\" ]; then"
                + " modprobe -r ipip 2>/dev/null || { ip addr flush dev tunl0; ip link set tunl0 down; }; fi;"
                + " echo \"left: $(" + find + " | tr '\\n' ' ')\"; true";
    }

    static Action interfaces() {
        String find = findInterfaces();
        String remove = removeInterfaces();
        return Actions.of("CNI interfaces", t -> List.of("$ " + find, "$ " + remove), h -> {
            List<String> found = h.sudoOk(find)
                    .stdout()
                    .lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            if (found.isEmpty()) {
                return ActionResult.unchanged("");
            }
            String out = h.sudoOk(remove).stdout();
            String left = out.lines()
                    .filter(l -> l.startsWith("left:"))
                    .map(l -> l.substring("left:".length()).strip())
                    .findFirst()
                    .orElse("");
            if (!left.isEmpty()) {
                // KubeKey ignores these failures too; a reboot clears what the kernel keeps
                h.warn("network devices left after delete: " + left + " (a reboot removes them)");
                return ActionResult.changed(String.join(" ", found) + "; left: " + left);
            }
            return ActionResult.changed(String.join(" ", found));
        });
    }

    /** Drops the rules and chains of Kubernetes and the network plugins; other rules stay. */
    static Action rules(String tool) {
        return Actions.guarded(tool + " rules", rulesLeft(tool), dropRules(tool));
    }

    /** Exits 0 when {@code tool} has none of their rules left (or is not installed). */
    static String rulesLeft(String tool) {
        return "! command -v " + tool + "-save >/dev/null 2>&1 || ! " + tool + "-save 2>/dev/null | grep -qE '" + RULES
                + "'";
    }

    /** Every table written back without their rules and chains (iptables-restore flushes each). */
    static String dropRules(String tool) {
        return tool + "-save | grep -vE '" + RULES + "' | " + tool + "-restore";
    }

    /** kube-proxy's nftables mode (Kubernetes 1.29+) keeps its rules in its own tables. */
    static Action nftables() {
        String check = "! command -v nft >/dev/null 2>&1 || ! nft list tables 2>/dev/null | grep -qE ' kube-proxy$'";
        String drop = "for f in ip ip6; do nft delete table $f kube-proxy 2>/dev/null; done; true";
        return Actions.guarded("nftables kube-proxy tables", check, drop);
    }

    /** The ipsets the rules used (they can go only once no rule refers to them). */
    static Action ipsets() {
        String list = "ipset list -n 2>/dev/null | grep -E '" + IPSETS + "'";
        String check = "! command -v ipset >/dev/null 2>&1 || ! " + list + " >/dev/null";
        String drop = "for s in $(" + list + "); do ipset destroy \"$s\" 2>/dev/null; done; true";
        return Actions.guarded("ipsets", check, drop);
    }

    static Action ipvs() {
        String check = "! command -v ipvsadm >/dev/null 2>&1 || ! ipvsadm -Ln 2>/dev/null | grep -qE '^(TCP|UDP)'";
        return Actions.guarded("ipvs rules", check, "ipvsadm -C");
    }

    /** The data dirs, removed only when the user confirmed it; otherwise named and kept. */
    static Action data(List<String> dirs, boolean delete) {
        if (!delete) {
            return Actions.of(
                    "data dirs kept", t -> List.of("keep " + String.join(" ", dirs) + " (not confirmed)"), h -> {
                        String present = h.sudoOk("for d in " + Shell.quoteAll(dirs)
                                        + "; do [ -e \"$d\" ] && echo \"$d\"; done; true")
                                .stdout()
                                .strip()
                                .replace('\n', ' ');
                        return ActionResult.skipped(present.isEmpty() ? "none" : "kept: " + present);
                    });
        }
        return remove("data dirs", dirs, false);
    }
}
