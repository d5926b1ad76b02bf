package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kk.config.LoadedManifest;
import io.kk.config.Manifest;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.scan.ClusterScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ManifestCreateTest {
    static KubernetesClient client;

    @Test
    void fromVersionsListsDefaultComponentsAndTheVersionsImagesAndLoadsBack(@TempDir Path dir) {
        Path out = dir.resolve("m.yaml");
        ManifestCreate.Created c = ManifestCreate.create(
                new ManifestCreate.Request(
                        "t", List.of("v1.26.5,v1.27.2"), null, null, List.of("amd64", "arm64"), true, out, false),
                EventSink.NONE);
        LoadedManifest loaded = Configs.checkManifest(out);
        assertThat(loaded.problems()).isEmpty();
        Manifest m = loaded.manifest();
        assertThat(m).isEqualTo(c.manifest());
        assertThat(m.arches()).containsExactly("amd64", "arm64");
        assertThat(m.kubernetesDistributions())
                .extracting(Manifest.KubernetesDistribution::version)
                .containsExactly("v1.26.5", "v1.27.2");
        assertThat(m.components().etcd().version()).isEqualTo("v3.4.13");
        assertThat(m.components().containerRuntimes())
                .extracting(Manifest.ContainerRuntime::type)
                .containsExactly("docker", "containerd");
        assertThat(m.components().runc()).isNotNull();
        assertThat(m.components().dockerRegistry()).isNotNull();
        assertThat(m.images())
                .contains("docker.io/kubesphere/kube-apiserver:v1.26.5", "docker.io/kubesphere/kube-apiserver:v1.27.2")
                .anyMatch(i -> i.contains("calico/node"))
                .anyMatch(i -> i.contains("coredns"))
                .anyMatch(i -> i.contains("pause"))
                .doesNotHaveDuplicates();
    }

    @Test
    void fromAConfigListsItsHelmChartAddonsAsSpecCharts(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("charts/unpacked"));
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: c}
                spec:
                  hosts:
                  - {name: n1, address: 10.0.0.1, internalAddress: 10.0.0.1, user: root, password: x}
                  roleGroups: {etcd: [n1], control-plane: [n1], worker: [n1]}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  addons:
                  - name: nfs
                    namespace: kube-system
                    sources:
                      chart: {name: nfs-client-provisioner, repo: "https://charts.kubesphere.io/main", version: 4.0.11,
                              values: ["storageClass.defaultClass=true"]}
                  - name: mine
                    sources:
                      chart: {name: mine, path: charts/mine-0.1.0.tgz}
                  - name: dir
                    sources:
                      chart: {name: dir, path: charts/unpacked}
                  - name: plain
                    sources:
                      yaml: {path: [a.yaml]}
                """);
        Path out = dir.resolve("m.yaml");
        List<io.kk.event.Event> events = new java.util.ArrayList<>();
        ManifestCreate.create(
                new ManifestCreate.Request("t", List.of(), config, null, List.of(), false, out, false), events::add);
        LoadedManifest loaded = Configs.checkManifest(out);
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.manifest().charts())
                .containsExactly(
                        new Manifest.Chart("nfs-client-provisioner", "https://charts.kubesphere.io/main", "4.0.11", ""),
                        new Manifest.Chart(
                                "mine",
                                "",
                                "",
                                dir.resolve("charts/mine-0.1.0.tgz").toString()));
        assertThat(events).anyMatch(e -> e.toString().contains("is a directory"));
    }

    @Test
    void refusesToOverwriteWithoutYes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.yaml");
        Files.writeString(out, "keep");
        assertThatThrownBy(() -> ManifestCreate.create(
                        new ManifestCreate.Request("t", List.of("v1.26.5"), null, null, List.of(), false, out, false),
                        EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(out)).isEqualTo("keep");
    }

    @Test
    void fromALiveClusterTakesNodesRuntimesAndPodImages(@TempDir Path dir) throws Exception {
        node("cp1", "amd64", "Ubuntu 22.04.3 LTS", "v1.27.2", "containerd://1.6.20");
        node("w1", "arm64", "Ubuntu 22.04.3 LTS", "v1.27.2", "containerd://1.6.20");
        pod("kube-system", "calico", "docker.io/calico/node:v3.26.1", "calico/cni:v3.26.1");
        pod("default", "web", "nginx", null);

        Manifest m = ManifestCreate.fromInventory("live", ClusterScanner.scan(client, "mock"));
        Path out = dir.resolve("live.yaml");
        Files.writeString(out, Configs.toYaml(m));
        LoadedManifest loaded = Configs.checkManifest(out);

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.manifest().arches()).containsExactly("amd64", "arm64");
        assertThat(loaded.manifest().kubernetesDistributions())
                .containsExactly(new Manifest.KubernetesDistribution("kubernetes", "v1.27.2"));
        assertThat(loaded.manifest().components().containerRuntimes())
                .containsExactly(new Manifest.ContainerRuntime("containerd", "1.6.20"));
        assertThat(loaded.manifest().operatingSystems())
                .extracting(Manifest.OperatingSystem::id, Manifest.OperatingSystem::version)
                .contains(org.assertj.core.groups.Tuple.tuple("ubuntu", "22.04"));
        assertThat(loaded.manifest().images())
                .containsExactly(
                        "docker.io/calico/cni:v3.26.1",
                        "docker.io/calico/node:v3.26.1",
                        "docker.io/library/nginx:latest");
    }

    private static void node(String name, String arch, String osImage, String kubelet, String runtime) {
        client.nodes()
                .resource(new NodeBuilder()
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
                        .build())
                .create();
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
        client.pods().inNamespace(ns).resource(b.build()).create();
    }
}
