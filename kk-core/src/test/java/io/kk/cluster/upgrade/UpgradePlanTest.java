package io.kk.cluster.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.node.Hosts;
import io.kk.plan.Inventory;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade pipeline against fake hosts that record every command in one ordered log: the
 * kubeadm and kubectl steps are asserted as the command lines kk generates (they cannot run here).
 */
class UpgradePlanTest {
    static final String OLD = "v1.27.4";
    static final String NEW = "v1.28.2";
    static final String CONTAINERD = "unix:///run/containerd/containerd.sock";

    static final Inventory INV = Inventory.of(
            Target.of("cp1", "10.0.0.1", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("cp2", "10.0.0.2", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("w1", "10.0.0.3", "amd64", Role.WORKER, Role.ETCD),
            Target.of("w2", "10.0.0.4", "amd64", Role.WORKER),
            Target.of("reg", "10.0.0.5", "amd64", Role.REGISTRY));

    /** The commands that say what happened to which node, as "host: command" in run order. */
    static final String[] STEPS = {
        "get nodes -o json",
        "kubeadm upgrade",
        "systemctl restart kubelet",
        "kubectl .* (cordon|drain|uncordon)",
        "jsonpath",
        "\\(upload\\)"
    };

    @TempDir
    Path dir;

    UpgradeRequest request;
    Hosts hosts;

    @BeforeEach
    void setUp() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("kube/" + NEW + "/amd64"));
        for (String b : List.of("kubeadm", "kubelet", "kubectl")) {
            Files.writeString(bin.resolve(b), b + " " + NEW);
        }
        request = new UpgradeRequest(
                INV,
                KubeVersion.parse(NEW),
                Map.of(
                        "amd64",
                        new UpgradeRequest.Binaries(
                                bin.resolve("kubeadm"), bin.resolve("kubelet"), bin.resolve("kubectl"))),
                false,
                List.of("v1.27.16", NEW),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                CONTAINERD);
        hosts = new Hosts(INV);
    }

    void clusterAt(String cp1, String cp2, String w1, String w2) {
        Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("cp1", cp1);
        nodes.put("cp2", cp2);
        nodes.put("w1", w1);
        nodes.put("w2", w2);
        hosts.host("cp1").answer(".*get nodes -o json", Hosts.nodesJson(nodes));
    }

    static String k(String rest) {
        return "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf " + rest;
    }

    static String apply() {
        return "cp1: timeout -k 600s 600s /usr/local/bin/kubeadm upgrade apply v1.28.2 -y --ignore-preflight-errors=all"
                + " --allow-experimental-upgrades --allow-release-candidate-upgrades --etcd-upgrade=false"
                + " --certificate-renewal=true";
    }

    static String node(String host) {
        return host + ": timeout -k 600s 600s /usr/local/bin/kubeadm upgrade node";
    }

    static String restart(String host) {
        return host + ": systemctl daemon-reload && systemctl restart kubelet";
    }

    static String waitReady(String node) {
        return "cp1: for i in $(seq 1 60); do s=$(" + k("get node " + node + " -o jsonpath=")
                + "'{.status.nodeInfo.kubeletVersion} {.status.conditions[?(@.type==\"Ready\")].status}' 2>/dev/null);"
                + " [ \"$s\" = 'v1.28.2 True' ] && exit 0; sleep 5; done; echo \"node " + node
                + " not ready: last state '$s', wanted 'v1.28.2 True'\" >&2; exit 1";
    }

    static List<String> worker(String w) {
        return List.of(
                "cp1: " + k("cordon " + w),
                "cp1: " + k("drain " + w + " --ignore-daemonsets --delete-emptydir-data --force --timeout=120s"),
                node(w),
                restart(w),
                waitReady(w),
                "cp1: " + k("uncordon " + w));
    }

