package io.kk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.InvalidInputException;
import io.kk.error.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigLoadTest {

    static String resource(String name) {
        try (InputStream in = ClusterConfigLoadTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static LoadedCluster load(String text) {
        return ConfigLoader.cluster(text, "c.yaml", KnownVersions.ANY);
    }

    @Test
    void kubekeySampleLoadsWithoutProblems() {
        LoadedCluster loaded = load(resource("kubekey-sample-cluster.yaml"));
        assertThat(loaded.problems()).isEmpty();
        ClusterConfig c = loaded.orThrow();
        assertThat(c.name()).isEqualTo("prod");
        assertThat(c.hosts()).extracting(Host::name).containsExactly("m1", "m2", "m3", "w1", "w2", "reg");
        assertThat(c.roleGroups().controlPlane()).containsExactly("m1", "m2", "m3");
        assertThat(c.roleGroups().worker()).containsExactly("w1", "w2");
        assertThat(c.registryHost()).map(Host::name).contains("reg");
        assertThat(c.host("m3").orElseThrow().port()).isEqualTo(2222);
        assertThat(c.host("m3").orElseThrow().timeout()).isEqualTo(60);
        assertThat(c.host("w1").orElseThrow().arch()).isEqualTo("arm64");
        assertThat(c.host("w1").orElseThrow().labels()).isEqualTo(Map.of("disk", "ssd"));
        // w2 has only an address: internalAddress copied, key path defaulted
        Host w2 = c.host("w2").orElseThrow();
        assertThat(w2.internalAddress()).isEqualTo("10.0.0.22");
        assertThat(w2.privateKeyPath()).isEqualTo("~/.ssh/id_rsa");
        assertThat(w2.user()).isEqualTo("root");
        assertThat(c.controlPlaneEndpoint().internalLoadbalancer()).isEqualTo("haproxy");
        assertThat(c.system().preInstall().get(0).materials()).containsExactly("./setup-disk.sh");
        assertThat(c.kubernetes().kubeletConfiguration()).isEqualTo(Map.of("systemReserved", Map.of("cpu", "500m")));
        assertThat(c.kubernetes().kubeProxyConfiguration())
                .isEqualTo(Map.of("ipvs", Map.of("excludeCIDRs", List.of("10.0.0.0/24"))));
        assertThat(c.etcd().quotaBackendBytes()).isEqualTo(2147483648L);
        assertThat(c.registry().auths().get("dockerhub.kubekey.local").certsPath())
                .isEqualTo("/etc/docker/certs.d/dockerhub.kubekey.local");
        assertThat(c.addons()).hasSize(2);
        assertThat(c.addons().get(0).chart().values()).containsExactly("storageClass.defaultClass=true");
        assertThat(c.addons().get(1).yaml().path()).containsExactly("./extra.yaml");
        assertThat(c.endpointAddress()).isEqualTo("10.0.0.11");
        assertThat(c.apiServerEndpoint()).isEqualTo("lb.kubesphere.local:6443");
    }

    @Test
    void everyDocumentedFieldIsRead() {
        LoadedCluster loaded = load(resource("every-field-cluster.yaml"));
        assertThat(loaded.problems()).isEmpty();
        ClusterConfig c = loaded.config();
        Host n1 = c.host("node1").orElseThrow();
        assertThat(n1.internalIPv4()).isEqualTo("192.168.10.2");
        assertThat(n1.internalIPv6()).isEqualTo("fd10::2");
        assertThat(n1.port()).isEqualTo(8022);
        assertThat(n1.user()).isEqualTo("ubuntu");
        assertThat(n1.privateKeyPath()).isEmpty(); // a password was given
        Host n4 = c.host("node4").orElseThrow();
        assertThat(n4.privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(n4.privateKeyPath()).isEmpty();
        assertThat(n4.internalAddress()).isEqualTo("192.168.10.5");
        // master (legacy) + ranges
        assertThat(c.roleGroups().controlPlane()).containsExactly("node1", "node2", "node3");
        assertThat(c.roleGroups().worker()).containsExactly("node1", "node2", "node3", "node4");
        assertThat(c.k8sHosts()).extracting(Host::name).containsExactly("node1", "node2", "node3", "node4");
        assertThat(c.controlPlaneEndpoint().domain()).isEqualTo("lb.example.local");
        assertThat(c.system().postInstall().get(0).bash()).isEqualTo("rm -fr /tmp/kubekey/*\n");
        assertThat(c.system().preInstall().get(0).role()).isEqualTo("worker");
        assertThat(c.system().postClusterInstall()).hasSize(1);
        KubernetesConfig k = c.kubernetes();
        assertThat(k.version()).isEqualTo("v1.26.5");
        assertThat(k.maxPods()).isEqualTo(150);
        assertThat(k.podPidsLimit()).isEqualTo(8000);
        assertThat(k.nodeCidrMaskSizeIPv6()).isEqualTo(64);
        assertThat(k.autoRenewCerts()).isFalse();
        assertThat(k.nodeFeatureDiscovery()).isTrue();
        assertThat(k.kata()).isTrue();
        assertThat(k.audit()).isTrue();
        assertThat(k.kubeletArgs()).containsExactly("--root-dir=/var/lib/kubelet");
        assertThat(k.featureGates()).hasSize(4);
        EtcdConfig e = c.etcd();
        assertThat(e.dataDir()).isEqualTo("/data/etcd");
        assertThat(e.extraArgs()).hasSize(1);
        assertThat(e.backupPeriod()).isEqualTo(720);
        assertThat(e.keepBackupNumber()).isEqualTo(7);
        assertThat(e.maxWals()).isEqualTo(5);
        assertThat(e.logLevel()).isEqualTo("info");
        assertThat(c.dns().coredns().externalZones().get(0).zones()).containsExactly("example.com", "example.io:1053");
        assertThat(c.dns().coredns().externalZones().get(0).cache()).isEqualTo(5);
        assertThat(c.dns().nodelocaldnsZones().get(0).nameservers()).containsExactly("192.168.0.53");
        assertThat(c.dns().nodeEtcHosts()).contains("ingress.example.com");
        NetworkConfig n = c.network();
        assertThat(n.kubePodsCIDR()).isEqualTo("10.233.64.0/18,fc00::/48");
        assertThat(n.calico().vethMTU()).isEqualTo(1440);
        assertThat(n.calico().ipAutoDetectionMethod()).isEqualTo("can-reach=8.8.8.8");
        assertThat(n.calico().typha()).isEqualTo(Map.of("replicas", 2L));
        assertThat(n.kubeovn()).containsEntry("joinCIDR", "100.64.0.0/16");
        assertThat(n.hybridnet()).containsEntry("defaultNetworkType", "Overlay");
        assertThat(c.storage().openebsBasePath()).isEqualTo("/data/openebs/local");
        RegistryConfig r = c.registry();
        assertThat(r.type()).isEqualTo("harbor");
        assertThat(r.privateRegistryHost()).isEqualTo("dockerhub.kubekey.local");
        assertThat(r.namespaceRewrite().src()).containsExactly("kubesphere");
        assertThat(r.auths().get("dockerhub.kubekey.local").keyFile()).isEqualTo("/etc/pki/client.key");
        assertThat(r.remoteMirrors()).containsExactly("https://remote.example.com");
        assertThat(r.registryDataDir()).isEqualTo("/data/registry");
        assertThat(c.addons().get(0).retries()).isEqualTo(3);
        assertThat(c.addons().get(0).chart().waitReady()).isTrue();
        assertThat(c.addons().get(0).preInstall().get(0).name()).isEqualTo("prepare");
        assertThat(c.addons().get(1).chart().path()).isEqualTo("./charts/mychart-1.0.0.tgz");
        assertThat(c.kubesphere().enabled()).isTrue();
        assertThat(c.kubesphere().version()).isEqualTo("v3.4.1");
        assertThat(c.kubesphere().configurations()).startsWith("apiVersion: installer.kubesphere.io/v1alpha1");
    }

    @Test
    void defaultsAreKubeKeys() {
        ClusterConfig c =
                load("""
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts:
                  - {name: a, address: 10.0.0.1}
                  roleGroups:
                    etcd: [a]
                    control-plane: [a]
                    worker: [a]
                """)
                        .orThrow();
        Host a = c.hosts().get(0);
        assertThat(a.internalAddress()).isEqualTo("10.0.0.1");
        assertThat(a.port()).isEqualTo(22);
        assertThat(a.user()).isEqualTo("root");
        assertThat(a.privateKeyPath()).isEqualTo("~/.ssh/id_rsa");
        assertThat(a.privateKeyFile(java.nio.file.Path.of("/home/x")))
                .isEqualTo(java.nio.file.Path.of("/home/x/.ssh/id_rsa"));
        assertThat(a.arch()).isEqualTo("amd64");
        assertThat(a.timeout()).isEqualTo(30);
        assertThat(c.name()).isEqualTo("sample");
        assertThat(c.controlPlaneEndpoint())
                .isEqualTo(new ControlPlaneEndpoint("", "lb.kubesphere.local", false, "", 6443, "ARP"));
        assertThat(c.endpointAddress()).isEqualTo("10.0.0.1");
        KubernetesConfig k = c.kubernetes();
        assertThat(k.version()).isEqualTo("v1.23.10");
        assertThat(k.type()).isEqualTo("kubernetes");
        assertThat(k.clusterName()).isEqualTo("cluster.local");
        assertThat(k.dnsDomain()).isEqualTo("cluster.local");
        assertThat(k.maxPods()).isEqualTo(110);
        assertThat(k.podPidsLimit()).isEqualTo(10000);
        assertThat(k.nodeCidrMaskSize()).isEqualTo(24);
        assertThat(k.proxyMode()).isEqualTo("ipvs");
        assertThat(k.nodelocaldns()).isTrue();
        assertThat(k.autoRenewCerts()).isTrue();
        assertThat(k.containerManager()).isEqualTo("docker");
        assertThat(k.containerRuntimeEndpoint()).isEmpty();
        assertThat(k.effectiveFeatureGates())
                .containsOnlyKeys(
                        "RotateKubeletServerCertificate", "TTLAfterFinished", "ExpandCSIVolumes", "CSIStorageCapacity");
        assertThat(c.network().plugin()).isEqualTo("calico");
        assertThat(c.network().kubePodsCIDR()).isEqualTo("10.233.64.0/18");
        assertThat(c.network().kubeServiceCIDR()).isEqualTo("10.233.0.0/18");
        assertThat(c.network().calico().ipipMode()).isEqualTo("Always");
        assertThat(c.network().calico().vxlanMode()).isEqualTo("Never");
        assertThat(c.network().flannel().backendMode()).isEqualTo("vxlan");
        EtcdConfig e = c.etcd();
        assertThat(e.type()).isEqualTo(EtcdConfig.Type.KUBEKEY);
        assertThat(e.dataDir()).isEqualTo("/var/lib/etcd");
        assertThat(e.port()).isEqualTo(2379);
        assertThat(e.peerPort()).isEqualTo(2380);
        assertThat(e.backupDir()).isEqualTo("/var/backups/kube_etcd");
        assertThat(e.backupPeriod()).isEqualTo(1440);
        assertThat(e.keepBackupNumber()).isEqualTo(5);
        assertThat(e.backupScript()).isEqualTo("/usr/local/bin/kube-scripts");
        assertThat(e.heartbeatInterval()).isEqualTo(250);
        assertThat(e.electionTimeout()).isEqualTo(5000);
        assertThat(e.snapshotCount()).isEqualTo(10000);
        assertThat(e.autoCompactionRetention()).isEqualTo(8);
        assertThat(e.metrics()).isEqualTo("basic");
        assertThat(c.storage().openebsBasePath()).isEqualTo("/var/openebs/local");
        assertThat(c.kubesphere()).isEqualTo(KubeSphereConfig.NONE);
    }

    @Test
    void containerdIsTheDefaultFromKubernetes124() {
        ClusterConfig c =
                load("""
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 10.0.0.1}]
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                  kubernetes: {version: v1.28.2}
                """)
                        .orThrow();
        assertThat(c.kubernetes().containerManager()).isEqualTo("containerd");
        assertThat(c.kubernetes().containerRuntimeEndpoint()).isEqualTo("unix:///run/containerd/containerd.sock");
    }

    @Test
    void k3sSuffixSetsTheTypeAndForcesKubekeyEtcd() {
        ClusterConfig c =
                load("""
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 10.0.0.1}]
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                  kubernetes: {version: v1.21.4-k3s, containerManager: containerd}
                  etcd: {type: kubeadm}
                """)
                        .orThrow();
        assertThat(c.kubernetes().version()).isEqualTo("v1.21.4");
        assertThat(c.kubernetes().type()).isEqualTo("k3s");
        assertThat(c.etcd().type()).isEqualTo(EtcdConfig.Type.KUBEKEY);
    }

    @Test
    void endpointAddressFollowsKubeKey() {
        String base =
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 1.1.1.1, internalAddress: 10.0.0.1}]
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                """;
        assertThat(load(base + "  controlPlaneEndpoint: {address: 127.0.0.1}\n")
                        .orThrow()
                        .endpointAddress())
                .isEqualTo("10.0.0.1");
        assertThat(load(base + "  controlPlaneEndpoint: {address: 10.0.0.99}\n")
                        .orThrow()
                        .endpointAddress())
                .isEqualTo("10.0.0.99");
        assertThat(load(base + "  controlPlaneEndpoint: {externalDNS: true}\n")
                        .orThrow()
                        .endpointAddress())
                .isEmpty();
    }

    @Test
    void rangesExpandInclusivelyWithoutPadding() {
        assertThat(ClusterReader.expandRange("node[1:3]")).containsExactly("node1", "node2", "node3");
        assertThat(ClusterReader.expandRange("node[8:11]")).containsExactly("node8", "node9", "node10", "node11");
        assertThat(ClusterReader.expandRange("n-[05:06]")).containsExactly("n-5", "n-6");
        assertThat(ClusterReader.expandRange("worker[7:7]")).containsExactly("worker7");
        assertThat(ClusterReader.expandRange("node1")).isNull();
    }

    @Test
    void rangesInRoleGroupsResolveToHosts() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            hosts.append("  - {name: node")
                    .append(i)
                    .append(", address: 10.0.1.")
                    .append(i)
                    .append("}\n");
        }
        ClusterConfig c = load("apiVersion: kubekey.kubesphere.io/v1alpha2\nkind: Cluster\nspec:\n  hosts:\n" + hosts
                        + "  roleGroups:\n    etcd: [\"node[1:3]\"]\n    master: [node1]\n    control-plane: [\"node[1:3]\"]\n"
                        + "    worker: [\"node[4:12]\"]\n")
                .orThrow();
        assertThat(c.roleGroups().etcd()).containsExactly("node1", "node2", "node3");
        assertThat(c.roleGroups().controlPlane()).containsExactly("node1", "node2", "node3");
        assertThat(c.workerHosts()).hasSize(9).first().extracting(Host::name).isEqualTo("node4");
        assertThat(c.workerHosts().get(8).name()).isEqualTo("node12");
        assertThat(c.firstControlPlane()).map(Host::name).contains("node1");
    }

    @Test
    void secretsNeverShowInToString() {
        ClusterConfig c = load(resource("every-field-cluster.yaml")).config();
        String text = c.toString();
        assertThat(text).doesNotContain("Pa55@word", "not-a-real-key", "Harbor12345");
        assertThat(text).contains("password=<redacted>", "privateKey=<redacted>");
    }

    @Test
    void unknownFieldsAreWarningsWithPathAndLine() {
        LoadedCluster loaded = load(
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts:
                  - {name: a, address: 10.0.0.1, adress: 10.0.0.2}
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                  kubernetes:
                    version: v1.23.10
                    imageRepo: kubesphere
                """);
        assertThat(loaded.hasErrors()).isFalse();
        assertThat(loaded.problems())
                .containsExactly(
                        new Problem(
                                Problem.Severity.WARNING,
                                "c.yaml",
                                5,
                                "spec.hosts[0].adress",
                                "unknown field \"adress\" is ignored",
                                "check the spelling; known fields here: name, address, internalAddress, port, user,"
                                        + " password, privateKey, privateKeyPath, arch, timeout, labels"),
                        new Problem(
                                Problem.Severity.WARNING,
                                "c.yaml",
                                9,
                                "spec.kubernetes.imageRepo",
                                "unknown field \"imageRepo\" is ignored",
                                loaded.problems().get(1).hint()));
        assertThat(loaded.orThrow()).isNotNull();
    }

    @Test
    void orThrowListsEveryError() {
        LoadedCluster loaded = load(
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 10.0.0.1, port: 0x}]
                  roleGroups: {etcd: [b], control-plane: [a], worker: [c]}
                """);
        assertThatThrownBy(loaded::orThrow)
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("c.yaml has 3 errors")
                .satisfies(
                        e -> assertThat(((InvalidInputException) e).problems()).hasSize(3));
    }

    @Test
    void knownVersionsAreAskedAndUnknownOnesWarned() {
        LoadedCluster loaded = ConfigLoader.cluster(
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 10.0.0.1}]
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                  kubernetes:
                    version: v1.99.1
                    containerManager: containerd
                """,
                "c.yaml",
                v -> v.equals("v1.28.2"));
        assertThat(loaded.hasErrors()).isFalse();
        assertThat(loaded.warnings()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("spec.kubernetes.version");
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).isEqualTo("Kubernetes v1.99.1 is not in kk's component catalog");
        });
    }

    @Test
    void theClusterDocumentIsFoundAmongOthers() {
        LoadedCluster loaded = load(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: ks-installer
                  labels: {version: v3.3.2}
                data: {}
                ---
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                spec:
                  hosts: [{name: a, address: 10.0.0.1}]
                  roleGroups: {etcd: [a], control-plane: [a], worker: [a]}
                ---
                kind: Secret
                """);
        assertThat(loaded.errors()).isEmpty();
        assertThat(loaded.warnings())
                .extracting(Problem::path, Problem::line, Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("kind", 14, "document of kind \"Secret\" is ignored"));
        ClusterConfig c = loaded.config();
        assertThat(c.kubesphere().enabled()).isTrue();
        assertThat(c.kubesphere().version()).isEqualTo("v3.3.2");
        assertThat(c.kubesphere().configurations()).startsWith("apiVersion: v1\nkind: ConfigMap");
        assertThat(c.kubesphere().toString()).doesNotContain("ks-installer");
    }
}
