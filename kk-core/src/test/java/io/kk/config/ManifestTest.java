package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestTest {

    @Test
    void kubekeySampleManifestLoadsUnchanged() {
        LoadedManifest loaded =
                ConfigLoader.manifest(ClusterConfigLoadTest.resource("kubekey-sample-manifest.yaml"), "m.yaml");
        assertThat(loaded.problems()).isEmpty();
        Manifest m = loaded.orThrow();
        assertThat(m.name()).isEqualTo("sample");
        assertThat(m.arches()).containsExactly("amd64", "arm64");
        assertThat(m.operatingSystems()).hasSize(2);
        Manifest.OperatingSystem ubuntu = m.operatingSystems().get(0);
        assertThat(ubuntu.id()).isEqualTo("ubuntu");
        assertThat(ubuntu.version()).isEqualTo("20.04");
        assertThat(ubuntu.osImage()).isEqualTo("Ubuntu 20.04.6 LTS");
        assertThat(ubuntu.iso().url()).isEqualTo("https://mirror.example/iso/ubuntu-20.04-debs-amd64.iso");
        assertThat(m.operatingSystems().get(1).iso().localPath()).isEqualTo("/data/centos7-rpms-amd64.iso");
        assertThat(m.kubernetesDistributions())
                .containsExactly(new Manifest.KubernetesDistribution("kubernetes", "v1.23.10"));
        Manifest.Components c = m.components();
        assertThat(c.helm().version()).isEqualTo("v3.9.0");
        assertThat(c.cni().version()).isEqualTo("v1.2.0");
        assertThat(c.etcd().version()).isEqualTo("v3.4.13");
        assertThat(c.calicoctl().version()).isEqualTo("v3.26.1");
        assertThat(c.crictl().version()).isEqualTo("v1.24.0");
        assertThat(c.containerRuntimes())
                .containsExactly(
                        new Manifest.ContainerRuntime("docker", "24.0.6"),
                        new Manifest.ContainerRuntime("containerd", "1.6.4"));
        assertThat(c.dockerRegistry().version()).isEqualTo("2");
        assertThat(c.harbor().version()).isEqualTo("v2.5.3");
        assertThat(c.dockerCompose().version()).isEqualTo("v2.2.2");
        assertThat(c.runc()).isNull();
        assertThat(m.images()).hasSize(6).contains("docker.io/kubesphere/pause:3.6", "docker.io/library/haproxy:2.3");
        assertThat(m.registryAuths().get("docker.io").username()).isEqualTo("u");
        assertThat(m.registryAuths().get("docker.io").toString()).doesNotContain("password=p");
        assertThat(m.checksums()).isEmpty();
    }

    @Test
    void kkExtensionsChecksumsAndRunc() {
        String hex = "a".repeat(64);
        LoadedManifest loaded = ConfigLoader.manifest(
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Manifest
                metadata: {name: ext}
                spec:
                  arches: [amd64, arm/v7]
                  components:
                    runc: {version: v1.1.12}
                    containerRuntimes: [{type: containerd, version: 1.7.13}]
                  images: ["registry.local:5000/library/busybox@sha256:%s"]
                  checksums:
                    "registry-2.99-linux-amd64.tar.gz": "sha256:%s"
                """
                        .formatted(hex, hex),
                "m.yaml");
        assertThat(loaded.hasErrors()).isFalse();
        assertThat(loaded.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Problem.Severity.WARNING);
            assertThat(p.path()).isEqualTo("spec.arches[1]");
            assertThat(p.message()).isEqualTo("arch \"arm/v7\" applies to images only");
        });
        Manifest m = loaded.manifest();
        assertThat(m.components().runc().version()).isEqualTo("v1.1.12");
        assertThat(m.components().helm()).isNull();
        assertThat(m.checksums()).containsEntry("registry-2.99-linux-amd64.tar.gz", "sha256:" + hex);
    }

    static final String BASE =
            """
            apiVersion: kubekey.kubesphere.io/v1alpha2
            kind: Manifest
            spec:
              arches: [amd64]
              kubernetesDistributions:
              - {type: kubernetes, version: v1.28.2}
              components:
                etcd: {version: v3.5.9}
              images:
              - docker.io/library/nginx:1.25
            """;

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("arches: [amd64]", "arches: [s390x]", "spec.arches[0]", 4, "unsupported arch \"s390x\""),
                Arguments.of(
                        "- {type: kubernetes, version: v1.28.2}",
                        "- {type: kubernetes, version: 1.28}",
                        "spec.kubernetesDistributions[0].version",
                        6,
                        "malformed Kubernetes version \"1.28\""),
                Arguments.of(
                        "- {type: kubernetes, version: v1.28.2}",
                        "- {type: kubernetes, version: v1.28.2}\n  - {type: k3s, version: v1.28.2}",
                        "spec.kubernetesDistributions[1].type",
                        7,
                        "all kubernetesDistributions must be of one type"),
                Arguments.of(
                        "etcd: {version: v3.5.9}",
                        "etcd: {version: latest}",
                        "spec.components.etcd.version",
                        8,
                        "malformed version \"latest\""),
                Arguments.of(
                        "- docker.io/library/nginx:1.25",
                        "- nginx:1.25",
                        "spec.images[0]",
                        10,
                        "bad image reference \"nginx:1.25\": it needs a registry host and a namespace"),
                Arguments.of(
                        "- docker.io/library/nginx:1.25",
                        "- docker.io/library/nginx",
                        "spec.images[0]",
                        10,
                        "bad image reference \"docker.io/library/nginx\": it has no tag"),
                Arguments.of(
                        "- docker.io/library/nginx:1.25",
                        "- docker.io/library/Nginx:1.25",
                        "spec.images[0]",
                        10,
                        "bad image reference \"docker.io/library/Nginx:1.25\": bad repository part \"Nginx\""),
                Arguments.of(
                        "- docker.io/library/nginx:1.25",
                        "- docker.io/library/nginx@sha256:abc",
                        "spec.images[0]",
                        10,
                        "bad image reference \"docker.io/library/nginx@sha256:abc\": bad digest"),
                Arguments.of(
                        "etcd: {version: v3.5.9}",
                        "containerRuntimes: [{type: cri-o, version: 1.28.0}]",
                        "spec.components.containerRuntimes[0].type",
                        8,
                        "unknown container runtime \"cri-o\""),
                Arguments.of(
                        "- docker.io/library/nginx:1.25",
                        "- docker.io/library/nginx:1.25\n  checksums: {\"etcd.tgz\": \"md5:abc\"}",
                        "spec.checksums.etcd.tgz".replace("spec.checksums.etcd.tgz", "spec.checksums[\"etcd.tgz\"]"),
                        11,
                        "malformed checksum \"md5:abc\""),
                Arguments.of("kind: Manifest", "kind: Cluster", "kind", 2, "kind \"Cluster\" is not a Manifest"),
                Arguments.of(
                        "arches: [amd64]",
                        "arches: [amd64]\n  operatingSystems:\n  - {arch: amd64, id: ubuntu, version: \"22.04\", repository: {iso: {url: x, checksum: nope}}}",
                        "spec.operatingSystems[0].repository.iso.checksum",
                        6,
                        "malformed checksum \"nope\""));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("bad")
    void reportsTheExactProblem(String line, String replacement, String path, int lineNo, String message) {
        assertThat(BASE).contains(line);
        LoadedManifest loaded = ConfigLoader.manifest(BASE.replace(line, replacement), "m.yaml");
        assertThat(loaded.hasErrors()).isTrue();
        List<Problem> errors =
                loaded.problems().stream().filter(Problem::isError).toList();
        assertThat(errors)
                .as(errors.stream().map(Problem::describe).toList().toString())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo(path);
                    assertThat(p.line()).isEqualTo(lineNo);
                    assertThat(p.message()).isEqualTo(message);
                });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "docker.io/kubesphere/kube-apiserver:v1.28.2",
                "registry.local:5000/a/b/c:1",
                "localhost:5000/ns/repo:tag_1.0",
                "quay.io/ns/repo@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            })
    void wellFormedImageReferences(String ref) {
        assertThat(ManifestReader.imageProblem(ref)).isNull();
    }

    @Test
    void writtenManifestsLoadBackEqual() {
        for (String name : List.of("kubekey-sample-manifest.yaml", "docs-style-manifest.yaml")) {
            Manifest m = ConfigLoader.manifest(ClusterConfigLoadTest.resource(name), name)
                    .manifest();
            String text = ManifestWriter.write(m);
            LoadedManifest back = ConfigLoader.manifest(text, "written.yaml");
            assertThat(back.problems()).as(text).isEmpty();
            assertThat(back.manifest()).isEqualTo(m);
            assertThat(text).contains("    docker-registry:\n      version: \"2\"\n");
        }
        String hex = "b".repeat(64);
        Manifest ext = new Manifest(
                "ext",
                List.of("amd64"),
                List.of(),
                List.of(new Manifest.KubernetesDistribution("kubernetes", "v1.28.2")),
                new Manifest.Components(
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(new Manifest.ContainerRuntime("containerd", "1.7.13")),
                        null,
                        null,
                        null,
                        new Manifest.Component("v1.1.12")),
                List.of("docker.io/library/busybox:1.36"),
                java.util.Map.of(),
                java.util.Map.of("etcd-v3.5.99-linux-amd64.tar.gz", "sha256:" + hex));
        LoadedManifest back = ConfigLoader.manifest(ManifestWriter.write(ext), "ext.yaml");
        assertThat(back.problems()).isEmpty();
        assertThat(back.manifest()).isEqualTo(ext);
    }

    @Test
    void kkExtensionChartsLoadsValidatesAndWritesBack() {
        LoadedManifest loaded = ConfigLoader.manifest(
                BASE
                        + """
                  charts:
                  - {name: nfs-client-provisioner, repo: "https://charts.kubesphere.io/main", version: 4.0.11}
                  - {name: web, repo: "https://charts.example.io/stable/"}
                  - {path: ./charts/local-1.0.0.tgz}
                  - {name: cert-manager, repo: "oci://quay.io/jetstack/charts", version: v1.15.3}
                """,
                "m.yaml");
        assertThat(loaded.problems()).isEmpty();
        Manifest m = loaded.manifest();
        assertThat(m.charts())
                .containsExactly(
                        new Manifest.Chart("nfs-client-provisioner", "https://charts.kubesphere.io/main", "4.0.11", ""),
                        new Manifest.Chart("web", "https://charts.example.io/stable/", "", ""),
                        new Manifest.Chart("", "", "", "./charts/local-1.0.0.tgz"),
                        new Manifest.Chart("cert-manager", "oci://quay.io/jetstack/charts", "v1.15.3", ""));
        String text = ManifestWriter.write(m);
        assertThat(text).contains("  charts:\n  - name: nfs-client-provisioner\n");
        LoadedManifest back = ConfigLoader.manifest(text, "written.yaml");
        assertThat(back.problems()).as(text).isEmpty();
        assertThat(back.manifest()).isEqualTo(m);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "{name: a, repo: 'https://x.io', path: a.tgz}|spec.charts[0]|a chart has both repo and path",
                "{name: a}|spec.charts[0]|a chart needs a repo or a path",
                "{repo: 'https://x.io'}|spec.charts[0].name|a repository chart needs its name",
                "{name: a, repo: 'ftp://r.io/charts'}|spec.charts[0].repo|is not an http(s) or oci:// URL",
                "{name: ../a, repo: 'https://x.io'}|spec.charts[0].name|bad chart name",
                "{name: a, repo: 'https://x.io', version: 1/2}|spec.charts[0].version|bad chart version",
            })
    void badChartsAreReportedAtTheirPath(String entry, String path, String message) {
        LoadedManifest loaded = ConfigLoader.manifest(BASE + "  charts:\n  - " + entry + "\n", "m.yaml");
        assertThat(loaded.problems()).filteredOn(Problem::isError).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo(path);
            assertThat(p.message()).contains(message);
        });
    }
}