    @Test
    void controlPlanesOneByOneTheFirstWithApplyThenWorkersOneByOneEachWithAHealthWait() {
        clusterAt(OLD + " Ready", OLD + " Ready", OLD + " Ready", OLD + " Ready");
        PlanReport report = hosts.run(UpgradePlan.pipeline(request), INV);

        assertThat(report.ok()).as(report.toString()).isTrue();
        List<String> expected = new java.util.ArrayList<>();
        expected.add("cp1: " + k("get nodes -o json"));
        expected.add(apply());
        expected.add(restart("cp1"));
        expected.add(waitReady("cp1"));
        expected.add(node("cp2"));
        expected.add(restart("cp2"));
        expected.add(waitReady("cp2"));
        expected.addAll(worker("w1"));
        expected.addAll(worker("w2"));
        assertThat(hosts.matching(STEPS)).containsExactlyElementsOf(expected);
        // the first control plane's kubeadm config is migrated to the new API (guarded) before apply
        assertThat(hosts.log()).anySatisfy(l -> assertThat(l)
                .startsWith("cp1: if [ -f /etc/kubernetes/kubeadm-config.yaml ] && ! grep -q 'apiVersion:"
                        + " kubeadm.k8s.io/v1beta3'"));
        // the registry host is not a Kubernetes node: untouched
        assertThat(hosts.log()).noneMatch(l -> l.startsWith("reg:"));
    }

    @Test
    void crossingIntoV131TheConfigIsMigratedToV1beta4() {
        assertThat(UpgradeCommands.migrateConfig(KubeVersion.parse("v1.31.2")))
                .isEqualTo("if [ -f /etc/kubernetes/kubeadm-config.yaml ] && ! grep -q 'apiVersion:"
                        + " kubeadm.k8s.io/v1beta4' /etc/kubernetes/kubeadm-config.yaml; then cp -f"
                        + " /etc/kubernetes/kubeadm-config.yaml /etc/kubernetes/kubeadm-config.yaml.bak &&"
                        + " /usr/local/bin/kubeadm config migrate --old-config /etc/kubernetes/kubeadm-config.yaml.bak"
                        + " --new-config /etc/kubernetes/kubeadm-config.yaml; fi");
        assertThat(UpgradeCommands.apiChanges(KubeVersion.parse("v1.30.6"), KubeVersion.parse("v1.31.2")))
                .isTrue();
        assertThat(UpgradeCommands.apiChanges(KubeVersion.parse("v1.29.6"), KubeVersion.parse("v1.30.2")))
                .isFalse();
    }

    @Test
    void aNodeTwoMinorsBehindStopsTheRunBeforeAnyChange() {
        clusterAt(OLD + " Ready", OLD + " Ready", "v1.26.5 Ready", OLD + " Ready");
        PlanReport report = hosts.run(UpgradePlan.pipeline(request), INV);

        assertThat(report.ok()).isFalse();
        var failure = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(failure.message())
                .isEqualTo("w1 runs v1.26.5: upgrading to v1.28.2 would skip 1 minor version(s); Kubernetes upgrades"
                        + " one minor at a time");
        assertThat(failure.hint()).startsWith("upgrade to v1.27.16 first");
        assertThat(hosts.log()).containsExactly("cp1: " + k("get nodes -o json"));
    }

    @Test
    void aNodeNewerThanTheTargetIsADowngradeAndRefused() {
        clusterAt("v1.29.0 Ready", OLD + " Ready", OLD + " Ready", OLD + " Ready");
        PlanReport report = hosts.run(UpgradePlan.pipeline(request), INV);
        assertThat(report.failedHosts().get(0).failure().orElseThrow().message())
                .isEqualTo("cp1 runs v1.29.0, newer than v1.28.2: kk does not downgrade");
        assertThat(hosts.matching("kubeadm")).isEmpty();
    }

    @Test
    void aNotReadyNodeStopsTheRunBeforeAnyChange() {
        clusterAt(OLD + " Ready", OLD + " Ready", OLD + " Ready", OLD + " NotReady");
        PlanReport report = hosts.run(UpgradePlan.pipeline(request), INV);
        assertThat(report.failedHosts().get(0).failure().orElseThrow().message())
                .isEqualTo("nodes are not Ready: [w2 (v1.27.4)]; kk upgrades only a healthy cluster");
        assertThat(hosts.matching("kubeadm")).isEmpty();
    }

