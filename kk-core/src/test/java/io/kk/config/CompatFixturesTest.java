package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.error.Problem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KubeKey files written by other people (src/test/resources/compat/, each with its source in its
 * header): every one KubeKey v2/v3 accepts loads without errors and reads as KubeKey reads it;
 * the genuinely bad ones are refused with file, line, YAML path (where there is one) and a hint.
 */
class CompatFixturesTest {

    static Path dir() {
        try {
            return Path.of(CompatFixturesTest.class.getResource("/compat").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Arguments cluster(String file, Consumer<ClusterConfig> check) {
        return Arguments.of(file, check);
    }

    static Stream<Arguments> clusters() {
        return Stream.of(
                cluster("cluster-01-arm64-haproxy-openebs.yaml", c -> {
                    assertThat(c.hosts()).extracting(Host::arch).containsOnly("arm64");
                    assertThat(c.controlPlaneEndpoint().internalLoadbalancer()).isEqualTo("haproxy");
                    assertThat(c.kubernetes().clusterName()).isEqualTo("kspxlab.local");
                    assertThat(c.storage().openebsBasePath()).isEqualTo("/data/openebs/local");
                    assertThat(c.registry().privateRegistry()).isEqualTo("registry.cn-beijing.aliyuncs.com");
                    assertThat(c.registry().namespaceOverride()).isEqualTo("kubesphereio");
                    assertThat(c.network().kubePodsCIDR()).isEqualTo("10.233.0.0/17");
                }),
                cluster("cluster-02-custom-domain-clustername.yaml", c -> {
                    assertThat(c.controlPlaneEndpoint().domain()).isEqualTo("lb.opsxlab.cn");
                    assertThat(c.kubernetes().dnsDomain()).isEqualTo("cluster.local");
                    assertThat(c.hosts().get(0).password()).isEqualTo("Secret@2024");
                    assertThat(c.kubesphere().enabled()).isFalse();
                }),
                cluster("cluster-03-harbor-registry-role-kubesphere.yaml", c -> {
                    assertThat(c.roleGroups().registry()).containsExactly("ks-node-0");
                    assertThat(c.registry().type()).isEqualTo("harbor");
                    assertThat(c.registry()
                                    .auths()
                                    .get("dockerhub.kubekey.local")
                                    .username())
                            .isEqualTo("admin");
                    assertThat(c.hosts().get(0).internalAddress()).isEqualTo("10.10.10.100");
                    assertThat(c.kubesphere().enabled()).isTrue();
                    assertThat(c.kubesphere().version()).isEqualTo("v3.3.1");
                }),
                cluster("cluster-04-domain-is-an-ip.yaml", c -> {
                    assertThat(c.controlPlaneEndpoint().domain()).isEqualTo("192.168.10.100");
                    assertThat(c.hosts().get(0).password()).isEqualTo("vagrant");
                    assertThat(c.kubesphere().version()).isEqualTo("v3.3.2");
                }),
                cluster("cluster-05-v1alpha1-kubesphere-docs.yaml", c -> {
                    assertThat(c.roleGroups().controlPlane()).containsExactly("master");
                    assertThat(c.hosts().get(0).user()).isEqualTo("root");
                    assertThat(c.hosts().get(0).password()).isEqualTo("Qcloud@123");
                    assertThat(c.kubernetes().version()).isEqualTo("v1.21.5");
                }),
                cluster("cluster-06-v1alpha1-cilium-containerd-ks311.yaml", c -> {
                    assertThat(c.network().plugin()).isEqualTo("cilium");
                    assertThat(c.kubernetes().containerManager()).isEqualTo("containerd");
                    assertThat(c.kubesphere().version()).isEqualTo("v3.1.1");
                }),
                cluster("cluster-07-cilium-no-kube-proxy-harbor.yaml", c -> {
                    assertThat(c.kubernetes().disableKubeProxy()).isTrue();
                    assertThat(c.network().plugin()).isEqualTo("cilium");
                    RegistryAuth a = c.registry().auths().get("dockerhub.kubekey.local");
                    assertThat(a.skipTLSVerify()).isTrue();
                    assertThat(a.plainHTTP()).isFalse();
                    assertThat(a.certsPath()).isEmpty();
                }),
                cluster("cluster-08-single-node-empty-worker.yaml", c -> {
                    assertThat(c.roleGroups().worker()).isEmpty();
                    assertThat(c.registry().privateRegistry()).isEmpty();
                }),
                cluster("cluster-09-flow-rolegroups-string-port-unknown-section.yaml", c -> {
                    assertThat(c.roleGroups().worker()).containsExactly("wx-run-01", "wx-run-02");
                    assertThat(c.controlPlaneEndpoint().port()).isEqualTo(6443);
                    assertThat(c.controlPlaneEndpoint().address()).isEqualTo("10.100.10.250");
                    assertThat(c.kubernetes().version()).isEqualTo("v1.33.9");
                }),
                cluster("cluster-10-multiline-flow-hosts.yaml", c -> {
                    assertThat(c.hosts()).extracting(Host::name).containsExactly("k8s-master", "k8s-node");
                    assertThat(c.hosts().get(1).user()).isEqualTo("gerald");
                    assertThat(c.kubernetes().containerManager()).isEqualTo("docker");
                }),
                cluster("cluster-11-kubesphere-docs-multinode.yaml", c -> {
                    assertThat(c.hosts().get(3).address()).isEqualTo("192.168.0.4");
                    assertThat(c.hosts().get(3).internalAddress()).isEqualTo("10.87.9.10");
                    assertThat(c.roleGroups().controlPlane()).containsExactly("master");
                }),
                cluster("cluster-12-spaces-before-commas-special-passwords.yaml", c -> {
                    assertThat(c.hosts().get(0).address()).isEqualTo("10.16.161.21");
                    assertThat(c.hosts())
                            .extracting(Host::password)
                            .containsExactly("aB%6,F7cR}w", "xY?3.Pq|3^C", "qW;2B[UxL.m");
                }),
                cluster("cluster-13-ipvs-kubeadm-etcd-backup.yaml", c -> {
                    assertThat(c.kubernetes().nodelocaldns()).isFalse();
                    assertThat(c.kubernetes().proxyMode()).isEqualTo("ipvs");
                    assertThat(c.kubernetes().nodeCidrMaskSize()).isEqualTo(24);
                    assertThat(c.etcd().type()).isEqualTo(EtcdConfig.Type.KUBEADM);
                    assertThat(c.etcd().backupPeriod()).isEqualTo(1800);
                    assertThat(c.etcd().keepBackupNumber()).isEqualTo(6);
                    assertThat(c.hosts().get(0).password()).isEmpty();
                }),
                cluster("cluster-14-v1alpha1-kubeovn-port-22.yaml", c -> {
                    assertThat(c.hosts().get(0).port()).isEqualTo(22);
                    assertThat(c.network().plugin()).isEqualTo("kubeovn");
                    assertThat(c.network().kubeovn()).containsEntry("vlanID", "100");
                    assertThat(c.kubernetes().maxPods()).isEqualTo(110);
                    assertThat(c.kubernetes().proxyMode()).isEqualTo("ipvs");
                }),
                cluster("cluster-15-bom-crlf-string-port.yaml", c -> {
                    assertThat(c.name()).isEqualTo("sample");
                    assertThat(c.hosts()).extracting(Host::port).containsOnly(22);
                    assertThat(c.hosts().get(0).timeout()).isEqualTo(30);
                    assertThat(c.hosts().get(0).privateKeyPath()).isEqualTo("~/.ssh/id_rsa");
                    assertThat(c.roleGroups().worker()).containsExactly("node1", "node2");
                }),
                cluster("cluster-16-anchors-merge-keys.yaml", c -> {
                    assertThat(c.hosts()).extracting(Host::user).containsOnly("ops");
                    assertThat(c.hosts()).extracting(Host::port).containsExactly(2222, 2222, 22);
                    assertThat(c.hosts().get(1).privateKeyPath()).isEqualTo("/home/ops/.ssh/id_ed25519");
                    assertThat(c.hosts().get(2).arch()).isEqualTo("arm64");
                    assertThat(c.roleGroups().controlPlane()).containsExactly("node1");
                    assertThat(c.roleGroups().worker()).containsExactly("node2", "node3");
                    assertThat(c.kubernetes().version()).isEqualTo("v1.28.12");
                }),
                cluster("cluster-17-external-etcd-kube-vip-addons.yaml", c -> {
                    assertThat(c.roleGroups().controlPlane()).containsExactly("master1", "master2", "master3");
                    assertThat(c.roleGroups().etcd()).isEmpty();
                    assertThat(c.controlPlaneEndpoint().internalLoadbalancer()).isEqualTo("kube-vip");
                    assertThat(c.controlPlaneEndpoint().kubevipMode()).isEqualTo("BGP");
                    assertThat(c.etcd().type()).isEqualTo(EtcdConfig.Type.EXTERNAL);
                    assertThat(c.etcd().external().endpoints()).hasSize(3);
                    assertThat(c.etcd().external().keyFile()).isEqualTo("/etc/ssl/etcd/ssl/admin-etcd1-key.pem");
                    assertThat(c.kubernetes().featureGates()).containsEntry("GracefulNodeShutdown", true);
                    assertThat(c.kubernetes().kubeletConfiguration()).containsKey("evictionHard");
                    assertThat(c.kubernetes().kubeProxyConfiguration()).containsKey("ipvs");
                    assertThat(c.kubernetes().masqueradeAll()).isTrue();
                    assertThat(c.network().calico().vxlanMode()).isEqualTo("CrossSubnet");
                    assertThat(c.network().calico().vethMTU()).isEqualTo(1440);
                    assertThat(c.network().multusCNI()).isTrue();
                    assertThat(c.registry()
                                    .auths()
                                    .get("harbor.prod.internal:8080")
                                    .plainHTTP())
                            .isTrue();
                    assertThat(c.hosts().get(3).labels()).containsEntry("disk", "ssd");
                    assertThat(c.addons()).extracting(Addon::name).containsExactly("nfs-client", "ingress", "metallb");
                    assertThat(c.addons().get(0).chart().values()).hasSize(3);
                    assertThat(c.addons().get(2).yaml().path()).hasSize(2);
                }),
                cluster("cluster-18-flannel-ranges-domain-only.yaml", c -> {
                    assertThat(c.roleGroups().worker()).hasSize(10).endsWith("node10");
                    assertThat(c.controlPlaneEndpoint().domain()).isEqualTo("lb.lab.local");
                    assertThat(c.controlPlaneEndpoint().port()).isEqualTo(6443);
                    assertThat(c.network().flannel().backendMode()).isEqualTo("vxlan");
                    assertThat(c.system().timezone()).isEqualTo("Asia/Shanghai");
                }),
                cluster("cluster-19-hybridnet-scripts-debs.yaml", c -> {
                    assertThat(c.network().plugin()).isEqualTo("hybridnet");
                    assertThat(c.network().hybridnet()).containsKey("networks");
                    assertThat(c.system().debs()).containsExactly("nfs-common", "open-iscsi");
                    assertThat(c.system().preInstall().get(0).materials()).containsExactly("./setup.sh");
                    assertThat(c.dns().coredns().upstreamDNSServers()).containsExactly("10.4.0.53");
                }),
                cluster("cluster-20-unknown-keys-case-variants.yaml", c -> {
                    assertThat(c.hosts().get(0).internalAddress()).isEqualTo("10.5.0.1");
                    assertThat(c.controlPlaneEndpoint().domain()).isEqualTo("lb.variants.local");
                    assertThat(c.network().kubePodsCIDR()).isEqualTo("10.100.0.0/16");
                    assertThat(c.network().plugin()).isEqualTo("none");
                    assertThat(c.kubernetes().maxPods()).isEqualTo(200);
                    assertThat(c.kubernetes().masqueradeAll()).isTrue();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void aClusterFileKubeKeyAcceptsLoadsAsKubeKeyReadsIt(String file, Consumer<ClusterConfig> check) {
        LoadedCluster loaded = ConfigLoader.cluster(dir().resolve(file), KnownVersions.ANY);
        assertThat(loaded.errors()).as("errors").extracting(Problem::describe).isEmpty();
        check.accept(loaded.config());
    }

    @Test
    void everyFixtureHasItsChecks() throws IOException {
        List<String> covered = Stream.concat(
                        clusters().map(a -> (String) a.get()[0]), manifests().map(a -> (String) a.get()[0]))
                .toList();
        try (Stream<Path> files = Files.list(dir())) {
            List<String> fixtures = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("bad-"))
                    .toList();
            assertThat(covered).containsExactlyInAnyOrderElementsOf(fixtures);
        }
        assertThat(fixtures("cluster-")).hasSizeGreaterThanOrEqualTo(20);
    }

    private static List<String> fixtures(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .toList();
        }
    }

    @Test
    void v1alpha1IsReadAsKubeKeyReadsItWithAWarning() {
        LoadedCluster loaded =
                ConfigLoader.cluster(dir().resolve("cluster-05-v1alpha1-kubesphere-docs.yaml"), KnownVersions.ANY);
        assertThat(loaded.warnings())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("apiVersion");
                    assertThat(p.line()).isEqualTo(7);
                    assertThat(p.message()).contains("v1alpha1", "read as kubekey.kubesphere.io/v1alpha2");
                })
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("spec.kubernetes.imageRepo"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("spec.registry.plainHTTP"));
    }

    @Test
    void fieldNamesInAnotherCaseAreReadWithAWarningAndUnknownOnesIgnored() {
        LoadedCluster loaded =
                ConfigLoader.cluster(dir().resolve("cluster-20-unknown-keys-case-variants.yaml"), KnownVersions.ANY);
        assertThat(loaded.warnings())
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("spec.network.kubePodsCidr");
                    assertThat(p.line()).isEqualTo(30);
                    assertThat(p.message()).contains("read as kubePodsCIDR");
                    assertThat(p.hint()).isEqualTo("write it as kubePodsCIDR");
                })
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("spec.hosts[0].InternalAddress"))
                .anySatisfy(p -> {
                    assertThat(p.path()).isEqualTo("spec.extra");
                    assertThat(p.message()).contains("unknown field \"extra\" is ignored");
                })
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("spec.hosts[0].sshPort"))
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("spec.roleGroups.loadbalancer"));
    }

    @Test
    void anEmptyDocumentAfterTheLastSeparatorIsNoDocument() {
        LoadedCluster loaded =
                ConfigLoader.cluster(dir().resolve("cluster-02-custom-domain-clustername.yaml"), KnownVersions.ANY);
        assertThat(loaded.problems()).extracting(Problem::describe).isEmpty();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad-tab-before-comment.yaml", 19, "spec.registry", "TAB", "by spaces"),
                Arguments.of(
                        "bad-misindented-registry.yaml",
                        21,
                        "spec.network.registry",
                        "expected <block end>",
                        "check the indentation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aGenuinelyBadFileIsRefusedNamingFileLinePathAndAHint(
            String file, int line, String path, String says, String hint) {
        LoadedCluster loaded = ConfigLoader.cluster(dir().resolve(file), KnownVersions.ANY);
        assertThat(loaded.hasErrors()).isTrue();
        Problem p = loaded.errors().get(0);
        assertThat(p.line()).isEqualTo(line);
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.message()).contains(says);
        assertThat(p.hint()).contains(hint);
        assertThat(p.describe()).startsWith(dir().resolve(file) + ":" + line + ": " + path + ": ");
    }

    private static Arguments manifest(String file, Consumer<Manifest> check) {
        return Arguments.of(file, check);
    }

    static Stream<Arguments> manifests() {
        return Stream.of(
                manifest("manifest-01-create-manifest-v3.1-multiarch.yaml", m -> {
                    assertThat(m.arches()).containsExactly("amd64", "arm64");
                    assertThat(m.kubernetesDistributions())
                            .extracting(Manifest.KubernetesDistribution::version)
                            .containsExactly("v1.24.17", "v1.25.16");
                    assertThat(m.components().containerRuntimes())
                            .extracting(Manifest.ContainerRuntime::type)
                            .containsExactly("docker", "containerd");
                    assertThat(m.operatingSystems().get(0).iso().url()).isEmpty();
                    assertThat(m.images()).hasSize(19);
                }),
                manifest("manifest-02-flow-components-misplaced.yaml", m -> {
                    assertThat(m.components().helm().version()).isEqualTo("v3.9.0");
                    assertThat(m.components().calicoctl().version()).isEqualTo("v3.26.1");
                    // written at spec level: KubeKey ignores them there, and so does kk (warned)
                    assertThat(m.components().containerRuntimes()).isEmpty();
                    assertThat(m.components().harbor()).isNull();
                    assertThat(m.operatingSystems().get(0).iso().localPath())
                            .isEqualTo("/root/kubekey/centos7-rpms-amd64.iso");
                }),
                manifest("manifest-03-artifact-v3.0.7-quoted-iso.yaml", m -> {
                    assertThat(m.components().dockerRegistry().version()).isEqualTo("2");
                    assertThat(m.operatingSystems().get(0).iso().url()).endsWith("ubuntu-20.04-debs-amd64.iso");
                    assertThat(m.components().containerRuntimes()).hasSize(2);
                }),
                manifest("manifest-04-docs-v2.2-comment-indent.yaml", m -> {
                    assertThat(m.operatingSystems())
                            .extracting(Manifest.OperatingSystem::id)
                            .containsExactly("centos", "ubuntu");
                    assertThat(m.components().harbor().version()).isEqualTo("v2.4.1");
                    assertThat(m.components().containerRuntimes().get(0).version())
                            .isEqualTo("20.10.8");
                }),
                manifest("manifest-05-leading-doc-marker-centos.yaml", m -> {
                    assertThat(m.kubernetesDistributions().get(0).version()).isEqualTo("v1.22.12");
                    assertThat(m.registryAuths().get("dockerhub.kubekey.local").username())
                            .isEqualTo("admin");
                }),
                manifest("manifest-06-unlisted-versions.yaml", m -> {
                    assertThat(m.components().runc().version()).isEqualTo("v1.2.6");
                    assertThat(m.components().containerRuntimes().get(0).version())
                            .isEqualTo("1.7.27");
                    assertThat(m.kubernetesDistributions().get(0).version()).isEqualTo("v1.31.13");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void aManifestKubeKeyAcceptsLoadsAsKubeKeyReadsIt(String file, Consumer<Manifest> check) {
        LoadedManifest loaded = ConfigLoader.manifest(dir().resolve(file));
        assertThat(loaded.problems().stream().filter(Problem::isError))
                .as("errors")
                .extracting(Problem::describe)
                .isEmpty();
        check.accept(loaded.manifest());
    }

    @Test
    void aChecksumKeyedByArtifactPathAsKksErrorSuggestsIsAccepted() {
        String hex = "ab".repeat(32);
        LoadedManifest loaded = ConfigLoader.manifest(
                "apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Manifest\nmetadata: {name: m}\nspec:\n"
                        + "  arches: [amd64]\n  checksums:\n    \"kube/v1.31.9/amd64/kubeadm\": \"sha256:" + hex
                        + "\"\n    kubelet: \"sha256:" + hex + "\"\n    \"../etc/passwd\": \"sha256:" + hex + "\"\n",
                "m.yaml");
        assertThat(loaded.problems())
                .filteredOn(Problem::isError)
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).isEqualTo("spec.checksums[\"../etc/passwd\"]");
                    assertThat(p.line()).isEqualTo(9);
                });
    }

    @Test
    void componentsWrittenAtSpecLevelAreNamedInWarnings() {
        LoadedManifest loaded = ConfigLoader.manifest(dir().resolve("manifest-02-flow-components-misplaced.yaml"));
        assertThat(loaded.warnings())
                .extracting(Problem::path)
                .contains(
                        "spec.containerRuntimes",
                        "spec.crictl",
                        "spec.docker-registry",
                        "spec.harbor",
                        "spec.docker-compose");
    }
}
