package io.kk.cluster.os;

import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.Role;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import java.util.ArrayList;
import java.util.List;

/** The OS preparation actions of {@code kk init os}, each checking before it acts. */
final class Prep {
    private Prep() {}

    static final String HOSTS_BEGIN = "# kubekey hosts BEGIN";
    static final String HOSTS_END = "# kubekey hosts END";
    static final String SYSCTL_FILE = "/etc/sysctl.d/99-kubekey.conf";
    static final String MODULES_FILE = "/etc/modules-load.d/kubekey.conf";

    /** KubeKey's initOS.sh settings (v3.0.13), written to their own file instead of appended. */
    static final String SYSCTL =
            """
            # written by kk init os (KubeKey's settings for Kubernetes nodes)
            net.ipv4.ip_forward = 1
            net.bridge.bridge-nf-call-arptables = 1
            net.bridge.bridge-nf-call-ip6tables = 1
            net.bridge.bridge-nf-call-iptables = 1
            net.ipv4.ip_local_reserved_ports = 30000-32767
            net.core.netdev_max_backlog = 65535
            net.core.rmem_max = 33554432
            net.core.wmem_max = 33554432
            net.core.somaxconn = 32768
            net.ipv4.tcp_max_syn_backlog = 1048576
            net.ipv4.neigh.default.gc_thresh1 = 512
            net.ipv4.neigh.default.gc_thresh2 = 2048
            net.ipv4.neigh.default.gc_thresh3 = 4096
            net.ipv4.tcp_retries2 = 15
            net.ipv4.tcp_max_tw_buckets = 1048576
            net.ipv4.tcp_max_orphans = 65535
            net.ipv4.udp_rmem_min = 131072
            net.ipv4.udp_wmem_min = 131072
            net.ipv4.conf.all.rp_filter = 1
            net.ipv4.conf.default.rp_filter = 1
            net.ipv4.conf.all.arp_accept = 1
            net.ipv4.conf.default.arp_accept = 1
            net.ipv4.conf.all.arp_ignore = 1
            net.ipv4.conf.default.arp_ignore = 1
            vm.max_map_count = 262144
            vm.swappiness = 0
            vm.overcommit_memory = 0
            fs.inotify.max_user_instances = 524288
            fs.inotify.max_user_watches = 10240001
            fs.pipe-max-size = 4194304
            fs.aio-max-nr = 262144
            kernel.pid_max = 65535
            kernel.watchdog_thresh = 5
            kernel.hung_task_timeout_secs = 5
            """;

