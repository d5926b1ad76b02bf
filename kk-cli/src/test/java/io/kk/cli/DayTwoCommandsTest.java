package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk upgrade}, {@code kk delete node} and {@code kk alpha cri migrate} without hosts: their
 * dry runs print the plan in run order and contact nothing; refusals come before any connection,
 * with exit code 2 and a hint.
 */
class DayTwoCommandsTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    /** Hosts on TEST-NET-1 (192.0.2.0/24): nothing answers there, so any connection would fail. */
    private Path config(String controlPlanes, String manager) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: dry}
                spec:
                  hosts:
                  - {name: node1, address: 192.0.2.11, user: root, password: "s3cret-pw"}
                  - {name: node2, address: 192.0.2.12, user: root, password: "s3cret-pw"}
                  - {name: node3, address: 192.0.2.13, user: root, password: "s3cret-pw"}
                  roleGroups:
                    etcd: ["node[1:3]"]
                    control-plane: [%s]
                    worker: ["node[2:3]"]
                  kubernetes: {version: %s, proxyMode: iptables, containerManager: %s}
                """
                        .formatted(controlPlanes, manager.equals("docker") ? "v1.23.17" : "v1.27.4", manager));
        return file;
    }

    private Path artifact(String version) throws Exception {
        Path a = dir.resolve("artifact");
        for (String b : new String[] {"kubeadm", "kubelet", "kubectl"}) {
            Path p = a.resolve("kube/" + version + "/amd64/" + b);
            Files.createDirectories(p.getParent());
            Files.writeString(p, b);
        }
        return a;
    }

    @Test
    void upgradeDryRunPrintsControlPlanesThenWorkersInOrder() throws Exception {
        int code = kk.run(
                "upgrade",
                "-f",
                config("node1", "containerd").toString(),
                "-a",
                artifact("v1.28.2").toString(),
                "--dir",
                dir.resolve("kubekey").toString(),
                "--with-kubernetes",
                "v1.28.2",
                "--dry-run");
        assertThat(code).as(kk.err()).isZero();
        String plan = kk.out();
        assertThat(plan).startsWith("plan: upgrade to v1.28.2, in order");
        int apply = plan.indexOf("kubeadm upgrade apply v1.28.2");
        int drain2 = plan.indexOf("drain node2 --ignore-daemonsets");
        int node2 = plan.indexOf("[node2] node2 (worker) / kubeadm upgrade node");
        int drain3 = plan.indexOf("drain node3 --ignore-daemonsets");
        assertThat(apply).isPositive();
        assertThat(drain2).isGreaterThan(apply);
        assertThat(node2).isGreaterThan(drain2);
        assertThat(drain3).isGreaterThan(node2);
        assertThat(plan).doesNotContain("s3cret-pw");
        assertThat(dir.resolve("kubekey")).doesNotExist();
    }

    @Test
    void upgradeSkippingAMinorIsRefusedWithExit2AndAHint() throws Exception {
        int code = kk.run(
                "upgrade",
                "-f",
                config("node1", "containerd").toString(),
                "-a",
                artifact("v1.29.0").toString(),
                "--with-kubernetes",
                "v1.29.0",
                "--dry-run");
        assertThat(code).isEqualTo(2);
        assertThat(kk.err())
                .contains("the cluster (spec.kubernetes.version) runs v1.27.4: upgrading to v1.29.0 would skip 1 minor")
                .contains("upgrade to v1.28.");
    }

    @Test
    void upgradeWithoutTheTargetBinariesIsRefusedBeforeAnyConnection() throws Exception {
        int code = kk.run(
                "upgrade",
                "-f",
                config("node1", "containerd").toString(),
                "-a",
                artifact("v1.27.9").toString(),
                "--with-kubernetes",
                "v1.28.2",
                "--yes");
        assertThat(code).isEqualTo(2);
        assertThat(kk.err()).contains("the artifact lacks Kubernetes v1.28.2 binaries");
    }

    @Test
    void deleteNodeDryRunDrainsRemovesTheMemberResetsAndDeletes() throws Exception {
        int code = kk.run(
                "delete", "node", "node3", "-f", config("node1", "containerd").toString(), "--dry-run");
        assertThat(code).as(kk.err()).isZero();
        String plan = kk.out();
        assertThat(plan).startsWith("plan: delete node node3, in order");
        assertThat(plan.indexOf("drain node3"))
                .isLessThan(plan.indexOf("member remove"))
                .isPositive();
        assertThat(plan.indexOf("member remove")).isLessThan(plan.indexOf("kubeadm reset -f"));
        assertThat(plan.indexOf("kubeadm reset -f")).isLessThan(plan.indexOf("delete node node3 --ignore-not-found"));
    }

    @Test
    void deletingTheLastControlPlaneIsRefused() throws Exception {
        int code = kk.run(
                "delete", "node", "node1", "-f", config("node1", "containerd").toString(), "--yes");
        assertThat(code).isEqualTo(2);
        assertThat(kk.err())
                .contains("node1 is the last control plane: deleting it would leave no cluster")
                .contains("add another control plane first");
    }

    @Test
    void criMigrateDryRunGoesOneWorkerAtATime() throws Exception {
        Path a = dir.resolve("artifact");
        // the runtime phase's binaries: any tarball holding the right names will do for a plan
        Path containerd = a.resolve("containerd/1.7.13/amd64/containerd-1.7.13-linux-amd64.tar.gz");
        Files.createDirectories(containerd.getParent());
        tgz(containerd, "bin/containerd");
        Path runc = a.resolve("runc/v1.1.12/amd64/runc.amd64");
        Files.createDirectories(runc.getParent());
        Files.writeString(runc, "runc");
        Path cni = a.resolve("cni/v1.2.0/amd64/cni-plugins-linux-amd64-v1.2.0.tgz");
        Files.createDirectories(cni.getParent());
        tgz(cni, "./bridge");
        int code = kk.run(
                "alpha",
                "cri",
                "migrate",
                "--role",
                "worker",
                "-f",
                config("node1", "docker").toString(),
                "-a",
                a.toString(),
                "--dry-run");
        assertThat(code).as(kk.err()).isZero();
        String plan = kk.out();
        assertThat(plan.indexOf("[node1] node2 drain / drain node2"))
                .isPositive()
                .isLessThan(plan.indexOf("[node2] node2 stop docker"));
        assertThat(plan.indexOf("[node2] node2 stop docker")).isLessThan(plan.indexOf("uncordon node2"));
        assertThat(plan.indexOf("uncordon node2")).isLessThan(plan.indexOf("[node1] node3 drain / drain node3"));
        // below 1.24 kubelet still defaults to dockershim: it is told the runtime is remote
        assertThat(plan)
                .contains(
                        "--container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock");
    }

    private static void tgz(Path file, String entry) throws Exception {
        try (var os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file));
                var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(os)) {
            byte[] b = entry.getBytes(StandardCharsets.UTF_8);
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(entry);
            e.setSize(b.length);
            e.setMode(0100755);
            tar.putArchiveEntry(e);
            tar.write(b);
            tar.closeArchiveEntry();
        }
    }
}
