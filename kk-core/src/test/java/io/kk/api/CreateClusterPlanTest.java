package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.create.Phase;
import io.kk.cluster.create.PhaseStatus;
import io.kk.config.ClusterConfig;
import io.kk.download.DownloadSource;
import io.kk.plan.Module;
import io.kk.plan.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the Kubernetes phases' modules sit in create cluster's plan, and when they stop it. */
class CreateClusterPlanTest {
    @TempDir
    Path dir;

    private ClusterConfig config() throws Exception {
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
                  - {name: w1, address: 10.0.0.21, user: root, password: x}
                  roleGroups: {etcd: [m1], control-plane: [m1], worker: [w1]}
                  etcd: {type: kubeadm}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                """);
        return Configs.load(file).orThrow();
    }

    private CreateCluster.Request request(Path artifact, List<Phase> phases) throws Exception {
        return new CreateCluster.Request(
                config(),
                dir,
                artifact,
                dir.resolve("work"),
                DownloadSource.UPSTREAM,
                phases,
                "create cluster",
                new HostRunOptions(dir.resolve("kh"), false, dir, RunOptions.defaults(), true));
    }

    private Path artifactWith(String... binaries) throws Exception {
        Path a = dir.resolve("artifact");
        for (String b : binaries) {
            Path f = a.resolve("kube/v1.28.2/amd64/" + b);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "placeholder " + b + "\n"); // never executed: a plan reads its checksum
        }
        Files.createDirectories(a);
        return a;
    }

    private static List<String> moduleNames(CreateCluster.Plan p) {
        return p.pipeline().modules().stream().map(Module::name).toList();
    }

    @Test
    void initAndJoinFollowTheRenewTimerAndTheBinariesComeOnce() throws Exception {
        Path a = artifactWith("kubeadm", "kubelet", "kubectl");
        CreateCluster.Plan p = CreateCluster.plan(request(a, Phase.all()), a, true);

        List<String> names = moduleNames(p);
        assertThat(names)
                .containsSubsequence(
                        "certs renew", "kubernetes binaries", "kubeadm init", "kubeadm join", "node roles");
        assertThat(names.stream().filter("kubernetes binaries"::equals)).hasSize(1);
        assertThat(p.phases())
                .filteredOn(s -> s.phase() == Phase.INIT || s.phase() == Phase.JOIN)
                .extracting(PhaseStatus::state)
                .containsOnly(PhaseStatus.State.RUNS);
        // with kubeadm there, nothing stops the run: the network plugin follows the joins
        assertThat(p.phases())
                .filteredOn(s -> s.phase() == Phase.CONFIGURE)
                .extracting(PhaseStatus::state)
                .containsOnly(PhaseStatus.State.RUNS);
        int network = names.indexOf(names.stream()
                .filter(n -> n.startsWith("network plugin"))
                .findFirst()
                .orElseThrow());
        assertThat(network).isGreaterThan(names.indexOf("kubeadm join"));
        assertThat(p.stop()).isEmpty();
    }

    /**
     * KubeKey's SaveKubeConfig puts the admin kubeconfig into ConfigMap {@code <cluster>-kubeconfig}
     * in {@code kubekey-system}; kk decided against cluster-admin credentials in a ConfigMap.
     */
    @Test
    void noStepPutsTheAdminKubeconfigIntoAConfigMap() throws Exception {
        Path a = artifactWith("kubeadm", "kubelet", "kubectl");
        CreateCluster.Plan p = CreateCluster.plan(request(a, Phase.all()), a, true);

        String steps = io.kk.plan.PlanPreview.of(p.pipeline(), p.inventory()).render();
        assertThat(steps).contains("kubeadm init").contains("/etc/kubernetes/admin.conf");
        assertThat(steps).doesNotContain("kubekey-system");
        assertThat(steps.lines()
                        .map(l -> l.toLowerCase(java.util.Locale.ROOT))
                        // <cluster>-kubeconfig, not kubectl's --kubeconfig flag
                        .filter(l -> l.contains("configmap") && l.matches(".*[a-z0-9]-kubeconfig\\b.*")))
                .isEmpty();
    }

    @Test
    void createPhaseJoinAloneBringsTheBinariesToNewNodes() throws Exception {
        Path a = artifactWith("kubeadm", "kubelet", "kubectl");
        CreateCluster.Plan p = CreateCluster.plan(request(a, List.of(Phase.JOIN)), a, true);

        assertThat(moduleNames(p)).containsExactly("kubernetes binaries", "kubeadm join", "node roles");
        assertThat(p.stop()).isEmpty();
    }

    @Test
    void withoutKubeadmTheRunStopsBeforeInitAndSaysWhere() throws Exception {
        Path a = artifactWith("kubelet", "kubectl");
        CreateCluster.Plan p = CreateCluster.plan(request(a, Phase.all()), a, true);

        assertThat(moduleNames(p)).doesNotContain("kubernetes binaries", "kubeadm init", "kubeadm join");
        assertThat(p.stop())
                .get()
                .asString()
                .contains("kubeadm v1.28.2 for amd64 is not in " + a)
                .contains("kk stops after etcd and the certificate renew timer");
        assertThat(p.phases())
                .filteredOn(s -> s.phase().needsKubeadm())
                .extracting(PhaseStatus::state)
                .containsOnly(PhaseStatus.State.MISSING_KUBEADM);
    }

    @Test
    void kubeadmWithoutKubeletIsAMissingFileTheDryRunShows() throws Exception {
        Path a = artifactWith("kubeadm", "kubectl");
        CreateCluster.Plan p = CreateCluster.plan(request(a, List.of(Phase.INIT)), a, true);

        assertThat(p.phases().get(0).state()).isEqualTo(PhaseStatus.State.MISSING_FILES);
        assertThat(p.phases().get(0).detail()).contains("kubelet v1.28.2 for amd64 is not in " + a);
    }
}
