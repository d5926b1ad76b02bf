package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.kubernetes.EtcdMode;
import io.kk.cluster.kubernetes.KubeadmConfigs;
import io.kk.cluster.kubernetes.KubeadmSettings;
import io.kk.cluster.kubernetes.KubeletFiles;
import io.kk.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cluster config fields as the kubeadm generators get them. */
class KubernetesSettingsTest {
    @TempDir
    Path dir;

    private ClusterConfig config(String spec) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: prod}
                spec:
                  hosts:
                  - {name: m1, address: 192.168.0.11, internalAddress: 10.0.0.11, user: root, password: x}
                  - {name: m2, address: 192.168.0.12, internalAddress: 10.0.0.12, user: root, password: x}
                  - {name: w1, address: 192.168.0.21, internalAddress: 10.0.0.21, user: root, password: x}
                  roleGroups: {etcd: [m1, m2], control-plane: [m1, m2], worker: [w1]}
                """
                        + spec);
        return Configs.load(file).orThrow();
    }

    @Test
    void kubeletRootDirFromKubeletArgsBecomesTheDataDirAndLeavesTheOtherArgs() throws Exception {
        ClusterConfig c = config(
                """
                  kubernetes: {version: v1.28.2, containerManager: containerd, kubeletArgs: ["--root-dir=/data/kubelet", "--v=2"]}
                """);
        KubeadmSettings s = KubernetesSettings.of(c);
        assertThat(s.kubeletDataDir()).isEqualTo("/data/kubelet");
        assertThat(s.kubeletArgs()).containsExactly("--v=2");
        assertThat(KubeletFiles.dropIn(s, "w1"))
                .contains("--node-ip=10.0.0.21 --hostname-override=w1 --root-dir=/data/kubelet")
                .containsOnlyOnce("--root-dir");
    }

    @Test
    void haproxyEndpointKubekeyEtcdAndPrivateRegistryReachTheInitFile() throws Exception {
        ClusterConfig c = config(
                """
                  controlPlaneEndpoint: {internalLoadbalancer: haproxy, domain: lb.kubesphere.local, address: "", port: 6443}
                  etcd: {type: kubekey}
                  kubernetes: {version: v1.31.4, containerManager: containerd}
                  registry: {privateRegistry: dockerhub.kubekey.local, namespaceOverride: kubesphereio}
                """);
        KubeadmSettings s = KubernetesSettings.of(c);
        assertThat(s.controlPlaneEndpoint().haproxy()).isTrue();
        assertThat(s.etcd()).isInstanceOf(EtcdMode.External.class);
        assertThat(((EtcdMode.External) s.etcd()).endpoints())
                .containsExactly("https://10.0.0.11:2379", "https://10.0.0.12:2379");
        String init = KubeadmConfigs.init(s, "m1");
        assertThat(init)
                .contains("apiVersion: kubeadm.k8s.io/v1beta4")
                .contains("imageRepository: dockerhub.kubekey.local/kubesphereio")
                .contains("controlPlaneEndpoint: lb.kubesphere.local:6443")
                .contains("/etc/ssl/etcd/ssl/node-m1.pem");
        // the control machine's copy reaches the first control plane by its address
        assertThat(KubernetesSettings.kubeconfigServer(c, s.controlPlaneEndpoint()))
                .isEqualTo("https://192.168.0.11:6443");
        assertThat(KubernetesSettings.kubeconfigPath(c, Path.of("kubekey"))).isEqualTo(Path.of("kubekey/config-prod"));
    }

    @Test
    void kubeVipAndExternalLbAddressesAreTheKubeconfigServer() throws Exception {
        ClusterConfig c = config(
                """
                  controlPlaneEndpoint: {internalLoadbalancer: kube-vip, domain: lb.kubesphere.local, address: 10.0.0.100, port: 6443}
                  etcd: {type: kubeadm}
                  kubernetes: {version: v1.26.15, containerManager: containerd}
                """);
        KubeadmSettings s = KubernetesSettings.of(c);
        assertThat(s.controlPlaneEndpoint().kubeVip()).isTrue();
        assertThat(s.etcd()).isInstanceOf(EtcdMode.KubeadmLocal.class);
        assertThat(KubernetesSettings.kubeconfigServer(c, s.controlPlaneEndpoint()))
                .isEqualTo("https://10.0.0.100:6443");
        assertThat(KubeadmConfigs.init(s, "m1")).contains("apiVersion: kubeadm.k8s.io/v1beta3");
    }

    @Test
    void externalEtcdIsReadFromKksCopiesOfTheUsersFiles() throws Exception {
        ClusterConfig c = config(
                """
                  etcd: {type: external, external: {endpoints: ["https://10.0.1.5:2379"], caFile: pki/ca.pem, certFile: pki/client.pem, keyFile: pki/client-key.pem}}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                """);
        String init = KubeadmConfigs.init(KubernetesSettings.of(c), "m1");
        assertThat(init)
                .contains("https://10.0.1.5:2379")
                .contains("caFile: /etc/ssl/etcd/ssl/ca.pem")
                .contains("certFile: /etc/ssl/etcd/ssl/client.pem")
                .contains("keyFile: /etc/ssl/etcd/ssl/client-key.pem");
    }
}
