package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.InvalidInputException;
import io.kk.error.KkException;
import io.kk.pki.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeadmSettingsTest {

    private static KubeadmSettings.Builder builder(String version) {
        return KubeadmSettings.builder(version)
                .nodes(Scenarios.single())
                .etcd(Scenarios.kubekeyEtcd(Scenarios.single()));
    }

    @Test
    void serviceAddressesFollowKubeKey() {
        KubeadmSettings s = builder("v1.26.15").build();
        assertThat(s.serviceIp(1)).isEqualTo("10.233.0.1");
        assertThat(s.corednsServiceIp()).isEqualTo("10.233.0.3");
        assertThat(s.clusterDns()).isEqualTo("169.254.25.10");
        KubeadmSettings noNodeLocal =
                s.toBuilder().nodeLocalDns(false).serviceCidr("10.96.0.0/12").build();
        assertThat(noNodeLocal.clusterDns()).isEqualTo("10.96.0.3");
        // Dual stack: the first (IPv4) CIDR decides; an IPv6 one alone works too.
        assertThat(s.toBuilder().serviceCidr("10.96.0.0/12,fd00::/108").build().serviceIp(1))
                .isEqualTo("10.96.0.1");
        assertThat(s.toBuilder().serviceCidr("fd00::/108").build().serviceIp(1)).isEqualTo("fd00:0:0:0:0:0:0:1");
        // Carry across an octet.
        assertThat(s.toBuilder().serviceCidr("10.0.0.255/24").build().serviceIp(1))
                .isEqualTo("10.0.1.0");
    }

    @Test
    void certSansListKubeKeysNamesOnceEach() {
        KubeadmSettings s = builder("v1.26.15")
                .controlPlaneEndpoint(new ControlPlaneEndpoint("lb.kubesphere.local", "192.168.0.11", 6443, ""))
                .apiserverCertExtraSans(List.of("api.example.com", "localhost"))
                .build();
        // node1's address equals the LB address: kept once, under the LB.
        assertThat(s.certSans())
                .containsExactly(
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local",
                        "localhost",
                        "127.0.0.1",
                        "lb.kubesphere.local",
                        "192.168.0.11",
                        "node1",
                        "node1.cluster.local",
                        "10.0.0.11",
                        "node2",
                        "node2.cluster.local",
                        "192.168.0.12",
                        "10.0.0.12",
                        "10.233.0.1",
                        "api.example.com");
    }

    @Test
    void defaultFeatureGatesOnlyWhileUpstreamHasThem() {
        assertThat(FeatureGates.effective(KubeVersion.parse("v1.20.15"), Map.of()))
                .containsOnlyKeys("RotateKubeletServerCertificate", "TTLAfterFinished", "ExpandCSIVolumes");
        assertThat(FeatureGates.effective(KubeVersion.parse("v1.21.14"), Map.of()))
                .containsOnlyKeys(
                        "RotateKubeletServerCertificate", "TTLAfterFinished", "ExpandCSIVolumes", "CSIStorageCapacity");
        assertThat(FeatureGates.effective(KubeVersion.parse("v1.24.17"), Map.of()))
                .containsOnlyKeys("RotateKubeletServerCertificate", "ExpandCSIVolumes", "CSIStorageCapacity");
        assertThat(FeatureGates.effective(KubeVersion.parse("v1.27.16"), Map.of()))
                .containsOnlyKeys("RotateKubeletServerCertificate", "CSIStorageCapacity");
        assertThat(FeatureGates.effective(KubeVersion.parse("v1.28.15"), Map.of()))
                .containsOnlyKeys("RotateKubeletServerCertificate");
        // The user's value wins over kk's default.
        assertThat(FeatureGates.effective(
                        KubeVersion.parse("v1.28.15"), Map.of("RotateKubeletServerCertificate", false)))
                .containsEntry("RotateKubeletServerCertificate", false);
        for (FeatureGates.Gate g : FeatureGates.DEFAULTS) {
            FeatureGates.removedIn(g.name())
                    .ifPresent(removed ->
                            assertThat(g.removedInMinor()).as(g.name()).isLessThanOrEqualTo(removed));
        }
    }

    @Test
    void aRemovedGateFromTheUserIsRejectedWithItsPath() {
        KubeadmSettings s = builder("v1.28.15")
                .featureGates(Map.of("CSIStorageCapacity", true, "InPlacePodVerticalScaling", true))
                .build();
        assertThatThrownBy(() -> KubeadmConfigs.init(s, "node1"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0).path()).isEqualTo("spec.kubernetes.featureGates.CSIStorageCapacity");
                    assertThat(e.problems().get(0).message()).contains("removed in Kubernetes 1.28");
                });
        // The same gate is fine where it still exists.
        assertThat(KubeadmConfigs.init(
                        builder("v1.27.16")
                                .featureGates(Map.of("CSIStorageCapacity", true))
                                .build(),
                        "node1"))
                .contains("CSIStorageCapacity: true");
    }

    @Test
    void userArgumentsReplaceKksAndMustBeKeyValue() {
        KubeadmSettings s = builder("v1.26.15")
                .controllerManagerArgs(List.of("--bind-address=127.0.0.1", "cluster-signing-duration=8760h"))
                .build();
        assertThat(KubeadmConfigs.controllerManagerArgs(s))
                .containsEntry("bind-address", "127.0.0.1")
                .containsEntry("cluster-signing-duration", "8760h");
        KubeadmSettings bad =
                builder("v1.26.15").schedulerArgs(List.of("profiling")).build();
        assertThatThrownBy(() -> KubeadmConfigs.init(bad, "node1")).hasMessageContaining("not key=value: profiling");
    }

    @Test
    void initOnlyOnAControlPlaneAndControlPlaneJoinNeedsAKey() {
        KubeadmSettings s = builder("v1.26.15").build();
        assertThatThrownBy(() -> KubeadmConfigs.init(s, "node2")).hasMessageContaining("not a control-plane");
        KubeadmSettings ha = KubeadmSettings.builder("v1.26.15")
                .nodes(Scenarios.ha())
                .etcd(Scenarios.kubekeyEtcd(Scenarios.ha()))
                .build();
        assertThatThrownBy(
                        () -> KubeadmConfigs.join(ha, "master2", new JoinCredentials(Scenarios.TOKEN, "", List.of())))
                .hasMessageContaining("needs a certificate key");
    }

    @Test
    void joinCredentialsAreValidatedAndNeverPrinted() {
        JoinCredentials c = new JoinCredentials(Scenarios.TOKEN, Scenarios.CERT_KEY, List.of());
        assertThat(c.toString()).doesNotContain(Scenarios.TOKEN, Scenarios.CERT_KEY, "0123456789abcdef");
        assertThatThrownBy(() -> new JoinCredentials("nope", "", List.of())).hasMessageNotContaining("nope");
        assertThatThrownBy(() -> new JoinCredentials(Scenarios.TOKEN, "xyz", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kubeadmApiAndTaintsFollowTheRelease() {
        assertThat(KubeadmApi.forVersion(KubeVersion.parse("v1.21.14"))).isEqualTo(KubeadmApi.V1BETA2);
        assertThat(KubeadmApi.forVersion(KubeVersion.parse("v1.22.0"))).isEqualTo(KubeadmApi.V1BETA3);
        assertThat(KubeadmApi.forVersion(KubeVersion.parse("v1.30.14"))).isEqualTo(KubeadmApi.V1BETA3);
        assertThat(KubeadmApi.forVersion(KubeVersion.parse("v1.31.0"))).isEqualTo(KubeadmApi.V1BETA4);
        assertThat(KubeadmCommands.untaint(KubeVersion.parse("v1.23.17"), "n"))
                .containsExactly("/usr/local/bin/kubectl taint nodes n node-role.kubernetes.io/master=:NoSchedule-");
        assertThat(KubeadmCommands.untaint(KubeVersion.parse("v1.24.17"), "n")).hasSize(2);
        assertThat(KubeadmCommands.untaint(KubeVersion.parse("v1.25.16"), "n"))
                .containsExactly(
                        "/usr/local/bin/kubectl taint nodes n node-role.kubernetes.io/control-plane=:NoSchedule-");
        assertThat(ContainerRuntime.DOCKER.criSocket(KubeVersion.parse("v1.23.17")))
                .isEmpty();
        assertThat(ContainerRuntime.DOCKER.criSocket(KubeVersion.parse("v1.24.0")))
                .isEqualTo("unix:///var/run/cri-dockerd.sock");
        assertThatThrownBy(() -> KubeVersion.parse("1.26")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenAndCertificateKeyAreReadFromKubeadmOutput() {
        String uploadCerts =
                """
                [upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace
                [upload-certs] Using certificate key:
                3f4e8d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e
                """;
        assertThat(KubeadmCommands.parseCertificateKey(uploadCerts))
                .isEqualTo("3f4e8d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e");
        assertThat(KubeadmCommands.parseToken("W1124 warning: something\nabcdef.0123456789abcdef\n"))
                .isEqualTo("abcdef.0123456789abcdef");
        assertThatThrownBy(() -> KubeadmCommands.parseToken("error: connection refused"))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("no bootstrap token");
    }

    @Test
    void caCertHashEqualsWhatTheOpensslPipelineComputes(@TempDir Path dir) throws Exception {
        CertificateAuthority ca =
                CertificateAuthority.create("kubernetes", CertificateAuthority.TEN_YEARS, Clock.systemUTC());
        Path crt = dir.resolve("ca.crt");
        Files.writeString(crt, ca.keyAndCertificate().certificatePem());
        String pipeline = KubeadmCommands.caCertHash().replace("/etc/kubernetes/pki/ca.crt", crt.toString());
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", pipeline)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(KubeadmCommands.caCertHash(ca.certificate())).isEqualTo("sha256:" + out);
    }

    @Test
    void kubeletDropInCarriesIdentityDataDirRuntimeAndUserArgs() {
        KubeadmSettings s = builder("v1.26.15")
                .containerRuntime(ContainerRuntime.DOCKER)
                .kubeletDataDir("/data/kubelet")
                .kubeletArgs(List.of("--v=4"))
                .build();
        assertThat(KubeletFiles.dropIn(s, "node2"))
                .contains("KUBELET_EXTRA_ARGS=--node-ip=10.0.0.12 --hostname-override=node2 --root-dir=/data/kubelet"
                        + " --container-runtime-endpoint=unix:///var/run/cri-dockerd.sock --v=4\"");
        // From 1.27 the endpoint is in the KubeletConfiguration instead of a deprecated flag.
        KubeadmSettings newer = s.toBuilder().build();
        KubeadmSettings v127 = KubeadmSettings.builder("v1.27.16")
                .nodes(Scenarios.single())
                .etcd(newer.etcd())
                .containerRuntime(ContainerRuntime.DOCKER)
                .build();
        assertThat(KubeletFiles.dropIn(v127, "node2")).doesNotContain("container-runtime-endpoint");
        assertThat(KubeadmConfigs.init(v127, "node1"))
                .contains("containerRuntimeEndpoint: unix:///var/run/cri-dockerd.sock");
    }

    @Test
    void dualStackUsesTheIpv4AddressToAdvertiseAndBothEverywhereElse() {
        List<KubeNode> nodes = List.of(new KubeNode("node1", "10.0.0.11", "10.0.0.11,fd00::11", true, true));
        KubeadmSettings s = KubeadmSettings.builder("v1.26.15")
                .nodes(nodes)
                .etcd(EtcdMode.kubekey(List.of("10.0.0.11"), 2379, "node1"))
                .podCidr("10.233.64.0/18,fd85:ee78:d8a6:8607::1:0000/112")
                .serviceCidr("10.233.0.0/18,fd85:ee78:d8a6:8607::1000/116")
                .build();
        String init = KubeadmConfigs.init(s, "node1");
        assertThat(init).contains("advertiseAddress: 10.0.0.11\n");
        assertThat(s.certSans()).contains("10.0.0.11", "fd00::11", "10.233.0.1");
        assertThat(KubeadmConfigs.controllerManagerArgs(s))
                .containsEntry("node-cidr-mask-size-ipv4", "24")
                .containsEntry("node-cidr-mask-size-ipv6", "64")
                .doesNotContainKey("node-cidr-mask-size");
        assertThat(KubeletFiles.dropIn(s, "node1")).contains("--node-ip=10.0.0.11,fd00::11 ");
    }

    @Test
    void removedGatesInTheKubeletConfigurationAreRejectedToo() {
        KubeadmSettings s = builder("v1.27.16")
                .kubeletConfiguration(Map.of("featureGates", Map.of("ExpandCSIVolumes", true)))
                .build();
        assertThatThrownBy(() -> KubeadmConfigs.init(s, "node1"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.path())
                        .containsExactly("spec.kubernetes.kubeletConfiguration.featureGates.ExpandCSIVolumes"));
    }

    @Test
    void criSocketPerRuntimeAndTheUsersEndpointWins() {
        KubeVersion v = KubeVersion.parse("v1.28.15");
        assertThat(ContainerRuntime.CRIO.criSocket(v)).isEqualTo("unix:///var/run/crio/crio.sock");
        assertThat(ContainerRuntime.ISULA.criSocket(v)).isEqualTo("unix:///var/run/isulad.sock");
        assertThat(ContainerRuntime.fromConfig("crio")).isEqualTo(ContainerRuntime.CRIO);
        assertThat(ContainerRuntime.fromConfig("")).isEqualTo(ContainerRuntime.DOCKER);
        KubeadmSettings s = builder("v1.28.15")
                .containerRuntime(ContainerRuntime.CRIO)
                .containerRuntimeEndpoint("unix:///run/crio/custom.sock")
                .build();
        assertThat(KubeadmConfigs.init(s, "node1"))
                .contains("criSocket: unix:///run/crio/custom.sock")
                .contains("containerRuntimeEndpoint: unix:///run/crio/custom.sock");
        assertThat(KubeadmCommands.reset(s)).endsWith("--cri-socket unix:///run/crio/custom.sock");
    }

    @Test
    @SuppressWarnings("unchecked")
    void numberLookingStringsStayStrings() {
        KubeImages images = new KubeImages("reg/kube", "reg/dns", "1.10", "reg/kube", "3.10", "h:1", "k:1");
        KubeadmSettings s = builder("v1.30.14")
                .images(images)
                .etcd(new EtcdMode.KubeadmLocal("reg/kube", "3.10", List.of()))
                .apiServerArgs(List.of("enable-aggregator-routing=true", "max-requests-inflight=400"))
                .build();
        Map<String, Object> cc = Yamls.loadAll(KubeadmConfigs.init(s, "node1")).get(0);
        assertThat(((Map<String, Object>) cc.get("dns")).get("imageTag")).isEqualTo("1.10");
        assertThat(((Map<String, Object>) ((Map<String, Object>) cc.get("etcd")).get("local")).get("imageTag"))
                .isEqualTo("3.10");
        Map<String, Object> apiArgs =
                (Map<String, Object>) ((Map<String, Object>) cc.get("apiServer")).get("extraArgs");
        assertThat(apiArgs.get("enable-aggregator-routing")).isEqualTo("true");
        assertThat(apiArgs.get("max-requests-inflight")).isEqualTo("400");
    }
}
