package io.kk.cluster.addons;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.ManifestCreate;
import io.kk.event.Event;
import io.kk.event.Note;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KubeSphere's own images per version: the core list equals KubeSphere's images-list.txt core
 * sections (written out here independently for two versions), pluggable components follow the
 * ClusterConfiguration, and {@code kk create manifest} lists them for a config with KubeSphere.
 */
class KubeSphereImagesTest {
    @TempDir
    Path dir;

    /** images-list.txt v3.3.0, sections kubesphere-images and kubesphere-monitoring-images. */
    static final List<String> V330_CORE = List.of(
            "docker.io/kubesphere/ks-installer:v3.3.0",
            "docker.io/kubesphere/ks-apiserver:v3.3.0",
            "docker.io/kubesphere/ks-console:v3.3.0",
            "docker.io/kubesphere/ks-controller-manager:v3.3.0",
            "docker.io/kubesphere/kubectl:v1.20.0",
            "docker.io/kubesphere/kubefed:v0.8.1",
            "docker.io/kubesphere/tower:v0.2.0",
            "docker.io/minio/minio:RELEASE.2019-08-07T01-59-21Z",
            "docker.io/minio/mc:RELEASE.2019-08-07T23-14-43Z",
            "docker.io/csiplugin/snapshot-controller:v4.0.0",
            "docker.io/kubesphere/nginx-ingress-controller:v0.48.1",
            "docker.io/mirrorgooglecontainers/defaultbackend-amd64:1.4",
            "docker.io/kubesphere/metrics-server:v0.4.2",
            "docker.io/library/redis:5.0.14-alpine",
            "docker.io/library/haproxy:2.0.25-alpine",
            "docker.io/library/alpine:3.14",
            "docker.io/osixia/openldap:1.3.0",
            "docker.io/kubesphere/netshoot:v1.0",
            "docker.io/jimmidyson/configmap-reload:v0.3.0",
            "docker.io/prom/prometheus:v2.26.0",
            "docker.io/kubesphere/prometheus-config-reloader:v0.43.2",
            "docker.io/kubesphere/prometheus-operator:v0.43.2",
            "docker.io/kubesphere/kube-rbac-proxy:v0.8.0",
            "docker.io/kubesphere/kube-state-metrics:v1.9.7",
            "docker.io/prom/node-exporter:v0.18.1",
            "docker.io/kubesphere/k8s-prometheus-adapter-amd64:v0.6.0",
            "docker.io/prom/alertmanager:v0.21.0",
            "docker.io/thanosio/thanos:v0.18.0",
            "docker.io/grafana/grafana:7.4.3",
            "docker.io/kubesphere/notification-manager-operator:v1.4.0",
            "docker.io/kubesphere/notification-manager:v1.4.0",
            "docker.io/kubesphere/notification-tenant-sidecar:v3.2.0");

    /** images-list.txt v3.4.1, the same two sections. */
    static final List<String> V341_CORE = List.of(
            "docker.io/kubesphere/ks-installer:v3.4.1",
            "docker.io/kubesphere/ks-apiserver:v3.4.1",
            "docker.io/kubesphere/ks-console:v3.4.1",
            "docker.io/kubesphere/ks-controller-manager:v3.4.1",
            "docker.io/kubesphere/kubectl:v1.22.0",
            "docker.io/kubesphere/kubefed:v0.8.1",
            "docker.io/kubesphere/tower:v0.2.1",
            "docker.io/minio/minio:RELEASE.2019-08-07T01-59-21Z",
            "docker.io/minio/mc:RELEASE.2019-08-07T23-14-43Z",
            "docker.io/csiplugin/snapshot-controller:v4.0.0",
            "docker.io/kubesphere/nginx-ingress-controller:v1.3.1",
            "docker.io/mirrorgooglecontainers/defaultbackend-amd64:1.4",
            "docker.io/kubesphere/metrics-server:v0.4.2",
            "docker.io/library/redis:5.0.14-alpine",
            "docker.io/library/haproxy:2.0.25-alpine",
            "docker.io/library/alpine:3.14",
            "docker.io/osixia/openldap:1.3.0",
            "docker.io/kubesphere/netshoot:v1.0",
            "docker.io/jimmidyson/configmap-reload:v0.7.1",
            "docker.io/prom/prometheus:v2.39.1",
            "docker.io/kubesphere/prometheus-config-reloader:v0.55.1",
            "docker.io/kubesphere/prometheus-operator:v0.55.1",
            "docker.io/kubesphere/kube-rbac-proxy:v0.11.0",
            "docker.io/kubesphere/kube-state-metrics:v2.6.0",
            "docker.io/prom/node-exporter:v1.3.1",
            "docker.io/prom/alertmanager:v0.23.0",
            "docker.io/thanosio/thanos:v0.31.0",
            "docker.io/grafana/grafana:8.3.3",
            "docker.io/kubesphere/notification-manager-operator:v2.3.0",
            "docker.io/kubesphere/notification-manager:v2.3.0",
            "docker.io/kubesphere/notification-tenant-sidecar:v3.2.0");

