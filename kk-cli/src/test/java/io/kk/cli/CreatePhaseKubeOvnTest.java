package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create phase configure --dry-run} with {@code network.plugin: kubeovn}: the OVN database
 * nodes labelled, the three manifests applied from the first control plane, then kubectl-ko on
 * every control plane, contacting nothing.
 */
class CreatePhaseKubeOvnTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    @Test
    void configurePlansKubeOvnInKubeKeysOrder() throws Exception {
        Path file = dir.resolve("cluster.yaml");
        // hosts on TEST-NET-1 (192.0.2.0/24): nothing answers there
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: ovn}
                spec:
                  hosts:
                  - {name: node1, address: 192.0.2.11, user: root, password: "s3cret-pw"}
                  - {name: node2, address: 192.0.2.12, user: root, password: "s3cret-pw"}
                  - {name: node3, address: 192.0.2.13, user: root, password: "s3cret-pw"}
                  roleGroups:
                    etcd: [node1]
                    control-plane: [node1, node2]
                    worker: [node3]
                  controlPlaneEndpoint: {internalLoadbalancer: haproxy}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  network: {plugin: kubeovn, kubeovn: {enableSSL: true}}
                  registry: {privateRegistry: dockerhub.kubekey.local, namespaceOverride: kubesphereio}
                """);
        int code = kk.run(
                "create",
                "phase",
                "configure",
                "--dry-run",
                "-f",
                file.toString(),
                "--dir",
                dir.resolve("work").toString());
        String plan = kk.out();
        assertThat(code).as(kk.err() + plan).isZero();
        String kubectl = "/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf";
        int label = plan.indexOf(kubectl + " label node node1 node2 kube-ovn/role=master --overwrite");
        int tls = plan.indexOf(kubectl + " -n kube-system get secret kube-ovn-tls");
        int crd = plan.indexOf(kubectl + " apply -f /etc/kubernetes/kube-ovn-crd.yaml --force && " + kubectl
                + " apply -f /etc/kubernetes/ovn.yaml --force && " + kubectl
                + " apply -f /etc/kubernetes/kube-ovn.yaml --force");
        int ko = plan.indexOf("chmod 0755 /usr/local/bin/kubectl-ko");
        assertThat(label).as(plan).isPositive();
        assertThat(tls).isGreaterThan(label);
        assertThat(crd).isGreaterThan(tls);
        assertThat(ko).isGreaterThan(crd);
        // kubectl-ko on both control planes, nothing of kube-ovn on the worker
        assertThat(plan.split("chmod 0755 /usr/local/bin/kubectl-ko", -1)).hasSize(3);
        assertThat(plan).contains("write /etc/kubernetes/ovn.yaml mode 0600");
        assertThat(dir.resolve("work")).doesNotExist();
    }
}