    static List<String> modules(OsInitRequest r) {
        List<String> m = new ArrayList<>(List.of("br_netfilter", "overlay"));
        if (r.proxyMode().equals("ipvs")) {
            m.addAll(List.of("ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "nf_conntrack"));
        }
        return m;
    }

    static final String SWAP_CHECK =
            "! grep -q '^/' /proc/swaps && ! grep -Eq '^[^#][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab";
    static final String SWAP_OFF =
            "swapoff -a && sed -ri '/^[^#][^[:space:]]*[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]/ s/^/#/' /etc/fstab";

    static Action swapOff() {
        return Actions.guarded("swap off", SWAP_CHECK, SWAP_OFF);
    }

    static String hostnameCheck(Target t) {
        String n = Shell.quote(t.name());
        return "[ \"$(hostname)\" = " + n + " ] && [ \"$(cat /etc/hostname 2>/dev/null)\" = " + n + " ]";
    }

    static String hostnameSet(Target t) {
        String n = Shell.quote(t.name());
        return "if command -v hostnamectl >/dev/null 2>&1 && hostnamectl set-hostname " + n
                + " 2>/dev/null; then :; else echo " + n + " > /etc/hostname && hostname " + n + "; fi";
    }

    static Action hostname() {
        return Actions.guarded("hostname", Prep::hostnameCheck, Prep::hostnameSet);
    }

    /** KubeKey's /etc/hosts block: every host, the registry host, the control-plane endpoint. */
    static String hostsBlock(OsInitRequest r) {
        StringBuilder sb = new StringBuilder();
        for (Target h : r.hosts()) {
            sb.append(h.internalAddress())
                    .append("  ")
                    .append(h.name())
                    .append('.')
                    .append(r.clusterName())
                    .append(' ')
                    .append(h.name())
                    .append('\n');
        }
        r.hosts().stream().filter(h -> h.has(Role.REGISTRY)).findFirst().ifPresent(h -> sb.append(h.internalAddress())
                .append("  ")
                .append(r.registryHostName())
                .append('\n'));
        if (!r.lbAddress().isBlank()) {
            sb.append(r.lbAddress()).append("  ").append(r.lbDomain()).append('\n');
        }
        return sb.toString();
    }

    static Action etcHosts(OsInitRequest r) {
        String block = hostsBlock(r);
        return Actions.block("/etc/hosts", "/etc/hosts", HOSTS_BEGIN, HOSTS_END, t -> block, 0644);
    }

    static Action modulesFile(OsInitRequest r) {
        String content = "# written by kk init os\n" + String.join("\n", modules(r)) + "\n";
        return Actions.file("kernel modules config", MODULES_FILE, content, 0644);
    }

    /**
     * Loads the modules not loaded yet. A host without modprobe (some kernels have the modules built
     * in, containers have none) is reported, not failed: the modules-load.d file still applies at boot.
     */
    static Action loadModules(OsInitRequest r, HostValues<HostFacts> facts) {
        List<String> mods = modules(r);
        String list = String.join(" ", mods);
        // built-in modules show only by what they provide: bridge netfilter's sysctls, overlay's filesystem
        String missing = "for m in " + list + "; do grep -q \"^$m \" /proc/modules || test -d /sys/module/$m"
                + " || { [ $m = br_netfilter ] && test -d /proc/sys/net/bridge; }"
                + " || { [ $m = overlay ] && grep -qw overlay /proc/filesystems; } || echo $m; done";
        return new Action() {
            @Override
            public String name() {
                return "load kernel modules";
            }

            @Override
            public List<String> describe(Target target) {
                return List.of("$ " + missing + "    # which are not loaded", "$ modprobe <each missing module>");
            }

            @Override
            public ActionResult apply(HostContext h) {
                List<String> notLoaded = h.sudoOk(missing)
                        .stdout()
                        .lines()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
                if (notLoaded.isEmpty()) {
                    return ActionResult.unchanged("all loaded");
                }
                if (!facts.get(h.target()).has("modprobe")) {
                    return ActionResult.skipped(
                            "no modprobe on this host; not loaded: " + String.join(", ", notLoaded));
                }
                List<String> failed = new ArrayList<>();
                for (String m : notLoaded) {
                    if (!h.sudo("modprobe " + Shell.quote(m)).ok()) {
                        failed.add(m);
                    }
                }
                if (!failed.isEmpty()) {
                    h.warn("could not load " + String.join(", ", failed));
                }
                if (failed.size() == notLoaded.size()) {
                    return ActionResult.skipped("could not load " + String.join(", ", failed));
                }
                return ActionResult.changed("loaded "
                        + notLoaded.stream().filter(m -> !failed.contains(m)).toList());
            }
        };
    }

    static final String SYSCTL_APPLY = "sysctl -e -p " + SYSCTL_FILE;

    /**
     * The sysctl file, applied with {@code sysctl -e -p} when written ({@code -e}: keys this kernel
     * lacks, e.g. bridge ones without br_netfilter, are ignored). A kernel that refuses a write
     * (read-only /proc/sys in a container) is reported as a warning: the file applies at boot.
     */
    static Action sysctl() {
        return new Action() {
            @Override
            public String name() {
                return "sysctl";
            }

            @Override
            public List<String> describe(Target target) {
                List<String> lines = new ArrayList<>(
                        Actions.file("sysctl", SYSCTL_FILE, SYSCTL, 0644).describe(target));
                lines.add("$ " + SYSCTL_APPLY + "    # when written");
                return lines;
            }

            @Override
            public ActionResult apply(HostContext h) {
                if (!Actions.ensure(h, SYSCTL_FILE, SYSCTL, 0644, "sysctl")) {
                    return ActionResult.unchanged(SYSCTL_FILE);
                }
                CommandResult applied = h.sudo(SYSCTL_APPLY);
                Actions.followUpDone(h, "sysctl");
                if (!applied.ok()) {
                    String why =
                            applied.stderr().strip().lines().reduce((a, b) -> b).orElse("");
                    h.warn("some settings were not applied now (" + why + "); they apply at boot");
                }
                return ActionResult.changed(SYSCTL_FILE);
            }
        };
    }
}
