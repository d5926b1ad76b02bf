package io.kk.cluster.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * delete cluster's network reset against a real kernel: each test runs in a network namespace of
 * its own ({@code unshare -n}, needs root, as CI runs), made to look like a node the network
 * plugins left behind, and the plan's own scripts run there with bash, twice (a rerun, e.g. after
 * an interrupted delete, must succeed and find nothing).
 */
class CleanupNetworkIT {
    record Run(int exit, String output) {}

    private static Run inNetns(String script) throws Exception {
        Process p = new ProcessBuilder("unshare", "-n", "bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Devices of the plugins (of kinds this kernel can make; the names are what count). */
    static final String LEFTOVERS = String.join(
            " && ",
            List.of(
                    "ip link add cali0123abcdef type veth peer name eth0x",
                    "ip link add hybr5f3a2b1c4d9 type veth peer name eth0y",
                    "ip link add vxlan.calico type vxlan id 4096 dstport 4789",
                    "ip link add flannel.1 type vxlan id 1 dstport 8472",
                    "ip link add genev_sys_6081 type vxlan id 2 dstport 6081",
                    "ip link add eth0.vxlan4 type vxlan id 4 dstport 4790",
                    "ip link add cilium_vxlan type vxlan id 5 dstport 8473",
                    "ip link add cni0 type bridge",
                    "ip link add kube-ipvs0 type bridge",
                    "ip link add nodelocaldns type bridge",
                    "ip link add ovn0 type bridge",
                    "ip link add br-int type bridge",
                    "ip link add docker0 type bridge",
                    // the host's own: stays
                    "ip link add keep0 type bridge",
                    "ip link add hybrid0 type bridge"));

    static final String LINKS = "ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\\n' ' '";

    @Test
    void everyPluginDeviceGoesTheHostsOwnStaysAndARerunFindsNothing() throws Exception {
        String find = CleanupPlan.findInterfaces();
        String remove = CleanupPlan.removeInterfaces();
        Run r = inNetns(LEFTOVERS + " || exit 9\n"
                + "echo \"found: $(" + find + " | tr '\\n' ' ')\"\n"
                + remove + " || exit 10\n"
                + "echo \"links: $(" + LINKS + ")\"\n"
                + "echo \"again: $(" + find + " | tr '\\n' ' ')\"\n"
                + "echo \"rerun: $(" + remove + ")\"\n");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()
                        .lines()
                        .filter(l -> l.startsWith("found: "))
                        .findFirst()
                        .orElseThrow())
                .contains("cali0123abcdef", "hybr5f3a2b1c4d9", "vxlan.calico", "flannel.1", "genev_sys_6081")
                .contains("eth0.vxlan4", "cilium_vxlan", "cni0", "kube-ipvs0", "nodelocaldns", "ovn0", "br-int")
                .contains("docker0")
                .doesNotContain("keep0")
                .doesNotContain("hybrid0")
                .doesNotContain("eth0x");
        assertThat(r.output())
                .contains("left: \n")
                .contains("links: hybrid0 keep0 lo \n")
                .contains("again: \n")
                .contains("rerun: left: \n");
    }

    @Test
    void theirRulesGoTheHostsOwnStay() throws Exception {
        String setup = String.join(
                " && ",
                List.of(
                        "iptables -N MY-FIREWALL",
                        "iptables -A INPUT -p tcp --dport 22 -j ACCEPT",
                        "iptables -A INPUT -j MY-FIREWALL",
                        "iptables -N KUBE-SERVICES",
                        "iptables -A INPUT -m comment --comment 'kubernetes service portals' -j KUBE-SERVICES",
                        "iptables -t nat -N KUBE-POSTROUTING",
                        "iptables -t nat -A POSTROUTING -j KUBE-POSTROUTING",
                        "iptables -t nat -N OVN-POSTROUTING",
                        "iptables -t nat -A POSTROUTING -m comment --comment 'kube-ovn postrouting rules' -j"
                                + " OVN-POSTROUTING",
                        "iptables -N HYBRIDNET-FORWARD",
                        "iptables -A FORWARD -m comment --comment 'hybridnet forward rules' -j HYBRIDNET-FORWARD",
                        "iptables -t mangle -N cali-PREROUTING",
                        "iptables -t mangle -A PREROUTING -m comment --comment 'cali:6gwbT8clXdHdC1b1' -j"
                                + " cali-PREROUTING",
                        "iptables -N FLANNEL-FWD",
                        "iptables -A FORWARD -j FLANNEL-FWD"));
        Run r = inNetns(setup + " || exit 9\n"
                + CleanupPlan.rulesLeft("iptables") + " && exit 11\n"
                + CleanupPlan.dropRules("iptables") + " || exit 10\n"
                + CleanupPlan.rulesLeft("iptables") + " || exit 12\n"
                + "iptables-save\n");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains(":MY-FIREWALL")
                .contains("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT")
                .contains("-A INPUT -j MY-FIREWALL")
                .doesNotContain("KUBE-")
                .doesNotContain("OVN-")
                .doesNotContain("HYBRIDNET")
                .doesNotContain("cali")
                .doesNotContain("FLANNEL");
    }
}
