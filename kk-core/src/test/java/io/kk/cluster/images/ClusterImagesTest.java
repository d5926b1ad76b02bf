package io.kk.cluster.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterImagesTest {

    @ParameterizedTest
    @CsvSource({
        "v1.20.4, docker, 3.2, 1.6.9",
        "v1.20.4, containerd, 3.4.1, 1.8.0",
        "v1.21.5, docker, 3.4.1, 1.8.0",
        "v1.22.12, docker, 3.5, 1.8.0",
        "v1.23.10, containerd, 3.6, 1.8.6",
        "v1.24.9, containerd, 3.7, 1.8.6",
        "v1.25.3, containerd, 3.8, 1.9.3",
        "v1.26.5, containerd, 3.9, 1.9.3",
        "v1.28.2, containerd, 3.9, 1.9.3",
        "v1.31.4, containerd, 3.10, 1.9.3",
    })
    void pauseAndCorednsFollowKubeKeysTable(String version, String runtime, String pause, String coredns) {
        assertThat(ClusterImages.pauseAndCoreDns(version, runtime))
                .isEqualTo(new ClusterImages.PauseAndCoreDns(pause, coredns));
    }

    @Test
    void defaultsAreCoreImagesCalicoAndNodeLocalDns() {
        assertThat(ClusterImages.references(ImageNeeds.defaults("v1.28.2")))
                .containsExactly(
                        "docker.io/calico/cni:v3.26.1",
                        "docker.io/calico/kube-controllers:v3.26.1",
                        "docker.io/calico/node:v3.26.1",
                        "docker.io/coredns/coredns:1.9.3",
                        "docker.io/kubesphere/k8s-dns-node-cache:1.22.20",
                        "docker.io/kubesphere/kube-apiserver:v1.28.2",
                        "docker.io/kubesphere/kube-controller-manager:v1.28.2",
                        "docker.io/kubesphere/kube-proxy:v1.28.2",
                        "docker.io/kubesphere/kube-scheduler:v1.28.2",
                        "docker.io/kubesphere/pause:3.9");
    }

    @Test
    void pluginLoadBalancerAndEtcdChoicesChangeTheList() {
        ImageNeeds needs =
                new ImageNeeds("v1.23.10", "containerd", "flannel", true, false, "haproxy", "kubeadm", false, 3);
        assertThat(ClusterImages.references(needs))
                .contains(
                        "docker.io/flannel/flannel:v0.21.3",
                        "docker.io/flannel/flannel-cni-plugin:v1.1.2",
                        "docker.io/kubesphere/multus-cni:v3.8",
                        "docker.io/library/haproxy:2.9.6-alpine",
                        "docker.io/kubesphere/etcd:v3.5.6")
                .doesNotContain("docker.io/kubesphere/kube-proxy:v1.23.10")
                .noneMatch(r -> r.contains("calico") || r.contains("node-cache"));
    }

    @Test
    void typhaOnlyAboveFiftyHosts() {
        ImageNeeds small =
                new ImageNeeds("v1.26.5", "containerd", "calico", false, true, "kube-vip", "kubekey", true, 50);
        ImageNeeds big =
                new ImageNeeds("v1.26.5", "containerd", "calico", false, true, "kube-vip", "kubekey", true, 51);
        assertThat(ClusterImages.references(small))
                .doesNotContain("docker.io/calico/typha:v3.26.1")
                .contains("docker.io/plndr/kube-vip:v0.7.2");
        assertThat(ClusterImages.references(big)).contains("docker.io/calico/typha:v3.26.1");
    }
}