    @Test
    void theCoreListsEqualKubeSpheresImagesList() {
        assertThat(KubeSphereImages.of("v3.3.0", "")).contains(V330_CORE);
        assertThat(KubeSphereImages.of("v3.4.1", "")).contains(V341_CORE);
    }

    static List<String> versions() {
        return KubeSphereImages.versions();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void everyVersionsListHoldsItsInstallerItsCoreAndItsMonitoring(String version) {
        List<String> core = KubeSphereImages.of(version, "").orElseThrow();
        assertThat(core)
                .contains(KubeSphereFiles.installerSource(version))
                .contains("docker.io/kubesphere/ks-apiserver:" + version)
                .contains("docker.io/kubesphere/ks-console:" + version)
                .contains("docker.io/kubesphere/ks-controller-manager:" + version)
                .anyMatch(i -> i.startsWith("docker.io/kubesphere/kubectl:"))
                .anyMatch(i -> i.startsWith("docker.io/prom/prometheus:"))
                .anyMatch(i -> i.startsWith("docker.io/osixia/openldap:"))
                .doesNotHaveDuplicates()
                // pluggable components stay out unless enabled
                .noneMatch(i -> i.contains("jenkins") || i.contains("istio/") || i.contains("fluent-bit"));
        assertThat(KubeSphereImages.sections(version)).containsKeys("kubesphere-images", "kubesphere-devops-images");
    }

    @Test
    void enabledComponentsAddTheirSections() {
        String cc =
                """
                apiVersion: installer.kubesphere.io/v1alpha1
                kind: ClusterConfiguration
                metadata: {name: ks-installer, namespace: kubesphere-system, labels: {version: v3.3.0}}
                spec:
                  devops: {enabled: true}
                  logging: {enabled: false}
                  events: {enabled: true}
                  servicemesh: {enabled: false}
                """;
        List<String> images = KubeSphereImages.of("v3.3.0", cc).orElseThrow();
        assertThat(images)
                .containsAll(V330_CORE)
                .contains("docker.io/kubesphere/devops-apiserver:v3.3.0", "docker.io/jenkins/jnlp-slave:3.27-1")
                .contains("docker.io/kubesphere/kube-events-operator:v0.3.0")
                .noneMatch(i -> i.startsWith("docker.io/istio/"));
        assertThat(KubeSphereImages.qualified("quay.io/argoproj/argocd:v2.3.3"))
                .isEqualTo("quay.io/argoproj/argocd:v2.3.3");
    }

    @Test
    void createManifestListsKubeSpheresImagesAndOnlyTheInstallerForAVersionWithoutAList() throws Exception {
        String cluster =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: ks}
                spec:
                  hosts:
                  - {name: master1, address: 10.0.0.2, user: root, password: x}
                  roleGroups: {etcd: [master1], control-plane: [master1], worker: [master1]}
                  kubernetes: {version: v1.26.15}
                ---
                apiVersion: installer.kubesphere.io/v1alpha1
                kind: ClusterConfiguration
                metadata: {name: ks-installer, namespace: kubesphere-system, labels: {version: %s}}
                spec:
                  devops: {enabled: false}
                """;
        List<Event> events = new ArrayList<>();
        Path config = Files.writeString(dir.resolve("c.yaml"), cluster.formatted("v3.4.1"));
        List<String> images = ManifestCreate.create(
                        new ManifestCreate.Request(
                                "ks", List.of(), config, null, List.of(), false, dir.resolve("m.yaml"), true),
                        events::add)
                .manifest()
                .images();
        assertThat(images).containsAll(V341_CORE).contains("docker.io/kubesphere/kube-apiserver:v1.26.15");
        assertThat(events).noneMatch(e -> e instanceof Note n && n.text().contains("KubeSphere"));

        Path older = Files.writeString(dir.resolve("o.yaml"), cluster.formatted("v3.3.2"));
        List<String> installerOnly = ManifestCreate.create(
                        new ManifestCreate.Request(
                                "ks", List.of(), older, null, List.of(), false, dir.resolve("m2.yaml"), true),
                        events::add)
                .manifest()
                .images();
        assertThat(installerOnly)
                .contains("docker.io/kubesphere/ks-installer:v3.3.2")
                .noneMatch(i -> i.contains("ks-apiserver"));
        assertThat(events).anyMatch(e -> e instanceof Note n && n.text().contains("KubeSphere v3.3.2"));
    }
}
