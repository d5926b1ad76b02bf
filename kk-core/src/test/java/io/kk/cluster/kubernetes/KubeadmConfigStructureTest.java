package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks what kubeadm would reject or what would break the cluster, independently of the golden
 * bytes: documents parse, apiVersion/kind fit the target release, argument values are strings (or
 * name/value lists in v1beta4), no removed feature gate is set, and the settings land where kubeadm
 * reads them.
 */
class KubeadmConfigStructureTest {

    static Stream<Scenarios.Scenario> scenarios() {
        return Scenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @SuppressWarnings("unchecked")
    void initFileHasTheFourDocumentsInTheReleasesApi(Scenarios.Scenario sc) {
        KubeadmSettings s = sc.settings();
        List<Map<String, Object>> docs = Yamls.loadAll(KubeadmConfigs.init(s, sc.initNode()));
        String kubeadmApi = expectedApi(s.version());
        assertThat(docs)
                .extracting(d -> d.get("apiVersion") + " " + d.get("kind"))
                .containsExactly(
                        kubeadmApi + " ClusterConfiguration",
                        kubeadmApi + " InitConfiguration",
                        "kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration",
                        "kubelet.config.k8s.io/v1beta1 KubeletConfiguration");

        Map<String, Object> cc = docs.get(0);
        assertThat(cc.get("kubernetesVersion")).isEqualTo(s.version().text());
        assertThat(cc.get("controlPlaneEndpoint"))
                .isEqualTo(s.controlPlaneEndpoint().domain() + ":6443");
        List<String> sans = (List<String>) ((Map<String, Object>) cc.get("apiServer")).get("certSANs");
        assertThat(sans).contains(s.controlPlaneEndpoint().domain(), "127.0.0.1", s.serviceIp(1));
        s.controlPlanes().forEach(cp -> assertThat(sans).contains(cp.name(), cp.internalAddress()));
        if (s.controlPlaneEndpoint().kubeVip()) {
            assertThat(sans).contains(s.controlPlaneEndpoint().address());
        }
        Map<String, Object> dns = (Map<String, Object>) cc.get("dns");
        assertThat(dns.containsKey("type")).isEqualTo(s.kubeadmApi() == KubeadmApi.V1BETA2);

        for (String component : List.of("apiServer", "controllerManager", "scheduler")) {
            Map<String, String> args = args(s, ((Map<String, Object>) cc.get(component)).get("extraArgs"));
            assertThat(args).containsKey("feature-gates");
            assertNoRemovedGates(s.version(), gatesOfFlag(args.get("feature-gates")));
        }
        Map<String, String> cm = args(s, ((Map<String, Object>) cc.get("controllerManager")).get("extraArgs"));
        assertThat(cm)
                .containsEntry("cluster-signing-duration", "87600h")
                .containsEntry("node-cidr-mask-size", Integer.toString(s.nodeCidrMaskSize()));

        Map<String, Object> init = docs.get(1);
        Map<String, Object> endpoint = (Map<String, Object>) init.get("localAPIEndpoint");
        assertThat(endpoint.get("advertiseAddress"))
                .isEqualTo(s.node(sc.initNode()).internalAddress());
        checkNodeRegistration(s, (Map<String, Object>) init.get("nodeRegistration"), sc.initNode());

        Map<String, Object> proxy = docs.get(2);
        assertThat(proxy.get("clusterCIDR")).isEqualTo(s.podCidr());
        assertThat(proxy.get("mode")).isEqualTo(s.proxyMode());

        Map<String, Object> kubelet = docs.get(3);
        assertThat(kubelet.get("cgroupDriver")).isEqualTo("systemd");
        assertThat(kubelet.get("clusterDNS")).isEqualTo(List.of(s.clusterDns()));
        assertThat(kubelet.get("clusterDomain")).isEqualTo(s.dnsDomain());
        Map<String, Boolean> kubeletGates = (Map<String, Boolean>) kubelet.get("featureGates");
        assertNoRemovedGates(s.version(), kubeletGates.keySet());
        assertThat(kubeletGates).containsEntry("RotateKubeletServerCertificate", true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @SuppressWarnings("unchecked")
    void joinFilesJoinTheEndpointWithTheRightRole(Scenarios.Scenario sc) {
        KubeadmSettings s = sc.settings();
        for (KubeNode n : s.nodes()) {
            if (n.name().equals(sc.initNode())) {
                continue;
            }
            List<String> hashes = sc.caHashes() ? List.of(Scenarios.CA_HASH) : List.of();
            String text = KubeadmConfigs.join(
                    s,
                    n.name(),
                    new JoinCredentials(Scenarios.TOKEN, n.controlPlane() ? Scenarios.CERT_KEY : "", hashes));
            List<Map<String, Object>> docs = Yamls.loadAll(text);
            assertThat(docs).hasSize(1);
            Map<String, Object> join = docs.get(0);
            assertThat(join.get("apiVersion")).isEqualTo(expectedApi(s.version()));
            assertThat(join.get("kind")).isEqualTo("JoinConfiguration");
            Map<String, Object> bootstrap =
                    (Map<String, Object>) ((Map<String, Object>) join.get("discovery")).get("bootstrapToken");
            assertThat(bootstrap.get("apiServerEndpoint"))
                    .isEqualTo(s.controlPlaneEndpoint().hostPort());
            assertThat(bootstrap.get("token")).isEqualTo(Scenarios.TOKEN);
            if (sc.caHashes()) {
                assertThat(bootstrap.get("caCertHashes")).isEqualTo(hashes);
                assertThat(bootstrap).doesNotContainKey("unsafeSkipCAVerification");
            } else {
                assertThat(bootstrap.get("unsafeSkipCAVerification")).isEqualTo(true);
            }
            assertThat(join.containsKey("controlPlane")).isEqualTo(n.controlPlane());
            if (n.controlPlane()) {
                Map<String, Object> cp = (Map<String, Object>) join.get("controlPlane");
                assertThat(cp.get("certificateKey")).isEqualTo(Scenarios.CERT_KEY);
                assertThat(((Map<String, Object>) cp.get("localAPIEndpoint")).get("advertiseAddress"))
                        .isEqualTo(n.internalAddress());
            }
            checkNodeRegistration(s, (Map<String, Object>) join.get("nodeRegistration"), n.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void staticPodsAreSinglePodsUsingTheTablesImages(Scenarios.Scenario sc) {
        KubeadmSettings s = sc.settings();
        if (s.controlPlaneEndpoint().haproxy()) {
            Map<String, Object> pod =
                    Yamls.loadAll(LoadBalancerFiles.haproxyManifest(s)).get(0);
            assertThat(pod.get("kind")).isEqualTo("Pod");
            assertThat(LoadBalancerFiles.haproxyManifest(s))
                    .contains("image: " + s.images().haproxyImage());
            String cfg = LoadBalancerFiles.haproxyConfig(s);
            s.controlPlanes().forEach(cp -> assertThat(cfg).contains(" " + cp.internalAddress() + ":6443 check"));
        }
        if (s.controlPlaneEndpoint().kubeVip()) {
            String init = LoadBalancerFiles.kubeVipManifest(s, "eth0", true);
            String other = LoadBalancerFiles.kubeVipManifest(s, "eth0", false);
            assertThat(Yamls.loadAll(init).get(0).get("kind")).isEqualTo("Pod");
            assertThat(init)
                    .contains(
                            "image: " + s.images().kubeVipImage(),
                            "value: " + s.controlPlaneEndpoint().address());
            assertThat(other).contains("path: /etc/kubernetes/admin.conf");
            assertThat(init)
                    .contains(
                            s.version().atLeast(29)
                                    ? "path: /etc/kubernetes/super-admin.conf"
                                    : "path: /etc/kubernetes/admin.conf");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void auditFilesAreWhereTheApiServerFlagsPoint(Scenarios.Scenario sc) {
        KubeadmSettings s = sc.settings();
        Map<String, String> args = KubeadmConfigs.apiServerArgs(s);
        if (!s.audit()) {
            assertThat(args.keySet()).noneMatch(k -> k.startsWith("audit-"));
            return;
        }
        assertThat(args).containsEntry("audit-policy-file", AuditFiles.POLICY_PATH);
        assertThat(args).containsEntry("audit-webhook-config-file", AuditFiles.WEBHOOK_PATH);
        Map<String, Object> policy = Yamls.loadAll(AuditFiles.policy()).get(0);
        assertThat(policy.get("apiVersion") + " " + policy.get("kind")).isEqualTo("audit.k8s.io/v1 Policy");
        Map<String, Object> webhook =
                Yamls.loadAll(AuditFiles.webhook("https://10.0.0.5:6443/x")).get(0);
        assertThat(webhook.get("kind")).isEqualTo("Config");
        assertThat(AuditFiles.webhook("https://10.0.0.5:6443/x")).contains("server: https://10.0.0.5:6443/x");
    }

    /**
     * Field names of the kubeadm types (from the upstream API packages), so a misspelt or misplaced
     * key fails here rather than as a kubeadm decoding warning on a real host.
     */
    static final Map<String, Set<String>> KUBEADM_FIELDS = Map.of(
            "ClusterConfiguration",
            Set.of(
                    "apiVersion",
                    "kind",
                    "etcd",
                    "networking",
                    "kubernetesVersion",
                    "controlPlaneEndpoint",
                    "apiServer",
                    "controllerManager",
                    "scheduler",
                    "dns",
                    "certificatesDir",
                    "imageRepository",
                    "featureGates",
                    "clusterName"),
            "InitConfiguration",
            Set.of(
                    "apiVersion",
                    "kind",
                    "bootstrapTokens",
                    "nodeRegistration",
                    "localAPIEndpoint",
                    "certificateKey",
                    "patches"),
            "JoinConfiguration",
            Set.of("apiVersion", "kind", "nodeRegistration", "caCertPath", "discovery", "controlPlane", "patches"),
            "nodeRegistration",
            Set.of("name", "criSocket", "taints", "kubeletExtraArgs", "ignorePreflightErrors", "imagePullPolicy"),
            "bootstrapToken",
            Set.of("token", "apiServerEndpoint", "caCertHashes", "unsafeSkipCAVerification"),
            "discovery",
            Set.of("bootstrapToken", "file", "tlsBootstrapToken"),
            "etcd.external",
            Set.of("endpoints", "caFile", "certFile", "keyFile"),
            "etcd.local",
            Set.of("imageRepository", "imageTag", "dataDir", "extraArgs", "serverCertSANs", "peerCertSANs"),
            "control plane component",
            Set.of("extraArgs", "extraVolumes", "certSANs", "timeoutForControlPlane"),
            "networking",
            Set.of("serviceSubnet", "podSubnet", "dnsDomain"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @SuppressWarnings("unchecked")
    void kubeadmDocumentsUseOnlyKubeadmFieldNames(Scenarios.Scenario sc) {
        KubeadmSettings s = sc.settings();
        List<Map<String, Object>> docs = new ArrayList<>(Yamls.loadAll(KubeadmConfigs.init(s, sc.initNode())));
        for (KubeNode n : s.nodes()) {
            if (!n.name().equals(sc.initNode())) {
                docs.addAll(Yamls.loadAll(KubeadmConfigs.join(
                        s, n.name(), new JoinCredentials(Scenarios.TOKEN, Scenarios.CERT_KEY, List.of()))));
            }
        }
        for (Map<String, Object> d : docs) {
            String kind = (String) d.get("kind");
            if (!KUBEADM_FIELDS.containsKey(kind)) {
                continue;
            }
            assertThat(KUBEADM_FIELDS.get(kind)).as(kind).containsAll(d.keySet());
            if (d.get("nodeRegistration") instanceof Map<?, ?> reg) {
                assertThat(KUBEADM_FIELDS.get("nodeRegistration")).containsAll((Set<String>) reg.keySet());
            }
            if (d.get("discovery") instanceof Map<?, ?> disc) {
                assertThat(KUBEADM_FIELDS.get("discovery")).containsAll((Set<String>) disc.keySet());
                Map<String, Object> bt = (Map<String, Object>) disc.get("bootstrapToken");
                assertThat(KUBEADM_FIELDS.get("bootstrapToken")).containsAll(bt.keySet());
            }
            if (kind.equals("ClusterConfiguration")) {
                Map<String, Object> etcd = (Map<String, Object>) d.get("etcd");
                assertThat(etcd).hasSize(1);
                etcd.forEach((mode, body) -> assertThat(KUBEADM_FIELDS.get("etcd." + mode))
                        .as("etcd." + mode)
                        .containsAll(((Map<String, Object>) body).keySet()));
                for (String c : List.of("apiServer", "controllerManager", "scheduler")) {
                    assertThat(KUBEADM_FIELDS.get("control plane component"))
                            .containsAll(((Map<String, Object>) d.get(c)).keySet());
                }
                assertThat(KUBEADM_FIELDS.get("networking"))
                        .containsAll(((Map<String, Object>) d.get("networking")).keySet());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkNodeRegistration(KubeadmSettings s, Map<String, Object> reg, String node) {
        assertThat(reg.get("name")).isEqualTo(node);
        boolean dockershim =
                s.containerRuntime() == ContainerRuntime.DOCKER && s.version().below(24);
        if (dockershim) {
            assertThat(reg).doesNotContainKey("criSocket");
        } else {
            assertThat((String) reg.get("criSocket")).startsWith("unix:///");
        }
        if (s.containerRuntime() == ContainerRuntime.DOCKER && !dockershim) {
            assertThat(reg.get("criSocket")).isEqualTo("unix:///var/run/cri-dockerd.sock");
        }
        assertThat(args(s, reg.get("kubeletExtraArgs"))).containsEntry("cgroup-driver", "systemd");
    }

    /** kubeadm wants map[string]string before v1beta4 and [{name, value}] from v1beta4. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> args(KubeadmSettings s, Object raw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (s.kubeadmApi() == KubeadmApi.V1BETA4) {
            assertThat(raw).isInstanceOf(List.class);
            for (Map<String, Object> e : (List<Map<String, Object>>) raw) {
                assertThat(e.keySet()).containsExactly("name", "value");
                assertThat(e.get("value")).isInstanceOf(String.class);
                out.put((String) e.get("name"), (String) e.get("value"));
            }
        } else {
            assertThat(raw).isInstanceOf(Map.class);
            ((Map<String, Object>) raw).forEach((k, v) -> {
                assertThat(v).as(k).isInstanceOf(String.class);
                out.put(k, (String) v);
            });
        }
        return out;
    }

    private static List<String> gatesOfFlag(String flag) {
        List<String> gates = new ArrayList<>();
        for (String kv : flag.split(",")) {
            assertThat(kv).matches("[A-Za-z0-9]+=(true|false)");
            gates.add(kv.substring(0, kv.indexOf('=')));
        }
        return gates;
    }

    private static void assertNoRemovedGates(KubeVersion v, Iterable<String> gates) {
        for (String g : gates) {
            assertThat(FeatureGates.isRemoved(g, v)).as(g + " in " + v).isFalse();
        }
    }

    /** Stated independently of KubeadmApi: what each release's kubeadm reads. */
    private static String expectedApi(KubeVersion v) {
        if (v.minor() >= 31) {
            return "kubeadm.k8s.io/v1beta4";
        }
        return v.minor() >= 22 ? "kubeadm.k8s.io/v1beta3" : "kubeadm.k8s.io/v1beta2";
    }
}
