package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk delete node} of an etcd member on three real nodes: kk delivers a three-member etcd
 * (as {@code create phase etcd} does), then deletes node3. Its member is removed through node1 with
 * kk's certificates, its etcd stopped and kk's etcd files gone; the two others stay healthy and
 * keep the data. The nodes have no kubelet: the drain, {@code kubeadm reset} and {@code kubectl
 * delete node} steps are skipped with a note saying so (their command lines are checked in
 * DeleteNodePlanTest).
 */
@TestbedNodes(count = 3)
class DeleteNodeIT {
    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;

    @BeforeAll
    static void artifactWithEtcd() throws Exception {
        artifactDir = TestArtifacts.etcdOnly(dir);
        workDir = dir.resolve("kubekey");
        knownHosts = dir.resolve("known_hosts");
    }

    @Test
    void anEtcdMemberIsRemovedAndTheOtherTwoStayHealthy(Testbed testbed) throws Exception {
        Path config = config(testbed);
        KkRun etcd = KkRun.of(
                "create",
                "phase",
                "etcd",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--dir",
                workDir.toString(),
                "--yes",
                "--known-hosts",
                knownHosts.toString());
        assertThat(etcd.exit()).as(etcd.err()).isZero();
        etcd().run(testbed.nodes(), "put", "/kk/before-delete", "kept");
        assertThat(etcd().at(testbed.node(1), "member", "list")).contains("etcd-node3");

        // kk's kubeadm config on node1 lists node3's etcd: delete node takes it out (no manifest here,
        // so no kube-apiserver to wait for)
        String endpoints =
                "    endpoints:\n" + "    - https://" + testbed.node(1).address() + ":2379\n" + "    - https://"
                        + testbed.node(2).address() + ":2379\n";
        String kubeadmConfig = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\netcd:\n  external:\n"
                + "    caFile: /etc/ssl/etcd/ssl/ca.pem\n" + endpoints;
        String withNode3 = kubeadmConfig + "    - https://" + testbed.node(3).address() + ":2379\n";
        testbed.exec(
                testbed.node(1),
                "sh",
                "-c",
                "mkdir -p /etc/kubernetes && printf '%s' '" + withNode3 + "' > /etc/kubernetes/kubeadm-config.yaml");

        KkRun del = KkRun.of(
                "delete", "node", "node3", "-f", config.toString(), "--yes", "--known-hosts", knownHosts.toString());
        assertThat(del.exit()).as(del.err()).isZero();
        assertThat(del.err())
                .contains("[node1] precheck / etcd quorum: quorum ... unchanged")
                .contains("3 of 3 members healthy")
                .contains("[node1] etcd member / remove etcd member etcd-node3: member remove ... changed")
                // no kubelet on the testbed: the Kubernetes steps say why they did not run
                .contains("[node1] drain / drain node3: drain node3 ... skipped")
                .contains("node3 has no kubelet (not a Kubernetes node): skipped")
                .contains("[node3] reset node / reset node3: kubeadm reset ... skipped")
                .contains("[node1] node object / delete node node3: kubectl delete node ... skipped")
                .contains("[node2] etcd endpoints / kube-apiserver --etcd-servers without https://"
                        + testbed.node(3).address() + ":2379: kube-apiserver etcd endpoints ... skipped")
                .contains("[node1] etcd endpoints / kubeadm-config without https://"
                        + testbed.node(3).address() + ":2379: kubeadm-config etcd endpoints ... skipped");
        assertThat(testbed.exec(testbed.node(1), "cat", "/etc/kubernetes/kubeadm-config.yaml"))
                .isEqualTo(kubeadmConfig);

        String members = etcd().run(List.of(testbed.node(1), testbed.node(2)), "member", "list");
        assertThat(members).contains("etcd-node1").contains("etcd-node2").doesNotContain("etcd-node3");
        etcd().assertHealthy(List.of(testbed.node(1), testbed.node(2)));
        assertThat(etcd().at(testbed.node(2), "get", "/kk/before-delete", "--print-value-only")
                        .strip())
                .isEqualTo("kept");
        // a write still commits with two members
        etcd().run(List.of(testbed.node(1), testbed.node(2)), "put", "/kk/after-delete", "written");

        TestbedNode node3 = testbed.node(3);
        assertThat(testbed.exec(node3, "sh", "-c", "systemctl is-active etcd || true")
                        .strip())
                .isEqualTo("inactive");
        assertThat(testbed.exec(
                                node3,
                                "sh",
                                "-c",
                                "ls -d /etc/systemd/system/etcd.service /etc/etcd.env /var/lib/etcd /etc/ssl/etcd"
                                        + " /usr/local/bin/etcd /etc/systemd/system/backup-etcd.timer 2>&1 || true")
                        .lines()
                        .filter(l -> !l.contains("No such file"))
                        .toList())
                .isEmpty();

        // deleting node2 now would leave one member: allowed (a quorum of one); node1 is then the last
        // control plane... but first: node1 cannot go while it is the last member of its kind
        KkRun last = KkRun.of(
                "delete",
                "node",
                "node1",
                "-f",
                lastConfig(testbed).toString(),
                "--yes",
                "--known-hosts",
                knownHosts.toString());
        assertThat(last.exit()).isEqualTo(2);
        assertThat(last.err()).contains("node1 is the last control plane");
    }

    /** etcdctl with node1's admin certificate. */
    private static Etcdctl etcd() {
        return new Etcdctl(workDir, "node1");
    }

    private static Path config(Testbed testbed) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: testbed}
                spec:
                  hosts:
                %s  roleGroups:
                    etcd: ["node[1:3]"]
                    control-plane: ["node[1:2]"]
                    worker: [node3]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, autoRenewCerts: false}
                  etcd: {type: kubekey}
                """
                        .formatted(KkRun.hostsYaml(testbed)));
        return file;
    }

    /** The cluster with one control plane left. */
    private static Path lastConfig(Testbed testbed) throws Exception {
        Path file = dir.resolve("last.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: testbed}
                spec:
                  hosts:
                %s  roleGroups:
                    etcd: ["node[1:2]"]
                    control-plane: [node1]
                    worker: [node2]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, autoRenewCerts: false}
                  etcd: {type: kubekey}
                """
                        .formatted(KkRun.hostsYaml(testbed)));
        return file;
    }
}
