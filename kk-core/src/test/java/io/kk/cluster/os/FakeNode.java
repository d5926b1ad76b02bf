package io.kk.cluster.os;

import io.kk.plan.FakeHost;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A simulated Debian/RHEL node on top of {@link FakeHost}: answers the commands of kk init os from
 * a little state (installed packages, swap, hostname, loaded modules...) and changes that state
 * when a step acts, so a second run sees what the first one did.
 */
final class FakeNode {
    static final String DEBIAN_12 =
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n";
    static final String ROCKY_9 =
            "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.3\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky Linux 9.3\"\n";
    private static final Pattern FSTAB_SWAP = Pattern.compile("(?m)^([^#]\\S*\\s+\\S+\\s+swap\\s)");

    final FakeHost host;
    final Set<String> commands =
            new HashSet<>(List.of("sudo", "curl", "openssl", "systemctl", "apt-get", "dpkg", "mount", "hostnamectl"));
    final Set<String> packages = new HashSet<>();
    final Set<String> loadedModules = new HashSet<>();
    final Set<Integer> listening = new HashSet<>(Set.of(22));
    final Set<String> runningServices = new HashSet<>();
    final Set<String> enabledUnits = new HashSet<>();
    final List<String> installs = new ArrayList<>();
    boolean swapOn = true;
    boolean ipvs = true;
    String hostname = "localhost";
    String unameM = "x86_64";
    String timezone = "Etc/UTC";
    long driftSeconds;

    FakeNode(String name, String osRelease, Clock clock) {
        host = new FakeHost(name);
        FakeHost h = host;
        h.files.put("/etc/os-release", osRelease);
        h.files.put("/etc/hosts", "127.0.0.1\tlocalhost\n");
        h.files.put("/etc/fstab", "UUID=abc / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n");
        h.on("uname -r; uname -m", m -> FakeHost.ok("6.1.0-18-amd64\n" + unameM + "\n"));
        h.on("date \\+%s", m -> FakeHost.ok((clock.millis() / 1000 + driftSeconds) + "\n"));
        h.on("for c in .*; do if command -v.*", m -> {
            StringBuilder sb = new StringBuilder();
            for (String c : Precheck.COMMANDS) {
                sb.append(commands.contains(c) ? "have " : "missing ").append(c).append('\n');
            }
            return FakeHost.ok(sb.toString());
        });
        h.on("cat /proc/net/tcp .*", m -> {
            StringBuilder sb = new StringBuilder("  sl  local_address rem_address   st tx_queue rx_queue\n");
            int i = 0;
            for (int p : listening) {
                sb.append(String.format(
                        "   %d: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1%n",
                        i++, p));
            }
            return FakeHost.ok(sb.toString());
        });
        h.on(Pattern.quote(Precheck.SERVICES), m -> FakeHost.ok(String.join("\n", runningServices)));
        h.on(
                "cat /proc/swaps",
                m -> FakeHost.ok("Filename Type Size Used Priority\n" + (swapOn ? "/swapfile file 1024 0 -2\n" : "")));
        h.on("grep -q '\\^ip_vs ' .*", m -> FakeHost.result(ipvs ? 0 : 1, "", ""));
        h.on(
                Pattern.quote(Prep.SWAP_CHECK),
                m -> FakeHost.result(
                        !swapOn
                                        && !FSTAB_SWAP
                                                .matcher(h.files.get("/etc/fstab"))
                                                .find()
                                ? 0
                                : 1,
                        "",
                        ""));
        h.on(Pattern.quote(Prep.SWAP_OFF), m -> {
            swapOn = false;
            h.files.put(
                    "/etc/fstab", FSTAB_SWAP.matcher(h.files.get("/etc/fstab")).replaceAll("#$1"));
            return FakeHost.ok("");
        });
        h.on(
                "\\[ \"\\$\\(hostname\\)\" = (\\S+) \\].*",
                m -> FakeHost.result(
                        hostname.equals(m.group(1))
                                        && m.group(1)
                                                .equals(h.files
                                                        .getOrDefault("/etc/hostname", "")
                                                        .strip())
                                ? 0
                                : 1,
                        "",
                        ""));
        h.on("if command -v hostnamectl .*hostnamectl set-hostname (\\S+) .*", m -> {
            hostname = m.group(1);
            h.files.put("/etc/hostname", hostname + "\n");
            return FakeHost.ok("");
        });
        h.on(
                "(?:test \"\\$\\(dpkg-query -W -f=\\S+|rpm -q --whatprovides) (.*?) (?:>/dev/null 2>&1|2>/dev/null \\|.*)",
                m -> FakeHost.result(
                        packages.containsAll(Arrays.asList(m.group(1).split(" "))) ? 0 : 1, "", ""));
        h.on(".*(apt-get|yum) .*install -y (-qq )?(.*)", m -> {
            installs.add(m.group(0));
            packages.addAll(Arrays.asList(m.group(3).split(" ")));
            for (String p : m.group(3).split(" ")) {
                commands.add(p.equals("chrony") ? "chronyd" : p);
            }
            return FakeHost.ok("");
        });
        h.on("for m in (.*); do grep -q .*", m -> {
            StringBuilder sb = new StringBuilder();
            for (String mod : m.group(1).split(" ")) {
                if (!loadedModules.contains(mod)) {
                    sb.append(mod).append('\n');
                }
            }
            return FakeHost.ok(sb.toString());
        });
        h.on("modprobe (\\S+)", m -> {
            if (!commands.contains("modprobe")) {
                return FakeHost.result(127, "", "modprobe: command not found");
            }
            loadedModules.add(m.group(1));
            return FakeHost.ok("");
        });
        h.on(
                "systemctl is-enabled (\\S+) && systemctl is-active \\S+",
                m -> FakeHost.result(enabledUnits.contains(m.group(1)) ? 0 : 3, "", ""));
        h.on("systemctl enable (--now )?(\\S+).*", m -> {
            enabledUnits.add(m.group(2));
            return FakeHost.ok("");
        });
        h.on(
                "\\[ \"\\$\\(readlink -f /etc/localtime\\)\" = \"\\$\\(readlink -f /usr/share/zoneinfo/(\\S+)\\)\" \\]",
                m -> FakeHost.result(timezone.equals(m.group(1)) ? 0 : 1, "", ""));
        h.on("test -e /usr/share/zoneinfo/(\\S+) && .*", m -> {
            timezone = m.group(1);
            return FakeHost.ok("");
        });
        h.on(
                "mkdir -p /tmp/kubekey/scripts/\\S+ && cd /tmp/kubekey/scripts/(\\S+) && bash .*",
                m -> FakeHost.ok("hello from " + hostname + " (" + m.group(1) + ")\n"));
    }

    String name() {
        return host.name;
    }
}
