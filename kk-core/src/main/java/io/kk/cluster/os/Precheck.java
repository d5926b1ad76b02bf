package io.kk.cluster.os;

import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.HostContext;
import io.kk.plan.HostValues;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The precheck: one action gathers {@link HostFacts} (read-only commands), another judges them.
 * Judging fails the host with an ENVIRONMENT error listing every problem at once; things prep will
 * fix (swap on, packages missing) are only reported.
 */
final class Precheck {
    private Precheck() {}

    /** Commands KubeKey's NodePreCheck looks for, plus the tools kk's own steps use. */
    static final List<String> COMMANDS = List.of(
            "sudo",
            "curl",
            "wget",
            "openssl",
            "ebtables",
            "socat",
            "ipset",
            "ipvsadm",
            "conntrack",
            "chronyd",
            "modprobe",
            "hostnamectl",
            "systemctl",
            "timedatectl",
            "apt-get",
            "dpkg",
            "yum",
            "rpm",
            "mount");

    /** Commands a Kubernetes node needs, with the package that brings each (the prep installs them). */
    static final List<String> REQUIRED = List.of("openssl", "ebtables", "socat", "ipset", "conntrack", "chronyd");

    static final String OS_RELEASE = "cat /etc/os-release";
    static final String UNAME = "uname -r; uname -m";
    static final String CLOCK = "date +%s";
    static final String WHICH = "for c in " + String.join(" ", COMMANDS)
            + "; do if command -v $c >/dev/null 2>&1; then echo \"have $c\"; else echo \"missing $c\"; fi; done";
    static final String PORTS = "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null";
    static final String SWAPS = "cat /proc/swaps";
    /** The ports of a service kk (or KubeKey) installed and runs are no conflict. */
    static final String OWN_SERVICES = "for u in etcd kubelet; do test -f /etc/systemd/system/$u.service &&"
            + " systemctl is-active -q $u && echo $u; done; true";

    static final String IPVS = "grep -q '^ip_vs ' /proc/modules || test -d /sys/module/ip_vs"
            + " || find /lib/modules/$(uname -r) -name 'ip_vs.ko*' 2>/dev/null | grep -q .";

    static Action gather(HostValues<HostFacts> facts) {
        return new Action() {
            @Override
            public String name() {
                return "gather facts";
            }

            @Override
            public List<String> describe(Target target) {
                return List.of(
                        "$ " + OS_RELEASE,
                        "$ " + UNAME,
                        "$ " + CLOCK,
                        "$ " + WHICH,
                        "$ " + PORTS,
                        "$ " + SWAPS,
                        "$ " + IPVS);
            }

            @Override
            public ActionResult apply(HostContext h) {
                OsRelease os = OsRelease.parse(h.sudoOk(OS_RELEASE).stdout());
                List<String> uname = h.sudoOk(UNAME).stdout().strip().lines().toList();
                long before = h.clock().millis();
                String clock = h.sudoOk(CLOCK).stdout().strip();
                if (!clock.matches("\\d+")) {
                    throw KkException.environment(
                            h.hostName() + ": cannot read the clock (date +%s said '" + clock + "')",
                            "check that the host has GNU date");
                }
                long remote = Long.parseLong(clock);
                long after = h.clock().millis();
                // compare with the middle of the round trip so latency does not count as drift
                long drift = remote - Math.round((before + after) / 2000.0);
                Set<String> have = new HashSet<>();
                for (String line : h.sudoOk(WHICH).stdout().lines().toList()) {
                    if (line.startsWith("have ")) {
                        have.add(line.substring(5).strip());
                    }
                }
                Set<Integer> ports = new TreeSet<>(listeningPorts(h.sudo(PORTS).stdout()));
                // a rerun (create cluster again, add nodes) finds kk's own etcd and kubelet there
                List<String> own = h.sudo(OWN_SERVICES).stdout().lines().toList();
                if (own.contains("etcd")) {
                    ports.removeAll(List.of(2379, 2380));
                }
                if (own.contains("kubelet")) {
                    ports.removeAll(List.of(6443, 10250, 10256, 10257, 10259));
                }
                boolean swapOn = h.sudo(SWAPS).stdout().lines().anyMatch(l -> l.startsWith("/"));
                boolean ipvs = h.sudo(IPVS).ok();
                HostFacts f = new HostFacts(
                        os,
                        uname.isEmpty() ? "" : uname.get(0),
                        uname.size() < 2 ? "" : goArch(uname.get(1)),
                        drift,
                        have,
                        ports,
                        swapOn,
                        ipvs);
                facts.put(h.target(), f);
                return ActionResult.unchanged(
                        os.prettyName() + ", kernel " + f.kernel() + ", " + f.arch() + ", clock drift " + drift + "s");
            }
        };
    }

