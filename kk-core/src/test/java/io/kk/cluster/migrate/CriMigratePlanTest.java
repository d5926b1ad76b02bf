package io.kk.cluster.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.node.Hosts;
import io.kk.cluster.runtime.RuntimeRequest;
import io.kk.cluster.runtime.RuntimeSettings;
import io.kk.plan.Inventory;
import io.kk.plan.PlanReport;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriMigratePlanTest {
    static final Inventory INV = Inventory.of(
            Target.of("cp1", "10.0.0.1", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("w1", "10.0.0.2", "amd64", Role.WORKER),
            Target.of("w2", "10.0.0.3", "amd64", Role.WORKER));

    @TempDir
    Path dir;

    static CriMigrateRequest request(CriMigrateRequest.NodeRole role, String version) {
        RuntimeSettings settings = new RuntimeSettings(
                "", "dockerhub.kubekey.local/kubesphereio/pause:3.9", List.of(), List.of(), List.of(), "", "");
        return new CriMigrateRequest(
                INV,
                role,
                KubeVersion.parse(version),
                hosts -> new RuntimeRequest(hosts, "containerd", settings, List.of()),
                List.of(),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5));
    }

    static String k(String rest) {
        return "cp1: /usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf " + rest;
    }

    @Test
    void workersOneAtATimeEachDrainedMovedToContainerdAndBackInService() {
        Hosts hosts = new Hosts(INV);
        hosts.host("w1").exit(".*systemctl is-active -q docker.service.*", 1);
        hosts.host("w2").exit(".*systemctl is-active -q docker.service.*", 1);
        hosts.host("w1").exit("systemctl is-enabled containerd.*", 1);
        hosts.host("w2").exit("systemctl is-enabled containerd.*", 1);
        PlanReport report =
                hosts.run(CriMigratePlan.pipeline(request(CriMigrateRequest.NodeRole.WORKER, "v1.28.2")), INV);

        assertThat(report.ok()).as(report.toString()).isTrue();
        List<String> steps = hosts.matching(
                "kubectl",
                "disable --now \\$u",
                "\\(upload\\) /etc/containerd/config.toml",
                "enable --now containerd",
                "kubeadm-flags.env",
                "restart kubelet");
        assertThat(steps)
                .containsExactly(
                        k("cordon w1"),
                        k("drain w1 --ignore-daemonsets --delete-emptydir-data --force --timeout=120s"),
                        "w1: " + CriMigratePlan.STOP_DOCKER,
                        "w1: (upload) /etc/containerd/config.toml",
                        "w1: systemctl enable --now containerd",
                        "w1: "
                                + CriMigratePlan.kubeletEndpointScript(
                                        request(CriMigrateRequest.NodeRole.WORKER, "v1.28.2")),
                        "w1: systemctl daemon-reload && systemctl restart kubelet",
                        k("annotate node w1 --overwrite kubeadm.alpha.kubernetes.io/cri-socket="
                                + "unix:///run/containerd/containerd.sock"),
                        steps.get(8),
                        k("uncordon w1"),
                        k("cordon w2"),
                        k("drain w2 --ignore-daemonsets --delete-emptydir-data --force --timeout=120s"),
                        "w2: " + CriMigratePlan.STOP_DOCKER,
                        "w2: (upload) /etc/containerd/config.toml",
                        "w2: systemctl enable --now containerd",
                        "w2: "
                                + CriMigratePlan.kubeletEndpointScript(
                                        request(CriMigrateRequest.NodeRole.WORKER, "v1.28.2")),
                        "w2: systemctl daemon-reload && systemctl restart kubelet",
                        k("annotate node w2 --overwrite kubeadm.alpha.kubernetes.io/cri-socket="
                                + "unix:///run/containerd/containerd.sock"),
                        steps.get(18),
                        k("uncordon w2"));
        assertThat(steps.get(8))
                .isEqualTo("cp1: " + io.kk.cluster.node.Kubectl.waitReady("w1", "", Duration.ofMinutes(5)));
        assertThat(steps.get(18))
                .isEqualTo("cp1: " + io.kk.cluster.node.Kubectl.waitReady("w2", "", Duration.ofMinutes(5)));
        assertThat(hosts.log()).noneMatch(l -> l.startsWith("cp1: ") && l.contains("docker"));
    }

    @Test
    void aNodeWithoutKubeletGetsContainerdAndItsKubernetesStepsAreSkippedWithANote() {
        Hosts hosts = new Hosts(INV);
        hosts.host("cp1").exit(".*test -x /usr/local/bin/kubelet.*", 1);
        hosts.host("cp1").exit(".*systemctl is-active -q docker.service.*", 1);
        hosts.host("cp1").exit("systemctl is-enabled containerd.*", 1);
        PlanReport report =
                hosts.run(CriMigratePlan.pipeline(request(CriMigrateRequest.NodeRole.MASTER, "v1.28.2")), INV);

        assertThat(report.ok()).isTrue();
        assertThat(hosts.matching("kubectl --kubeconfig", "restart kubelet", "kubeadm-flags"))
                .isEmpty();
        assertThat(hosts.matching("disable --now \\$u", "enable --now containerd"))
                .hasSize(2);
        // drain, kubelet endpoint, kubelet restart, annotation, wait, uncordon
        assertThat(report.total(io.kk.plan.Outcome.SKIPPED)).isEqualTo(6);
        assertThat(hosts.log()).noneMatch(l -> l.startsWith("w1:") || l.startsWith("w2:"));
    }

    @Test
    void dockerAlreadyStoppedIsLeftAlone() {
        Hosts hosts = new Hosts(INV);
        PlanReport report =
                hosts.run(CriMigratePlan.pipeline(request(CriMigrateRequest.NodeRole.WORKER, "v1.28.2")), INV);
        assertThat(report.ok()).isTrue();
        assertThat(hosts.matching("disable --now \\$u")).isEmpty();
    }

    /** The generated sed script, run by the real bash and sed on files like kubeadm writes them. */
    @Test
    void kubeletFlagsArePointedAtContainerdByTheRealScript() throws Exception {
        Path flags = dir.resolve("kubeadm-flags.env");
        Path config = dir.resolve("config.yaml");
        // 1.23 with dockershim, as kubeadm wrote it
        Files.writeString(
                flags,
                "KUBELET_KUBEADM_ARGS=\"--network-plugin=cni --pod-infra-container-image=dockerhub.kubekey.local/kubesphereio/pause:3.6\"\n");
        bash(CriMigratePlan.kubeletEndpointScript(
                request(CriMigrateRequest.NodeRole.ALL, "v1.23.17"), flags.toString(), config.toString()));
        assertThat(Files.readString(flags))
                .isEqualTo("KUBELET_KUBEADM_ARGS=\"--container-runtime=remote"
                        + " --container-runtime-endpoint=unix:///run/containerd/containerd.sock"
                        + " --pod-infra-container-image=dockerhub.kubekey.local/kubesphereio/pause:3.6\"\n");
        // 1.28 with cri-dockerd: the old endpoint is replaced, in the flags and in the kubelet config
        Files.writeString(
                flags,
                "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/cri-dockerd.sock --pod-infra-container-image=p:3.9\"\n");
        Files.writeString(
                config,
                "kind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///var/run/cri-dockerd.sock\nmaxPods: 110\n");
        String script = CriMigratePlan.kubeletEndpointScript(
                request(CriMigrateRequest.NodeRole.ALL, "v1.28.2"), flags.toString(), config.toString());
        bash(script);
        assertThat(Files.readString(flags))
                .isEqualTo("KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock"
                        + " --pod-infra-container-image=p:3.9\"\n");
        assertThat(Files.readString(config))
                .isEqualTo(
                        "kind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\nmaxPods: 110\n");
        // a second run changes nothing
        bash(script);
        assertThat(Files.readString(flags))
                .isEqualTo("KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock"
                        + " --pod-infra-container-image=p:3.9\"\n");
    }

    private static void bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}