    @Test
    void aFailingWorkerStopsTheRunAndARerunSkipsTheNodesAlreadyAtTheTarget() {
        clusterAt(OLD + " Ready", OLD + " Ready", OLD + " Ready", OLD + " Ready");
        hosts.host("w1").exit(".*kubeadm upgrade node", 1);
        PlanReport first = hosts.run(UpgradePlan.pipeline(request), INV);

        assertThat(first.ok()).isFalse();
        assertThat(first.failedHosts()).extracting(h -> h.host()).containsExactly("w1");
        assertThat(first.failedHosts().get(0).failure().orElseThrow().action()).isEqualTo("kubeadm upgrade node");
        // stopped at w1: it stays cordoned (no uncordon), w2 was never touched
        assertThat(hosts.log()).noneMatch(l -> l.startsWith("w2:"));
        assertThat(hosts.matching("uncordon")).isEmpty();
        assertThat(hosts.matching(STEPS)).endsWith(node("w1"));

        // the rerun reads the state from the cluster: the control planes now report the target
        hosts.clear();
        hosts.host("w1").exit(".*kubeadm upgrade node", 0);
        clusterAt(NEW + " Ready", NEW + " Ready", OLD + " Ready", OLD + " Ready");
        PlanReport second = hosts.run(UpgradePlan.pipeline(request), INV);

        assertThat(second.ok()).as(second.toString()).isTrue();
        List<String> expected = new java.util.ArrayList<>();
        expected.add("cp1: " + k("get nodes -o json"));
        expected.addAll(worker("w1"));
        expected.addAll(worker("w2"));
        assertThat(hosts.matching(STEPS)).containsExactlyElementsOf(expected);
        assertThat(hosts.log()).noneMatch(l -> l.startsWith("cp2:"));
        // each of cp2's own steps (3 binaries, kubeadm upgrade node, kubelet flags, kubelet restart) is
        // reported skipped
        assertThat(second.hosts().stream()
                        .filter(h -> h.host().equals("cp2"))
                        .findFirst()
                        .orElseThrow()
                        .skipped())
                .isEqualTo(6);
    }

    @Test
    void theDryRunShowsEveryNodesStepsInOrderWithoutContactingAnyHost() {
        String plan = PlanPreview.of(UpgradePlan.pipeline(request), INV).render();
        assertThat(plan)
                .contains("upgrade cp1 / cp1 (control plane)")
                .contains("$ " + apply().substring("cp1: ".length()))
                .contains("$ " + node("cp2").substring("cp2: ".length()))
                .contains("# skipped when the node's kubelet already reports v1.28.2 (read from the cluster)")
                .contains("install " + dir.resolve("kube/v1.28.2/amd64/kubeadm") + " -> /usr/local/bin/kubeadm");
        assertThat(hosts.log()).isEmpty();
    }

    static final String FLAGS_1_23 = "KUBELET_KUBEADM_ARGS=\"--container-runtime=remote"
            + " --container-runtime-endpoint=unix:///run/containerd/containerd.sock --network-plugin=cni"
            + " --pod-infra-container-image=dockerhub.kubekey.local/kubesphereio/pause:3.6\"\n";
    static final String FLAGS_1_24 =
            "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock"
                    + " --pod-infra-container-image=dockerhub.kubekey.local/kubesphereio/pause:3.6\"\n";