    static Action judge(HostValues<HostFacts> facts, OsInitRequest request) {
        return new Action() {
            @Override
            public String name() {
                return "check";
            }

            @Override
            public List<String> describe(Target target) {
                return List.of(
                        "(no commands) arch is " + target.arch() + ", supported OS, kernel >= 3.10, clock drift <= "
                                + request.maxTimeDrift().toSeconds() + "s, ports " + portsFor(target) + " free");
            }

            @Override
            public ActionResult apply(HostContext h) {
                Verdict v = judge(h.target(), facts.get(h.target()), request);
                v.warnings().forEach(h::warn);
                if (!v.errors().isEmpty()) {
                    throw KkException.environment(
                            h.hostName() + " failed the precheck:\n  - " + String.join("\n  - ", v.errors()),
                            "fix the host (or the config) and run kk init os again");
                }
                return ActionResult.unchanged(v.notes().isEmpty() ? "ok" : String.join("; ", v.notes()));
            }
        };
    }

    record Verdict(List<String> errors, List<String> warnings, List<String> notes) {}

    static Verdict judge(Target t, HostFacts f, OsInitRequest request) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!f.arch().equals(t.arch())) {
            errors.add("the config says arch " + t.arch() + " but the host is " + f.arch());
        }
        if (f.os().family() == OsRelease.Family.UNKNOWN) {
            errors.add("unsupported OS " + f.os().prettyName() + " (kk supports Debian, Ubuntu and RHEL-like systems)");
        }
        List<Integer> k = f.kernelVersion();
        if (k.get(0) < 3 || (k.get(0) == 3 && k.get(1) < 10)) {
            errors.add("kernel " + f.kernel() + " is too old (Kubernetes needs 3.10 or newer)");
        }
        long drift = Math.abs(f.driftSeconds());
        if (drift > request.maxTimeDrift().toSeconds()) {
            errors.add("clock is " + f.driftSeconds() + "s off the control machine (limit "
                    + request.maxTimeDrift().toSeconds() + "s); certificates and etcd need synchronised clocks");
        } else if (drift > 2) {
            warnings.add("clock is " + f.driftSeconds() + "s off the control machine");
        }
        Set<Integer> busy = new TreeSet<>(portsFor(t));
        busy.retainAll(f.listeningPorts());
        if (!busy.isEmpty()) {
            errors.add("ports already in use: " + busy + " (is Kubernetes or etcd already running here?)");
        }
        Set<String> missing = new TreeSet<>();
        for (String c : REQUIRED) {
            if (!f.has(c)) {
                missing.add(c);
            }
        }
        if (!f.has("curl") && !f.has("wget")) {
            missing.add("curl");
        }
        if (!missing.isEmpty()) {
            notes.add("missing " + String.join(", ", missing) + " (prep installs them)");
        }
        if (!f.has("sudo")) {
            notes.add("no sudo (fine when logging in as root)");
        }
        if (f.swapOn()) {
            notes.add("swap is on (prep turns it off)");
        }
        if (request.proxyMode().equals("ipvs") && !f.ipvs()) {
            warnings.add("proxyMode is ipvs but the kernel has no ip_vs module; kube-proxy falls back to iptables");
        }
        return new Verdict(errors, warnings, notes);
    }

    /** The ports Kubernetes components will listen on for this host's roles. */
    static List<Integer> portsFor(Target t) {
        Set<Integer> ports = new TreeSet<>();
        if (t.has(Role.CONTROL_PLANE)) {
            ports.addAll(List.of(6443, 10257, 10259));
        }
        if (t.has(Role.ETCD)) {
            ports.addAll(List.of(2379, 2380));
        }
        if (t.isK8s()) {
            ports.addAll(List.of(10250, 10256));
        }
        return List.copyOf(ports);
    }

    /** Ports in LISTEN state (0A) from /proc/net/tcp{,6}. */
    static Set<Integer> listeningPorts(String procNetTcp) {
        Set<Integer> ports = new TreeSet<>();
        for (String line : procNetTcp.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 3 && f[0].endsWith(":") && f[3].equals("0A")) {
                int colon = f[1].lastIndexOf(':');
                ports.add(Integer.parseInt(f[1].substring(colon + 1), 16));
            }
        }
        return ports;
    }

    static String goArch(String unameM) {
        return switch (unameM.strip()) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> unameM.strip();
        };
    }
}
