package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create cluster --dry-run}: after the CNI the first control plane applies CoreDNS,
 * nodelocaldns, the hosts' labels and, with {@code --with-local-storage}, OpenEBS local PV.
 */
class CreateClusterSettingsDryRunTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    private String dryRun(String... more) throws Exception {
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
                  - {name: node2, address: 192.0.2.12, user: root, password: "s3cret-pw", labels: {disk: ssd}}
                  roleGroups: {etcd: [node1], control-plane: [node1], worker: [node2]}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  storage: {openebs: {basePath: /data/local}}
                """);
        String[] base = {
            "create",
            "cluster",
            "--dry-run",
            "-f",
            file.toString(),
            "--dir",
            dir.resolve("w").toString()
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        kk.reset();
        int code = kk.run(args);
        assertThat(code).as(kk.err()).isZero();
        return kk.out();
    }

    @Test
    void configureAppliesDnsLabelsAndAskedForLocalStorageAfterTheCni() throws Exception {
        String plan = dryRun("--with-local-storage");
        assertThat(plan)
                .containsPattern("configure +runs +network plugin calico; coredns, nodelocaldns, node-labels,"
                        + " local-storage from node1");
        String node1 = plan.substring(plan.indexOf("[node1]"), plan.indexOf("[node2]"));
        String kubectl = "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf ";
        String[] inOrder = {
            kubectl + "apply -f /etc/kubernetes/network-plugin.yaml --force",
            "write /etc/kubernetes/coredns.yaml",
            kubectl + "apply -f /etc/kubernetes/coredns.yaml && ",
            "delete service kube-dns --ignore-not-found",
            kubectl + "apply -f /etc/kubernetes/nodelocaldns.yaml",
            kubectl + "label --overwrite node node2 disk=ssd",
            "write /etc/kubernetes/addons/local-volume.yaml",
            kubectl + "apply -f /etc/kubernetes/addons/local-volume.yaml"
        };
        int from = 0;
        for (String p : inOrder) {
            int i = node1.indexOf(p, from);
            assertThat(i).as("'" + p + "' after " + from + " in\n" + node1).isGreaterThanOrEqualTo(0);
            from = i + p.length();
        }
        String node2 = plan.substring(plan.indexOf("[node2]"));
        assertThat(node2).doesNotContain("coredns.yaml").doesNotContain("label --overwrite");
        assertThat(plan).doesNotContain("s3cret-pw");
    }

    @Test
    void withoutTheFlagOrKubeSphereNoLocalStorageAndFalseTurnsItOffWithKubeSphere() throws Exception {
        assertThat(dryRun()).doesNotContain("local-volume.yaml").contains("nodelocaldns.yaml");
        // KubeKey deploys it with KubeSphere, unless told not to
        assertThat(dryRun("--with-kubesphere")).contains("local-volume.yaml");
        assertThat(dryRun("--with-kubesphere", "--with-local-storage=false")).doesNotContain("local-volume.yaml");
    }
}
