package io.kk.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kk.error.KkException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ClusterScannerTest {
    static KubernetesClient client;

    @Test
    void readsNodesAndEveryPodImageInEveryNamespace() {
        node("cp1", "amd64", "Ubuntu 20.04.6 LTS", "v1.26.5", "containerd://1.6.4");
        node("w1", "arm64", "Ubuntu 20.04.6 LTS", "v1.26.5", "containerd://1.6.4");
        node("w2", "amd64", "CentOS Linux 7 (Core)", "v1.25.3", "docker://20.10.8");
        pod("kube-system", "calico-node-x", "docker.io/calico/node:v3.26.1", "calico/cni:v3.26.1");
        pod("default", "web", "nginx", "busybox:1.36");
        pod("apps", "api", "registry.example.com:5000/team/api:2.0", null);
        pod("default", "web-2", "nginx", null);

        ClusterInventory inv = ClusterScanner.scan(client, "mock");

        assertThat(inv.nodes()).extracting(NodeFacts::name).containsExactly("cp1", "w1", "w2");
        assertThat(inv.arches()).containsExactly("amd64", "arm64");
        assertThat(inv.kubernetesVersion()).isEqualTo("v1.26.5");
        assertThat(inv.kubernetesType()).isEqualTo("kubernetes");
        assertThat(inv.containerRuntimes())
                .containsExactly(
                        new ClusterInventory.ContainerRuntime("containerd", "1.6.4"),
                        new ClusterInventory.ContainerRuntime("docker", "20.10.8"));
        assertThat(inv.operatingSystems())
                .contains(
                        new ClusterInventory.OperatingSystem("amd64", "linux", "ubuntu", "20.04", "Ubuntu 20.04.6 LTS"),
                        new ClusterInventory.OperatingSystem("arm64", "linux", "ubuntu", "20.04", "Ubuntu 20.04.6 LTS"),
                        new ClusterInventory.OperatingSystem("amd64", "linux", "centos", "7", "CentOS Linux 7 (Core)"));
        assertThat(inv.images())
                .containsExactly(
                        "docker.io/calico/cni:v3.26.1",
                        "docker.io/calico/node:v3.26.1",
                        "docker.io/library/busybox:1.36",
                        "docker.io/library/nginx:latest",
                        "registry.example.com:5000/team/api:2.0");
    }

    @Test
    void normalisesDockerHubNamesAndKeepsDigests() {
        assertThat(ClusterScanner.normalise("nginx")).isEqualTo("docker.io/library/nginx:latest");
        assertThat(ClusterScanner.normalise("localhost:5000/x")).isEqualTo("localhost:5000/x:latest");
        assertThat(ClusterScanner.normalise("quay.io/a/b@sha256:abc")).isEqualTo("quay.io/a/b@sha256:abc");
        assertThat(ClusterScanner.normalise("kubesphere/pause:3.9")).isEqualTo("docker.io/kubesphere/pause:3.9");
    }

    @Test
    void kubeletVersionsRankByPrecedence() {
        assertThat(ClusterScanner.compareVersions("v1.28.2", "v1.28.2-rc.1")).isPositive();
        assertThat(ClusterScanner.compareVersions("v1.28.10", "v1.28.9")).isPositive();
        assertThat(ClusterScanner.compareVersions("1.27.3", "v1.28.0")).isNegative();
        assertThat(ClusterScanner.compareVersions("v1.28.2", "1.28.2")).isNotNegative();
    }

    @Test
    void missingKubeconfigIsBadInput(@TempDir Path dir) {
        assertThatThrownBy(() -> ClusterScanner.scan(dir.resolve("nope")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unreachableApiServerIsAnEnvironmentError(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("config");
        Files.writeString(
                kubeconfig,
                """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "http://127.0.0.1:1"}
                contexts:
                - name: c
                  context: {cluster: c, user: u}
                current-context: c
                users:
                - name: u
                  user: {token: secret-token}
                """);
        assertThatThrownBy(() -> ClusterScanner.scan(kubeconfig))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("cannot read the cluster at http://127.0.0.1:1")
                .hasMessageNotContaining("secret-token");
    }

    private static void node(String name, String arch, String osImage, String kubelet, String runtime) {
        Node n = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withNewNodeInfo()
                .withArchitecture(arch)
                .withOperatingSystem("linux")
                .withOsImage(osImage)
                .withKubeletVersion(kubelet)
                .withContainerRuntimeVersion(runtime)
                .withKernelVersion("6.1.0")
                .endNodeInfo()
                .endStatus()
                .build();
        client.nodes().resource(n).create();
    }

    private static void pod(String ns, String name, String image, String initImage) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage(image)
                .endContainer()
                .endSpec();
        if (initImage != null) {
            b.editSpec()
                    .addNewInitContainer()
                    .withName("init")
                    .withImage(initImage)
                    .endInitContainer()
                    .endSpec();
        }
        Pod p = b.build();
        client.pods().inNamespace(ns).resource(p).create();
    }
}
