package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.create.Phase;
import io.kk.cluster.create.PhaseStatus;
import io.kk.cluster.storage.LocalStorage;
import io.kk.config.ClusterConfig;
import io.kk.download.DownloadSource;
import io.kk.event.EventSink;
import io.kk.plan.Action;
import io.kk.plan.FakeHost;
import io.kk.plan.HostContext;
import io.kk.plan.Module;
import io.kk.plan.Outcome;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configure phase: the CNI, then on the same first control plane CoreDNS, nodelocaldns, the
 * hosts' labels and OpenEBS local PV, in that order; a rerun on a cluster where every step's stamp
 * and files are in place runs only the checks.
 */
class ConfigurePhasePlanTest {
    static final Target MASTER = Target.of("m1", "10.0.0.11", "amd64", Role.CONTROL_PLANE);

    @TempDir
    Path dir;

    private ClusterConfig config(String plugin, String more) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: t}
                spec:
                  hosts:
                  - {name: m1, address: 10.0.0.11, user: root, password: x}
                  - {name: w1, address: 10.0.0.21, user: root, password: x, labels: {disk: ssd}}
                  roleGroups: {etcd: [m1], control-plane: [m1], worker: [w1]}
                  kubernetes: {version: v1.28.2, containerManager: containerd%s}
                  network: {plugin: %s, kubeServiceCIDR: 10.96.0.0/16}
                """
                        .formatted(more, plugin));
        return Configs.load(file).orThrow();
    }

    private CreateCluster.Plan plan(ClusterConfig c) {
        CreateCluster.Request r = new CreateCluster.Request(
                c,
                dir,
                null,
                dir.resolve("work"),
                DownloadSource.UPSTREAM,
                List.of(Phase.CONFIGURE),
                "create phase configure",
                new HostRunOptions(dir.resolve("kh"), false, dir, RunOptions.defaults(), true));
        return CreateCluster.plan(r, dir, true);
    }

    private static List<String> actionsOn(CreateCluster.Plan p, Target host) {
        List<String> out = new ArrayList<>();
        for (Module m : p.pipeline().modules()) {
            for (Task t : m.tasks()) {
                if (t.hosts().test(host)) {
                    t.actions().forEach(a -> out.add(a.name()));
                }
            }
        }
        return out;
    }

    @Test
    void afterTheCniComeDnsLabelsAndLocalStorageOnTheFirstControlPlane() throws Exception {
        CreateCluster.Plan p = plan(LocalStorage.withFlag(config("calico", ""), true));
        assertThat(actionsOn(p, MASTER))
                .containsExactly("network-plugin", "coredns", "nodelocaldns", "node-labels", "local-storage");
        assertThat(actionsOn(p, Target.of("w1", "10.0.0.21", "amd64", Role.WORKER)))
                .isEmpty();
        assertThat(p.phases()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(PhaseStatus.State.RUNS);
            assertThat(s.detail())
                    .isEqualTo("network plugin calico; coredns, nodelocaldns, node-labels, local-storage from m1");
        });
    }

    @Test
    void defaultsAreCoreDnsAndNodeLocalDnsOnlyAndPluginNoneKeepsDnsButNoStorage() throws Exception {
        assertThat(actionsOn(plan(config("calico", ", nodelocaldns: true")), MASTER))
                .containsExactly("network-plugin", "coredns", "nodelocaldns", "node-labels");
        // KubeKey deploys no local storage without a network plugin, even when asked
        assertThat(actionsOn(plan(LocalStorage.withFlag(config("none", ", nodelocaldns: false"), true)), MASTER))
                .containsExactly("coredns", "node-labels");
    }

    /**
     * kubelet's clusterDNS (the kubeadm config) is where kk's DNS answers: nodelocaldns's address, or
     * CoreDNS's Service; nodelocaldns forwards to that Service; CoreDNS runs kubeadm's image.
     */
    @Test
    void kubeletsClusterDnsIsWhereTheDeployedDnsListens() throws Exception {
        for (boolean nodeLocal : List.of(true, false)) {
            ClusterConfig c = config("calico", ", nodelocaldns: " + nodeLocal);
            io.kk.cluster.kubernetes.KubeadmSettings kubeadm = KubernetesSettings.of(c);
            io.kk.cluster.dns.DnsSettings dns = io.kk.cluster.dns.DnsSettings.of(c, DeliverySettings.target(c));
            String coredns = io.kk.cluster.dns.DnsManifests.files(dns).get("/etc/kubernetes/coredns.yaml");
            assertThat(coredns).contains("clusterIP: " + kubeadm.corednsServiceIp());
            assertThat(kubeadm.corednsServiceIp()).isEqualTo("10.96.0.3");
            assertThat(coredns)
                    .contains("image: " + kubeadm.images().corednsRepository() + "/coredns:"
                            + kubeadm.images().corednsTag());
            if (nodeLocal) {
                String cache = io.kk.cluster.dns.DnsManifests.files(dns).get("/etc/kubernetes/nodelocaldns.yaml");
                assertThat(cache)
                        .contains("\"-localip\", \"" + kubeadm.clusterDns() + "\"")
                        .contains("forward . " + kubeadm.corednsServiceIp() + " {");
            } else {
                assertThat(kubeadm.clusterDns()).isEqualTo(kubeadm.corednsServiceIp());
            }
        }
    }

    @Test
    void aRerunWithEveryStampInPlaceRunsOnlyTheChecks() throws Exception {
        CreateCluster.Plan p = plan(LocalStorage.withFlag(config("calico", ""), true));
        FakeHost host = new FakeHost("m1"); // every command answers 0: each stamp and file matches
        List<String> checks = new ArrayList<>();
        for (Module m : p.pipeline().modules()) {
            for (Task t : m.tasks()) {
                for (Action a : t.actions()) {
                    HostContext h = HostContext.forTest(MASTER, host.open(), EventSink.NONE, Clock.systemUTC());
                    assertThat(a.apply(h).outcome()).as(a.name()).isEqualTo(Outcome.UNCHANGED);
                    checks.add(a.describe(MASTER).get(0));
                }
            }
        }
        assertThat(host.commands()).hasSize(5).allMatch(c -> c.startsWith("grep -qx "));
        assertThat(host.files).isEmpty();
        // and a first run would run the commands those checks guard
        FakeHost fresh = new FakeHost("m1").exit("^grep -qx .*", 1);
        for (Module m : p.pipeline().modules()) {
            for (Task t : m.tasks()) {
                for (Action a : t.actions()) {
                    HostContext h = HostContext.forTest(MASTER, fresh.open(), EventSink.NONE, Clock.systemUTC());
                    assertThat(a.apply(h).outcome()).as(a.name()).isEqualTo(Outcome.CHANGED);
                }
            }
        }
        assertThat(fresh.files)
                .containsKeys(
                        "/etc/kubernetes/network-plugin.yaml",
                        "/etc/kubernetes/coredns.yaml",
                        "/etc/kubernetes/nodelocaldns.yaml",
                        "/etc/kubernetes/addons/local-volume.yaml");
        assertThat(fresh.commands())
                .anyMatch(c -> c.contains("label --overwrite node w1 disk=ssd"))
                .anyMatch(c -> c.contains("delete service kube-dns --ignore-not-found"));
        assertThat(checks).hasSize(5);
    }
}
