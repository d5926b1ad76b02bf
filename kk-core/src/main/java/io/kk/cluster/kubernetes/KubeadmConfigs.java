package io.kk.cluster.kubernetes;

import static io.kk.cluster.kubernetes.Yamls.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kubeadm configuration files kk writes to {@value #PATH}: the init file for the first control
 * plane (ClusterConfiguration, InitConfiguration, KubeProxyConfiguration, KubeletConfiguration) and
 * the join file for every other node, in the kubeadm API the target release reads. Pure functions
 * of {@link KubeadmSettings}; the same input gives the same bytes.
 */
public final class KubeadmConfigs {
    public static final String PATH = "/etc/kubernetes/kubeadm-config.yaml";
    public static final String KUBE_PROXY_API = "kubeproxy.config.k8s.io/v1alpha1";
    public static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";

    static final String AUDIT_DIR = "/etc/kubernetes/audit";

    private KubeadmConfigs() {}

    /**
     * The init file for the control plane named {@code initNode}.
     *
     * @throws io.kk.error.InvalidInputException when the user's feature gates name a gate the target
     *     release no longer has
     */
    public static String init(KubeadmSettings s, String initNode) {
        FeatureGates.checkUserGates(s.version(), s.featureGates(), s.kubeletConfiguration());
        KubeNode node = s.node(initNode);
        if (!node.controlPlane()) {
            throw new IllegalArgumentException(initNode + " is not a control-plane node");
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        docs.add(clusterConfiguration(s));
        docs.add(initConfiguration(s, node));
        docs.add(kubeProxyConfiguration(s));
        docs.add(kubeletConfiguration(s));
        return Yamls.dumpAll(docs);
    }

    /** The join file for {@code nodeName}: a control-plane join when the node is a control plane. */
    public static String join(KubeadmSettings s, String nodeName, JoinCredentials credentials) {
        KubeNode node = s.node(nodeName);
        KubeadmApi api = s.kubeadmApi();
        Map<String, Object> bootstrap =
                map("apiServerEndpoint", s.controlPlaneEndpoint().hostPort(), "token", credentials.token());
        if (credentials.caCertHashes().isEmpty()) {
            bootstrap.put("unsafeSkipCAVerification", true);
        } else {
            bootstrap.put("caCertHashes", credentials.caCertHashes());
        }
        Map<String, Object> doc = map(
                "apiVersion",
                api.apiVersion(),
                "kind",
                "JoinConfiguration",
                "discovery",
                map("bootstrapToken", bootstrap, "tlsBootstrapToken", credentials.token()));
        if (node.controlPlane()) {
            if (credentials.certificateKey().isEmpty()) {
                throw new IllegalArgumentException("control-plane join of " + nodeName + " needs a certificate key");
            }
            doc.put(
                    "controlPlane",
                    map(
                            "localAPIEndpoint",
                            map("advertiseAddress", node.primaryInternalAddress(), "bindPort", s.apiServerBindPort()),
                            "certificateKey",
                            credentials.certificateKey()));
        }
        doc.put("nodeRegistration", nodeRegistration(s, node));
        return Yamls.dumpAll(List.of(doc));
    }

    static Map<String, Object> clusterConfiguration(KubeadmSettings s) {
        KubeadmApi api = s.kubeadmApi();
        Map<String, Object> dns = new LinkedHashMap<>();
        if (api == KubeadmApi.V1BETA2) {
            dns.put("type", "CoreDNS");
        }
        dns.put("imageRepository", s.images().corednsRepository());
        dns.put("imageTag", s.images().corednsTag());

        Map<String, Object> apiServer = map(
                "extraArgs", args(api, apiServerArgs(s)),
                "certSANs", s.certSans());
        if (s.audit()) {
            apiServer.put(
                    "extraVolumes",
                    List.of(map(
                            "name",
                            "k8s-audit",
                            "hostPath",
                            AUDIT_DIR,
                            "mountPath",
                            AUDIT_DIR,
                            "pathType",
                            "DirectoryOrCreate")));
        }
        return map(
                "apiVersion", api.apiVersion(),
                "kind", "ClusterConfiguration",
                "etcd", etcd(s.etcd()),
                "dns", dns,
                "imageRepository", s.images().imageRepository(),
                "kubernetesVersion", s.version().text(),
                "certificatesDir", "/etc/kubernetes/pki",
                "clusterName", s.clusterName(),
                "controlPlaneEndpoint", s.controlPlaneEndpoint().hostPort(),
                "networking",
                        map(
                                "dnsDomain", s.dnsDomain(),
                                "podSubnet", s.podCidr(),
                                "serviceSubnet", s.serviceCidr()),
                "apiServer", apiServer,
                "controllerManager",
                        map(
                                "extraArgs",
                                args(api, controllerManagerArgs(s)),
                                "extraVolumes",
                                List.of(map(
                                        "name", "host-time",
                                        "hostPath", "/etc/localtime",
                                        "mountPath", "/etc/localtime",
                                        "readOnly", true))),
                "scheduler", map("extraArgs", args(api, schedulerArgs(s))));
    }

    private static Map<String, Object> etcd(EtcdMode etcd) {
        if (etcd instanceof EtcdMode.KubeadmLocal local) {
            Map<String, Object> m = map("imageRepository", local.imageRepository(), "imageTag", local.imageTag());
            if (!local.serverCertSans().isEmpty()) {
                m.put("serverCertSANs", local.serverCertSans());
            }
            return map("local", m);
        }
        EtcdMode.External ext = (EtcdMode.External) etcd;
        Map<String, Object> m = map("endpoints", ext.endpoints());
        if (!ext.caFile().isEmpty()) {
            m.put("caFile", ext.caFile());
        }
        if (!ext.certFile().isEmpty()) {
            m.put("certFile", ext.certFile());
        }
        if (!ext.keyFile().isEmpty()) {
            m.put("keyFile", ext.keyFile());
        }
        return map("external", m);
    }

    static Map<String, Object> initConfiguration(KubeadmSettings s, KubeNode node) {
        return map(
                "apiVersion", s.kubeadmApi().apiVersion(),
                "kind", "InitConfiguration",
                "localAPIEndpoint",
                        map("advertiseAddress", node.primaryInternalAddress(), "bindPort", s.apiServerBindPort()),
                "nodeRegistration", nodeRegistration(s, node));
    }

    /**
     * The node's registration. The name is set explicitly to the config's host name, so kubeadm and
     * kubelet ({@code --hostname-override}) agree even where the OS hostname differs.
     */
    private static Map<String, Object> nodeRegistration(KubeadmSettings s, KubeNode node) {
        Map<String, Object> reg = map("name", node.name());
        if (!s.criSocket().isEmpty()) {
            reg.put("criSocket", s.criSocket());
        }
        TreeMap<String, String> kubeletExtra = new TreeMap<>();
        kubeletExtra.put("cgroup-driver", s.containerRuntime().cgroupDriver());
        reg.put("kubeletExtraArgs", args(s.kubeadmApi(), kubeletExtra));
        return reg;
    }

    static Map<String, Object> kubeProxyConfiguration(KubeadmSettings s) {
        Map<String, Object> defaults = map(
                "clusterCIDR", s.podCidr(),
                "mode", s.proxyMode(),
                "iptables",
                        map(
                                "masqueradeAll",
                                s.masqueradeAll(),
                                "masqueradeBit",
                                14,
                                "minSyncPeriod",
                                "0s",
                                "syncPeriod",
                                "30s"));
        Map<String, Object> doc = map("apiVersion", KUBE_PROXY_API, "kind", "KubeProxyConfiguration");
        doc.putAll(Yamls.mergeSorted(defaults, s.kubeProxyConfiguration()));
        return doc;
    }

    static Map<String, Object> kubeletConfiguration(KubeadmSettings s) {
        Map<String, Object> defaults = map(
                "clusterDomain", s.dnsDomain(),
                "clusterDNS", List.of(s.clusterDns()),
                "maxPods", s.maxPods(),
                "podPidsLimit", s.podPidsLimit(),
                "rotateCertificates", true,
                "kubeReserved", map("cpu", "200m", "memory", "250Mi"),
                "systemReserved", map("cpu", "200m", "memory", "250Mi"),
                "evictionHard", map("memory.available", "5%", "pid.available", "10%"),
                "evictionSoft", map("memory.available", "10%"),
                "evictionSoftGracePeriod", map("memory.available", "2m"),
                "evictionMaxPodGracePeriod", 120,
                "evictionPressureTransitionPeriod", "30s",
                "featureGates", new LinkedHashMap<>(FeatureGates.effective(s.version(), s.featureGates())),
                "cgroupDriver", s.containerRuntime().cgroupDriver());
        String criSocket = s.criSocket();
        if (!criSocket.isEmpty()) {
            // Log rotation is kubelet's job only with a CRI runtime (dockershim left it to docker).
            defaults.put("containerLogMaxSize", "5Mi");
            defaults.put("containerLogMaxFiles", 3);
            if (s.version().atLeast(27)) {
                // 1.27 moved the endpoint from the deprecated kubelet flag into the configuration.
                defaults.put("containerRuntimeEndpoint", criSocket);
            }
        }
        Map<String, Object> doc = map("apiVersion", KUBELET_API, "kind", "KubeletConfiguration");
        doc.putAll(Yamls.mergeSorted(defaults, s.kubeletConfiguration()));
        return doc;
    }

    static TreeMap<String, String> apiServerArgs(KubeadmSettings s) {
        TreeMap<String, String> a = new TreeMap<>();
        a.put("bind-address", "0.0.0.0");
        if (s.audit()) {
            a.put("audit-log-format", "json");
            a.put("audit-log-maxbackup", "2");
            a.put("audit-log-maxsize", "200");
            a.put("audit-policy-file", AUDIT_DIR + "/audit-policy.yaml");
            a.put("audit-webhook-config-file", AUDIT_DIR + "/audit-webhook.yaml");
        }
        overlay(a, s.apiServerArgs());
        return withGates(a, s);
    }

    static TreeMap<String, String> controllerManagerArgs(KubeadmSettings s) {
        TreeMap<String, String> a = new TreeMap<>();
        a.put("bind-address", "0.0.0.0");
        if (s.dualStack()) {
            // Per-family sizes; /64 per node for IPv6 is KubeKey's default.
            a.put("node-cidr-mask-size-ipv4", Integer.toString(s.nodeCidrMaskSize()));
            a.put("node-cidr-mask-size-ipv6", "64");
        } else {
            a.put("node-cidr-mask-size", Integer.toString(s.nodeCidrMaskSize()));
        }
        // Ten-year kubelet client certificates; the flag lost its experimental- prefix in 1.19.
        a.put(s.version().atLeast(19) ? "cluster-signing-duration" : "experimental-cluster-signing-duration", "87600h");
        overlay(a, s.controllerManagerArgs());
        return withGates(a, s);
    }

    static TreeMap<String, String> schedulerArgs(KubeadmSettings s) {
        TreeMap<String, String> a = new TreeMap<>();
        a.put("bind-address", "0.0.0.0");
        overlay(a, s.schedulerArgs());
        return withGates(a, s);
    }

    private static TreeMap<String, String> withGates(TreeMap<String, String> a, KubeadmSettings s) {
        a.put("feature-gates", FeatureGates.flag(FeatureGates.effective(s.version(), s.featureGates())));
        return a;
    }

    /** The user's {@code key=value} arguments replace kk's for the same key. */
    private static void overlay(TreeMap<String, String> a, List<String> user) {
        for (String arg : user) {
            String kv = arg.startsWith("--") ? arg.substring(2) : arg;
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("component argument is not key=value: " + arg);
            }
            a.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    /** A map in v1beta2/3, a {@code [{name, value}]} list in v1beta4. */
    private static Object args(KubeadmApi api, TreeMap<String, String> a) {
        if (!api.argsAsList()) {
            return new LinkedHashMap<String, Object>(a);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        a.forEach((k, v) -> list.add(map("name", k, "value", v)));
        return list;
    }
}
