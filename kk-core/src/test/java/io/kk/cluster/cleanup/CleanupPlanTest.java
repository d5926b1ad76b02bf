package io.kk.cluster.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupPlanTest {
    static final List<Target> HOSTS = List.of(
            Target.of("node1", "10.0.0.1", "amd64", Role.REGISTRY),
            Target.of("node2", "10.0.0.2", "amd64", Role.ETCD, Role.CONTROL_PLANE),
            Target.of("node3", "10.0.0.3", "amd64", Role.WORKER));

    static CleanupRequest request(boolean all, boolean data) {
        return new CleanupRequest(
                "node1",
                all,
                data,
                List.of("/var/lib/etcd", "/var/lib/containerd"),
                "/mnt/registry",
                "/usr/local/bin/kube-scripts");
    }

    static PlanPreview preview(CleanupRequest r) {
        return PlanPreview.of(new Pipeline("delete cluster", CleanupPlan.modules(r)), new Inventory(HOSTS));
    }

    static String text(PlanPreview p, int host) {
        return String.join(
                "\n",
                p.hosts().get(host).steps().stream()
                        .flatMap(s -> s.lines().stream())
                        .toList());
    }

    @Test
    void theRegistryHostIsLeftAloneWithoutAll() {
        PlanPreview p = preview(request(false, true));
        assertThat(p.hosts().get(0).steps()).isEmpty();
        assertThat(text(p, 1))
                .contains("kubeadm reset -f")
                .contains("etcd.service")
                .contains("/var/lib/etcd");
        assertThat(text(p, 2)).contains("containerd.service");
    }

    @Test
    void allTakesTheRegistryAndItsData() {
        String registry = text(preview(request(true, true)), 0);
        assertThat(registry)
                .contains("registry.service")
                .contains("/mnt/registry")
                .contains("/usr/local/bin/registry");
    }

    @Test
    void dataDirsAreKeptUnlessConfirmed() {
        String kept = text(preview(request(false, false)), 1);
        assertThat(kept).contains("keep /var/lib/etcd /var/lib/containerd (not confirmed)");
        // binaries, config files and the network plugins' state go all the same; no fourth removal
        assertThat(kept.lines().filter(l -> l.contains("rm -rf <each")).count()).isEqualTo(3);
        assertThat(text(preview(request(false, true)), 1)
                        .lines()
                        .filter(l -> l.contains("rm -rf <each"))
                        .count())
                .isEqualTo(4);
    }

    /** KubeKey's clusterFiles and networkResetCmds, plus kube-ovn's and hybridnet's leftovers. */
    @Test
    void theNetworkPluginsLeftoversAreNamedInThePlan() {
        String node = text(preview(request(false, false)), 2);
        assertThat(node)
                .contains("/var/lib/cni", "/var/lib/calico", "/var/log/calico", "/run/calico", "/run/flannel")
                .contains("/etc/flannel", "/etc/origin/openvswitch", "/etc/origin/ovn", "/run/openvswitch")
                .contains("/run/ovn", "/var/log/openvswitch", "/var/log/ovn", "/etc/cni/net.d", "/usr/bin/kubelet")
                .contains("flannel.1 flannel-v6.1 flannel-wg flannel-wg-v6 cilium_host cilium_net cilium_vxlan")
                .contains("vxlan.calico vxlan-v6.calico", "genev_sys_6081", "ovn0", "br-int", "kube-ipvs0")
                .contains("cali[0-9a-f]+|hybr[0-9a-f]{11,12}", "tunl0", "ovs-dpctl del-dp ovs-system")
                .contains("OVN-|ovn40|ovn60|kube-ovn|HYBRIDNET")
                .contains("ipset destroy", "nft delete table $f kube-proxy", "ipvsadm -C")
                .contains("ip netns delete");
        // still data (asked for): the volumes KubeKey's delete takes unasked
        assertThat(node).contains("keep /var/lib/etcd /var/lib/containerd (not confirmed)");
    }

    @Test
    void aHostWithNothingOfKksLeftReportsNoChange() {
        Map<String, FakeHost> fakes = new LinkedHashMap<>();
        for (Target t : HOSTS) {
            // every check passes (the fake answers unscripted commands with success and no output)
            fakes.put(t.name(), new FakeHost(t.name()));
        }
        PlanReport report = new PlanRunner(
                        FakeHost.factory(fakes), RunOptions.defaults(), e -> {}, Clock.systemUTC(), d -> {})
                .run(new Pipeline("delete cluster", CleanupPlan.modules(request(true, true))), new Inventory(HOSTS));
        assertThat(report.ok()).isTrue();
        assertThat(report.total(Outcome.CHANGED)).isZero();
        assertThat(fakes.get("node2").commands())
                .noneMatch(c -> c.startsWith("rm ") || c.startsWith("systemctl disable"));
    }

    @Test
    void aUnitIsRemovedOnlyWhenKkWroteIt() {
        FakeHost h = new FakeHost("node2");
        h.exit("! test -e /etc/systemd/system/etcd.service .*", 1);
        PlanReport report = new PlanRunner(
                        FakeHost.factory(Map.of("node2", h)),
                        RunOptions.defaults(),
                        e -> {},
                        Clock.systemUTC(),
                        d -> {})
                .run(
                        Pipeline.of(
                                "t",
                                io.kk.plan.Module.of(
                                        "m",
                                        io.kk.plan.Task.parallel(
                                                "t",
                                                io.kk.plan.HostSelector.all(),
                                                CleanupPlan.unit("etcd.service"),
                                                CleanupPlan.unit("containerd.service")))),
                        Inventory.of(HOSTS.get(1)));
        assertThat(report.total(Outcome.CHANGED)).isEqualTo(1);
        assertThat(h.commands())
                .anyMatch(c -> c.startsWith("systemctl disable --now etcd.service")
                        && c.contains("rm -rf /etc/systemd/system/etcd.service /etc/systemd/system/etcd.service.d"
                                + " /var/lib/systemd/timers/stamp-etcd.service"));
        assertThat(h.commands()).noneMatch(c -> c.startsWith("systemctl disable --now containerd"));
    }

    /** The block removal, run by bash on a copy of a hosts file. */
    @Test
    void theHostsBlocksGoAndEverythingElseStays(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        String before = "127.0.0.1 localhost\n10.9.9.9 mine\n";
        Files.writeString(
                hosts,
                before.replace(
                                "mine\n",
                                "mine\n# kubekey hosts BEGIN\n10.0.0.2  node2.cluster.local node2\n"
                                        + "# kubekey hosts END\n")
                        + "# kk registry BEGIN\n10.0.0.1  dockerhub.kubekey.local\n# kk registry END\n");
        for (String[] block : List.of(
                new String[] {CleanupPlan.HOSTS_BEGIN, CleanupPlan.HOSTS_END},
                new String[] {CleanupPlan.REGISTRY_BEGIN, CleanupPlan.REGISTRY_END})) {
            String script = CleanupPlan.hostsBlock("b", block[0], block[1])
                    .describe(HOSTS.get(1))
                    .get(1)
                    .substring(2);
            Process p = new ProcessBuilder("bash", "-c", script.replace("/etc/hosts", hosts.toString()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        }
        assertThat(Files.readString(hosts)).isEqualTo(before);
    }
}
