package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create phase configure|addons|kubesphere --dry-run}: the CNI, addon and KubeSphere
 * steps planned on the first control plane only, in order, contacting nothing.
 */
class CreatePhaseClusterAddonsTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    /** Hosts on TEST-NET-1 (192.0.2.0/24): nothing answers there. */
    private Path config() throws Exception {
        Files.writeString(dir.resolve("values.yaml"), "replicas: 2\n");
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
                  roleGroups:
                    etcd: [node1]
                    control-plane: [node1]
                    worker: [node2]
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  network: {plugin: flannel, multusCNI: {enabled: true}}
                  addons:
                  - name: podinfo
                    namespace: demo
                    sources:
                      chart: {name: podinfo, repo: "https://stefanprodan.github.io/podinfo", version: 6.7.0,
                              valuesFile: values.yaml}
                """);
        return file;
    }

    private String dryRun(String phase, String... more) throws Exception {
        String[] base = {
            "create",
            "phase",
            phase,
            "--dry-run",
            "-f",
            config().toString(),
            "--dir",
            dir.resolve("work").toString()
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        int code = kk.run(args);
        assertThat(code).as(kk.err()).isZero();
        return kk.out();
    }

    @Test
    void configurePlansFlannelThenMultusOnTheFirstControlPlane() throws Exception {
        String plan = dryRun("configure");
        int flannel = plan.indexOf("/usr/local/bin/kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f"
                + " /etc/kubernetes/network-plugin.yaml --force");
        int multus = plan.indexOf("apply -f /etc/kubernetes/multus-network-plugin.yaml --force");
        assertThat(flannel).as(plan).isPositive();
        assertThat(multus).isGreaterThan(flannel);
        assertThat(plan.substring(plan.indexOf("node2"))).doesNotContain("network-plugin.yaml");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void addonsPlanHelmWithTheValuesFile() throws Exception {
        String plan = dryRun("addons");
        assertThat(plan)
                .contains("upgrade --install podinfo podinfo --repo https://stefanprodan.github.io/podinfo"
                        + " --version 6.7.0 --namespace demo --create-namespace"
                        + " -f /etc/kubernetes/addons/podinfo/values-values.yaml --timeout 300s")
                .contains("/etc/kubernetes/addons/podinfo/values-values.yaml mode 0600");
    }

    @Test
    void kubesphereRunsOnlyWhenAskedFor() throws Exception {
        assertThat(dryRun("kubesphere")).doesNotContain("ks-installer").contains("KubeSphere is not enabled");
        kk.reset();
        String plan = dryRun("kubesphere", "--with-kubesphere", "v3.4.1");
        assertThat(plan)
                .contains("create secret generic kube-etcd-client-certs")
                .contains("apply -f /etc/kubernetes/addons/kubesphere.yaml --force");
    }
}
