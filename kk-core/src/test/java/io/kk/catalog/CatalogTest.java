package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.download.DownloadSource;
import io.kk.download.DownloadSource.Zone;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogTest {
    private static final Catalog CATALOG = Catalog.builtin();
    private static final Path KUBEKEY_TABLE = Path.of("src/main/catalog/kubekey-components.json");

    @Test
    void builtinCatalogLoadsOnceAndNamesItsOrigin() {
        assertThat(Catalog.builtin()).isSameAs(CATALOG);
        assertThat(CATALOG.origin()).contains("kubesphere/kubekey").contains("Apache");
        assertThat(CATALOG.componentNames())
                .contains(
                        "kubeadm",
                        "kubelet",
                        "kubectl",
                        "helm",
                        "kubecni",
                        "etcd",
                        "containerd",
                        "runc",
                        "crictl",
                        "docker",
                        "calicoctl",
                        "registry",
                        "harbor",
                        "compose",
                        "k3s",
                        "cri-dockerd",
                        "buildx");
    }

    @Test
    void everyDigestOfKubeKeysTableIsInTheCatalog() throws IOException {
        JsonNode table = new ObjectMapper().readTree(KUBEKEY_TABLE.toFile());
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (var component : iterable(table.fields())) {
            if (component.getKey().equals("k8e")) {
                continue; // a distribution kk does not deliver
            }
            for (var arch : iterable(component.getValue().fields())) {
                for (var version : iterable(arch.getValue().fields())) {
                    Optional<String> sha = CATALOG.sha256(component.getKey(), version.getKey(), arch.getKey());
                    if (!sha.equals(Optional.of(version.getValue().asText()))) {
                        missing.add(component.getKey() + "/" + arch.getKey() + "/" + version.getKey());
                    }
                    checked++;
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(checked).isGreaterThan(1300);
    }

    @Test
    void everyListedFileResolvesInBothZonesWithAWellFormedDigest() {
        DownloadSource cn = DownloadSource.of(null, Zone.CN);
        int files = 0;
        for (String component : CATALOG.componentNames()) {
            for (String arch : Catalog.ARCHES) {
                for (String version : CATALOG.versions(component, arch)) {
                    ComponentFile upstream = CATALOG.resolve(component, version, arch, DownloadSource.UPSTREAM);
                    ComponentFile china = CATALOG.resolve(component, version, arch, cn);
                    assertThat(upstream.catalogSha256()).get().asString().matches("[0-9a-f]{64}");
                    assertThat(upstream.url().getScheme()).isEqualTo("https");
                    assertThat(china.url().getScheme()).isEqualTo("https");
                    assertThat(upstream.artifactPath())
                            .contains("/" + version + "/" + arch + "/")
                            .doesNotContain("{");
                    files++;
                }
            }
        }
        assertThat(files).isGreaterThan(1300);
    }

    @Test
    void everyKubeKeyKubeadmAmd64VersionIsSupportedInSemverOrder() throws IOException {
        JsonNode table = new ObjectMapper().readTree(KUBEKEY_TABLE.toFile());
        List<String> kubekey = new ArrayList<>();
        table.path("kubeadm").path("amd64").fieldNames().forEachRemaining(kubekey::add);

        List<String> supported = CATALOG.supportedKubernetesVersions();

        assertThat(supported).containsExactlyInAnyOrderElementsOf(kubekey).hasSize(200);
        assertThat(supported).isSortedAccordingTo(Versions.SEMVER);
        assertThat(supported.get(0)).isEqualTo("v1.19.0");
        assertThat(supported.get(supported.size() - 1)).isEqualTo("v1.34.0");
        assertThat(supported.indexOf("v1.19.9")).isLessThan(supported.indexOf("v1.19.15"));
        assertThat(supported).contains(CATALOG.defaultKubernetesVersion());
    }

    @Test
    void defaultsAreKubeKeyV3Defaults() {
        assertThat(CATALOG.defaultKubernetesVersion()).isEqualTo("v1.23.10");
        assertThat(CATALOG.defaultVersion("helm")).contains("v3.9.0");
        assertThat(CATALOG.defaultVersion("cni")).contains("v1.2.0");
        assertThat(CATALOG.defaultVersion("crictl")).contains("v1.24.0");
        assertThat(CATALOG.defaultVersion("etcd")).contains("v3.4.13");
        assertThat(CATALOG.defaultVersion("docker")).contains("24.0.6");
        assertThat(CATALOG.defaultVersion("containerd")).contains("1.6.4");
        assertThat(CATALOG.defaultVersion("runc")).contains("v1.1.12");
        assertThat(CATALOG.defaultVersion("calicoctl")).contains("v3.26.1");
        assertThat(CATALOG.defaultVersion("docker-registry")).contains("2");
        assertThat(CATALOG.defaultVersion("kubeadm")).isEmpty();
        // Every default is one the catalog can vouch for on both arches (harbor: amd64 only, as in KubeKey).
        for (String c : CATALOG.componentNames()) {
            CATALOG.defaultVersion(c).ifPresent(v -> assertThat(CATALOG.sha256(c, v, "amd64"))
                    .as(c + " " + v)
                    .isPresent());
        }
    }

    /** Paths as in KubeKey's artifact layout (kubekey-details §4.1) and KubeKey's download URLs. */
    @ParameterizedTest
    @CsvSource({
        "kubeadm, v1.21.5, amd64, kube/v1.21.5/amd64/kubeadm, https://dl.k8s.io/release/v1.21.5/bin/linux/amd64/kubeadm",
        "kubelet, v1.28.2, arm64, kube/v1.28.2/arm64/kubelet, https://dl.k8s.io/release/v1.28.2/bin/linux/arm64/kubelet",
        "kubectl, v1.23.10, amd64, kube/v1.23.10/amd64/kubectl, https://dl.k8s.io/release/v1.23.10/bin/linux/amd64/kubectl",
        "kubecni, v0.9.1, amd64, cni/v0.9.1/amd64/cni-plugins-linux-amd64-v0.9.1.tgz,"
                + " https://github.com/containernetworking/plugins/releases/download/v0.9.1/cni-plugins-linux-amd64-v0.9.1.tgz",
        "etcd, v3.4.13, arm64, etcd/v3.4.13/arm64/etcd-v3.4.13-linux-arm64.tar.gz,"
                + " https://github.com/coreos/etcd/releases/download/v3.4.13/etcd-v3.4.13-linux-arm64.tar.gz",
        "calicoctl, v3.26.1, amd64, cni/v3.26.1/amd64/calicoctl,"
                + " https://github.com/projectcalico/calico/releases/download/v3.26.1/calicoctl-linux-amd64",
        "helm, v3.9.0, amd64, helm/v3.9.0/amd64/helm, https://get.helm.sh/helm-v3.9.0-linux-amd64.tar.gz",
        "crictl, v1.24.0, amd64, crictl/v1.24.0/amd64/crictl-v1.24.0-linux-amd64.tar.gz,"
                + " https://github.com/kubernetes-sigs/cri-tools/releases/download/v1.24.0/crictl-v1.24.0-linux-amd64.tar.gz",
        "docker, 24.0.6, amd64, docker/24.0.6/amd64/docker-24.0.6.tgz,"
                + " https://download.docker.com/linux/static/stable/x86_64/docker-24.0.6.tgz",
        "docker, 24.0.6, arm64, docker/24.0.6/arm64/docker-24.0.6.tgz,"
                + " https://download.docker.com/linux/static/stable/aarch64/docker-24.0.6.tgz",
        "containerd, 1.6.4, amd64, containerd/1.6.4/amd64/containerd-1.6.4-linux-amd64.tar.gz,"
                + " https://github.com/containerd/containerd/releases/download/v1.6.4/containerd-1.6.4-linux-amd64.tar.gz",
        "runc, v1.1.12, arm64, runc/v1.1.12/arm64/runc.arm64,"
                + " https://github.com/opencontainers/runc/releases/download/v1.1.12/runc.arm64",
        "registry, 2, amd64, registry/registry/2/amd64/registry-2-linux-amd64.tar.gz,"
                + " https://github.com/kubesphere/kubekey/releases/download/v2.0.0-alpha.1/registry-2-linux-amd64.tar.gz",
        "harbor, v2.5.3, amd64, registry/harbor/v2.5.3/amd64/harbor-offline-installer-v2.5.3.tgz,"
                + " https://github.com/goharbor/harbor/releases/download/v2.5.3/harbor-offline-installer-v2.5.3.tgz",
        "compose, v2.2.2, amd64, registry/compose/v2.2.2/amd64/docker-compose-linux-x86_64,"
                + " https://github.com/docker/compose/releases/download/v2.2.2/docker-compose-linux-x86_64",
        "compose, v2.26.1, arm64, registry/compose/v2.26.1/arm64/docker-compose-linux-aarch64,"
                + " https://github.com/docker/compose/releases/download/v2.26.1/docker-compose-linux-aarch64",
        "k3s, v1.24.7, arm64, kube/v1.24.7/arm64/k3s, https://github.com/k3s-io/k3s/releases/download/v1.24.7+k3s1/k3s-arm64",
        "cri-dockerd, 0.3.10, amd64, cri-dockerd/0.3.10/amd64/cri-dockerd-0.3.10.amd64.tgz,"
                + " https://github.com/Mirantis/cri-dockerd/releases/download/v0.3.10/cri-dockerd-0.3.10.amd64.tgz",
        "buildx, v0.14.0, amd64, buildx/v0.14.0/amd64/buildx-v0.14.0.linux-amd64,"
                + " https://github.com/docker/buildx/releases/download/v0.14.0/buildx-v0.14.0.linux-amd64",
    })
    void artifactPathAndUpstreamUrl(String component, String version, String arch, String path, String url) {
        ComponentFile file = CATALOG.resolve(component, version, arch, DownloadSource.UPSTREAM);

        assertThat(file.artifactPath()).isEqualTo(path);
        assertThat(file.fileName()).isEqualTo(path.substring(path.lastIndexOf('/') + 1));
        assertThat(file.url()).isEqualTo(URI.create(url));
        assertThat(file.upstreamUrl()).isEqualTo(file.url());
        assertThat(file.catalogSha256()).isPresent().isEqualTo(CATALOG.sha256(component, version, arch));
    }

    @ParameterizedTest
    @CsvSource({
        "kubeadm, v1.21.5, https://dl.k8s.io/release/v1.21.5/bin/linux/amd64/kubeadm.sha256, bare",
        "kubecni, v1.2.0, https://github.com/containernetworking/plugins/releases/download/v1.2.0/"
                + "cni-plugins-linux-amd64-v1.2.0.tgz.sha256, sha256sum",
        "etcd, v3.4.13, https://github.com/coreos/etcd/releases/download/v3.4.13/SHA256SUMS, sha256sum",
        "containerd, 1.6.4, https://github.com/containerd/containerd/releases/download/v1.6.4/"
                + "containerd-1.6.4-linux-amd64.tar.gz.sha256sum, sha256sum",
        "runc, v1.1.12, https://github.com/opencontainers/runc/releases/download/v1.1.12/runc.sha256sum, sha256sum",
        "crictl, v1.24.0, https://github.com/kubernetes-sigs/cri-tools/releases/download/v1.24.0/"
                + "crictl-v1.24.0-linux-amd64.tar.gz.sha256, sha256sum",
        "helm, v3.9.0, https://get.helm.sh/helm-v3.9.0-linux-amd64.tar.gz.sha256sum, sha256sum",
        "calicoctl, v3.29.3, https://github.com/projectcalico/calico/releases/download/v3.29.3/SHA256SUMS, sha256sum",
        "k3s, v1.30.4, https://github.com/k3s-io/k3s/releases/download/v1.30.4+k3s1/sha256sum-amd64.txt, sha256sum",
    })
    void releaseChecksumFiles(String component, String version, String checksumUrl, String format) {
        ComponentFile file = CATALOG.resolve(component, version, "amd64", DownloadSource.UPSTREAM);

        assertThat(file.checksumUrl()).contains(URI.create(checksumUrl));
        assertThat(file.checksumFormat()).isEqualTo(format);
    }

    @Test
    void projectsWithoutChecksumFilesHaveNone() {
        for (String c : List.of("docker", "registry", "harbor", "cri-dockerd")) {
            ComponentFile file =
                    CATALOG.resolve(c, CATALOG.defaultVersion(c).orElseThrow(), "amd64", DownloadSource.UPSTREAM);
            assertThat(file.checksumUrl()).as(c).isEmpty();
            assertThat(file.checksumFormat()).as(c).isEmpty();
        }
    }

    @Test
    void helmComesAsATarballUpstreamAndKeepsTheBareBinary() {
        ComponentFile helm = CATALOG.resolve("helm", "v3.9.0", "arm64", DownloadSource.UPSTREAM);

        assertThat(helm.archiveMember()).contains("linux-arm64/helm");
        assertThat(helm.downloadFileName()).isEqualTo("helm-v3.9.0-linux-arm64.tar.gz");
        assertThat(helm.artifactPath()).isEqualTo("helm/v3.9.0/arm64/helm");
    }

    @ParameterizedTest
    @CsvSource({
        "kubeadm, v1.21.5, amd64, https://kubernetes-release.pek3b.qingstor.com/release/v1.21.5/bin/linux/amd64/kubeadm",
        "kubecni, v1.2.0, arm64, https://containernetworking.pek3b.qingstor.com/plugins/releases/download/v1.2.0/"
                + "cni-plugins-linux-arm64-v1.2.0.tgz",
        "helm, v3.9.0, amd64, https://kubernetes-helm.pek3b.qingstor.com/linux-amd64/v3.9.0/helm",
        "docker, 24.0.6, arm64, https://mirrors.aliyun.com/docker-ce/linux/static/stable/aarch64/docker-24.0.6.tgz",
        "etcd, v3.4.13, amd64, https://kubernetes-release.pek3b.qingstor.com/etcd/release/download/v3.4.13/"
                + "etcd-v3.4.13-linux-amd64.tar.gz",
        "containerd, 1.6.4, amd64, https://kubernetes-release.pek3b.qingstor.com/containerd/containerd/releases/"
                + "download/v1.6.4/containerd-1.6.4-linux-amd64.tar.gz",
        "runc, v1.1.12, amd64, https://kubernetes-release.pek3b.qingstor.com/opencontainers/runc/releases/download/"
                + "v1.1.12/runc.amd64",
        "crictl, v1.24.0, amd64, https://kubernetes-release.pek3b.qingstor.com/cri-tools/releases/download/v1.24.0/"
                + "crictl-v1.24.0-linux-amd64.tar.gz",
        "calicoctl, v3.26.1, amd64, https://kubernetes-release.pek3b.qingstor.com/projectcalico/calico/releases/"
                + "download/v3.26.1/calicoctl-linux-amd64",
        "registry, 2, amd64, https://kubernetes-release.pek3b.qingstor.com/registry/2/registry-2-linux-amd64.tar.gz",
    })
    void kkzoneCnUsesKubeKeysChinaUrls(String component, String version, String arch, String url) {
        DownloadSource cn = DownloadSource.of(null, Zone.fromKkZone("cn"));

        ComponentFile file = CATALOG.resolve(component, version, arch, cn);

        assertThat(file.url()).isEqualTo(URI.create(url));
        assertThat(file.artifactPath())
                .isEqualTo(CATALOG.resolve(component, version, arch, DownloadSource.UPSTREAM)
                        .artifactPath());
    }

    @Test
    void chinaHelmIsTheBareBinarySoNoTarballChecksumApplies() {
        ComponentFile helm = CATALOG.resolve("helm", "v3.9.0", "amd64", DownloadSource.of(null, Zone.CN));

        assertThat(helm.archiveMember()).isEmpty();
        assertThat(helm.checksumUrl()).isEmpty();
        assertThat(helm.catalogSha256()).isPresent();
    }

    @Test
    void checksumFilesComeFromUpstreamInTheChinaZone() {
        ComponentFile etcd = CATALOG.resolve("etcd", "v3.4.13", "amd64", DownloadSource.of(null, Zone.CN));

        assertThat(etcd.checksumUrl())
                .contains(URI.create("https://github.com/coreos/etcd/releases/download/v3.4.13/SHA256SUMS"));
    }

    @Test
    void mirrorMapsEveryUpstreamUrlAndChecksumFileToHostAndPath() {
        DownloadSource mirror = DownloadSource.of("http://mirror.local:8080/kk/", Zone.DEFAULT);

        ComponentFile kubeadm = CATALOG.resolve("kubeadm", "v1.28.2", "amd64", mirror);

        assertThat(kubeadm.url())
                .isEqualTo(URI.create("http://mirror.local:8080/kk/dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm"));
        assertThat(kubeadm.upstreamUrl())
                .isEqualTo(URI.create("https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm"));
        assertThat(kubeadm.checksumUrl())
                .contains(URI.create(
                        "http://mirror.local:8080/kk/dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm.sha256"));
        assertThat(CATALOG.resolve("etcd", "v3.4.13", "arm64", mirror).url())
                .isEqualTo(URI.create("http://mirror.local:8080/kk/github.com/coreos/etcd/releases/download/v3.4.13/"
                        + "etcd-v3.4.13-linux-arm64.tar.gz"));
    }

    @Test
    void aMirrorWinsOverTheChinaZone() {
        DownloadSource both = DownloadSource.of("https://m.example", Zone.CN);

        ComponentFile docker = CATALOG.resolve("docker", "24.0.6", "amd64", both);

        assertThat(docker.url())
                .isEqualTo(URI.create(
                        "https://m.example/download.docker.com/linux/static/stable/x86_64/docker-24.0.6.tgz"));
        assertThat(CATALOG.resolve("helm", "v3.9.0", "amd64", both).archiveMember())
                .contains("linux-amd64/helm");
    }

    @Test
    void versionsTheCatalogLacksStillResolveWithoutADigest() {
        ComponentFile file = CATALOG.resolve("kubeadm", "v1.35.0", "amd64", DownloadSource.UPSTREAM);

        assertThat(file.catalogSha256()).isEmpty();
        assertThat(file.url()).isEqualTo(URI.create("https://dl.k8s.io/release/v1.35.0/bin/linux/amd64/kubeadm"));
    }

    @Test
    void aliasesNameTheSameComponent() {
        assertThat(CATALOG.resolve("cni", "v1.2.0", "amd64", DownloadSource.UPSTREAM)
                        .component())
                .isEqualTo("kubecni");
        assertThat(CATALOG.resolve("docker-registry", "2", "amd64", DownloadSource.UPSTREAM)
                        .component())
                .isEqualTo("registry");
        assertThat(CATALOG.resolve("docker-compose", "v2.2.2", "amd64", DownloadSource.UPSTREAM)
                        .component())
                .isEqualTo("compose");
    }

    @Test
    void badInputIsRefusedAsInvalidInput() {
        assertThatThrownBy(() -> CATALOG.resolve("kubeadm", "v1.28.2", "s390x", DownloadSource.UPSTREAM))
                .isInstanceOf(KkException.class)
                .hasMessage("arch 's390x' is not supported for kubeadm")
                .extracting(e -> ((KkException) e).kind())
                .isEqualTo(ErrorKind.INVALID_INPUT);
        assertThatThrownBy(() -> CATALOG.resolve("kubeadm", "../../etc/passwd", "amd64", DownloadSource.UPSTREAM))
                .isInstanceOf(KkException.class)
                .hasMessage("'../../etc/passwd' is not a version of kubeadm");
        assertThatThrownBy(() -> CATALOG.resolve("flannelctl", "v1", "amd64", DownloadSource.UPSTREAM))
                .isInstanceOf(KkException.class)
                .hasMessageStartingWith("unknown component 'flannelctl'");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