    UpgradeRequest to124() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("kube/v1.24.17/amd64"));
        for (String b : List.of("kubeadm", "kubelet", "kubectl")) {
            Files.writeString(bin.resolve(b), b + " v1.24.17");
        }
        return new UpgradeRequest(
                INV,
                KubeVersion.parse("v1.24.17"),
                Map.of(
                        "amd64",
                        new UpgradeRequest.Binaries(
                                bin.resolve("kubeadm"), bin.resolve("kubelet"), bin.resolve("kubectl"))),
                false,
                List.of("v1.23.17", "v1.24.17"),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                CONTAINERD);
    }

    @Test
    void crossingIntoV124EachNodesKubeletFlagsLoseDockershimBeforeItsKubeletRestarts() throws Exception {
        clusterAt("v1.23.17 Ready", "v1.23.17 Ready", "v1.23.17 Ready", "v1.23.17 Ready");
        for (String n : List.of("cp1", "cp2", "w1", "w2")) {
            hosts.host(n).files.put(KubeletFlags.PATH, FLAGS_1_23);
        }
        UpgradeRequest r = to124();
        PlanReport report = hosts.run(UpgradePlan.pipeline(r), INV);

        assertThat(report.ok()).as(report.toString()).isTrue();
        for (String n : List.of("cp1", "cp2", "w1", "w2")) {
            assertThat(hosts.host(n).files.get(KubeletFlags.PATH)).as(n).isEqualTo(FLAGS_1_24);
            assertThat(hosts.host(n).modes.get(KubeletFlags.PATH)).isEqualTo(0644);
        }
        // on each node: kubeadm, then the flags, then the restart on the new binary and flags
        assertThat(hosts.matching("kubeadm upgrade", "\\(upload\\) /var/lib/kubelet", "restart kubelet"))
                .containsExactly(
                        "cp1: timeout -k 600s 600s /usr/local/bin/kubeadm upgrade apply v1.24.17 -y"
                                + " --ignore-preflight-errors=all --allow-experimental-upgrades"
                                + " --allow-release-candidate-upgrades --etcd-upgrade=false --certificate-renewal=true",
                        "cp1: (upload) " + KubeletFlags.PATH,
                        restart("cp1"),
                        node("cp2"),
                        "cp2: (upload) " + KubeletFlags.PATH,
                        restart("cp2"),
                        node("w1"),
                        "w1: (upload) " + KubeletFlags.PATH,
                        restart("w1"),
                        node("w2"),
                        "w2: (upload) " + KubeletFlags.PATH,
                        restart("w2"));

        // the same flags again (a rerun that reaches the node, or 1.24 -> 1.25) are left as they are
        assertThat(KubeletFlags.rewrite(FLAGS_1_24, CONTAINERD)).isEqualTo(FLAGS_1_24);
        // kubeadm's dockershim file (docker below 1.24) and one with the endpoint missing
        assertThat(KubeletFlags.rewrite(
                        "KUBELET_KUBEADM_ARGS=\"--network-plugin=cni --cni-bin-dir=/opt/cni/bin"
                                + " --pod-infra-container-image=k8s.gcr.io/pause:3.6\"\n",
                        "unix:///var/run/cri-dockerd.sock"))
                .isEqualTo("KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/cri-dockerd.sock"
                        + " --pod-infra-container-image=k8s.gcr.io/pause:3.6\"\n");
        assertThat(KubeletFlags.applies(KubeVersion.parse("v1.23.17"))).isFalse();
    }

    @Test
    void crossingIntoV124WithDockerNodesIsRefusedBeforeAnyChange() throws Exception {
        clusterAt("v1.23.17 Ready", "v1.23.17 Ready", "v1.23.17 Ready", "v1.23.17 Ready");
        hosts.host("cp1")
                .answer(
                        ".*get nodes -o json",
                        Hosts.nodesJson(Map.of(
                                        "cp1",
                                        "v1.23.17 Ready",
                                        "cp2",
                                        "v1.23.17 Ready",
                                        "w1",
                                        "v1.23.17 Ready",
                                        "w2",
                                        "v1.23.17 Ready"))
                                .replace("containerd://1.7.13", "docker://20.10.24"));
        PlanReport report = hosts.run(UpgradePlan.pipeline(to124()), INV);

        var failure = report.failedHosts().get(0).failure().orElseThrow();
        assertThat(failure.message())
                .isEqualTo("nodes run docker through dockershim, which kubelet v1.24.17 no longer has:"
                        + " [cp1, cp2, w1, w2]");
        assertThat(failure.hint()).startsWith("move them to containerd first (kk alpha cri migrate --role all");
        assertThat(hosts.matching("kubeadm", "upload")).isEmpty();
    }
}
